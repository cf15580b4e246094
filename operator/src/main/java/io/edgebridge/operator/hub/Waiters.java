package io.edgebridge.operator.hub;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.operator.cluster.ClusterIdentity;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.plan.DesiredRevision;
import io.edgebridge.operator.plan.PlacementMatcher;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Syncs held open because nothing changed for their cluster, and who to wake when something may
 * have. Held by namespace and cluster name: a cluster's own change, a node's quarantine and a new
 * revision concern a few clusters found by name or index, so ten thousand held syncs are not
 * scanned for each; only an app's change looks at every held sync of its namespace.
 */
@ApplicationScoped
public class Waiters {

    /**
     * A held sync; {@link #recheck} re-plans and answers if its cluster's desired state changed. It
     * names its cluster rather than holding the object: a held copy would go stale with the first
     * status write and double what ten thousand held syncs cost.
     */
    public interface Waiter {
        ClusterIdentity cluster();

        void recheck();
    }

    @Inject
    FleetCache fleet;

    /**
     * Held syncs by namespace and cluster name. A cluster's few waiters (one, but for a proxy that
     * reconnected before its old connection closed) are an immutable list replaced inside
     * {@code compute}: a concurrent set per cluster cost about 200 bytes for each idle proxy.
     */
    private final Map<String, Map<String, List<Waiter>>> byNamespace = new ConcurrentHashMap<>();
    /** Counts wake-ups, each counted before its waiters are looked up. */
    private final AtomicLong wakes = new AtomicLong();

    @PostConstruct
    void listen() {
        fleet.onAppChange(this::appChanged);
        fleet.onClusterChange((before, after) -> {
            if (before != null && after != null && HeldSyncFacts.of(before).equals(HeldSyncFacts.of(after))) {
                return; // a status write: each held sync would be re-planned for nothing
            }
            var cluster = after != null ? after : before;
            wake(cluster.getMetadata().getNamespace(), Set.of(cluster.getMetadata().getName()));
        });
        fleet.onNodeChange(this::nodeChanged);
        fleet.onRevisionChange((before, after) -> revisionChanged(after != null ? after : before));
    }

    /**
     * How many wake-ups there have been. A request that reads this before planning and again after
     * parking knows whether a change may have slipped in between (and only then re-plans): a wake-up
     * counted after the second read looks its waiters up after the park, and finds this one.
     */
    public long wakes() {
        return wakes.get();
    }

    public void park(Waiter waiter) {
        var cluster = waiter.cluster();
        byNamespace.computeIfAbsent(cluster.namespace(), k -> new ConcurrentHashMap<>())
                .compute(cluster.name(), (name, held) -> {
                    // Inside compute: an unpark emptying and dropping the list cannot lose this waiter.
                    if (held == null) {
                        return List.of(waiter);
                    }
                    var more = new ArrayList<>(held);
                    more.add(waiter);
                    return List.copyOf(more);
                });
    }

    public void unpark(Waiter waiter) {
        var cluster = waiter.cluster();
        var clusters = byNamespace.get(cluster.namespace());
        if (clusters != null) {
            clusters.computeIfPresent(cluster.name(), (name, held) -> {
                var rest = held.stream().filter(w -> w != waiter).toList();
                return rest.isEmpty() ? null : rest;
            });
        }
    }

    public int size() {
        return byNamespace.values().stream().flatMap(c -> c.values().stream()).mapToInt(List::size).sum();
    }

    private void appChanged(EdgeApp before, EdgeApp after) {
        if (before != null && after != null && Objects.equals(before.getSpec(), after.getSpec())
                && Objects.equals(delivery(before), delivery(after))) {
            // Only counts or times: during a fan-out every report moves them, once a second, and waking
            // ten thousand held syncs for each would re-plan them all for nothing.
            return;
        }
        var namespace = (after != null ? after : before).getMetadata().getNamespace();
        wakeWhere(namespace, cluster -> targets(before, cluster) || targets(after, cluster));
    }

    /** A quarantine ends the held syncs of the clusters the node is, or may become, a member of. */
    private void nodeChanged(EdgeNode before, EdgeNode after) {
        if (quarantined(before) == quarantined(after)) {
            return;
        }
        var node = after != null ? after : before;
        var namespace = node.getMetadata().getNamespace();
        var name = node.getMetadata().getName();
        Set<String> clusters = new LinkedHashSet<>();
        fleet.clustersWithMember(namespace, name).forEach(c -> clusters.add(c.getMetadata().getName()));
        fleet.claimants(namespace, name).forEach(c -> clusters.add(c.getMetadata().getName()));
        wake(namespace, clusters);
    }

    /** A revision that appears can make an app held back for a cluster deliverable: wake its targets. */
    private void revisionChanged(ControllerRevision revision) {
        var namespace = revision.getMetadata().getNamespace();
        revision.getMetadata().getOwnerReferences().stream()
                .filter(owner -> "EdgeApp".equals(owner.getKind()))
                .flatMap(owner -> fleet.app(namespace, owner.getName()).stream())
                .forEach(app -> wakeWhere(namespace, cluster -> targets(app, cluster)));
    }

    private static boolean quarantined(EdgeNode node) {
        return node != null && node.getSpec() != null && node.getSpec().quarantineOrDefault();
    }

    private static DesiredRevision.Inputs delivery(EdgeApp app) {
        return app.getStatus() == null ? null : DesiredRevision.inputsOf(app.getStatus().rollout());
    }

    private static boolean targets(EdgeApp app, EdgeCluster cluster) {
        return app != null && app.getSpec() != null && PlacementMatcher.selects(app.getSpec().placement(),
                cluster.getMetadata().getName(), cluster.getMetadata().getLabels());
    }

    private void wake(String namespace, Collection<String> clusterNames) {
        wakes.incrementAndGet();
        var clusters = byNamespace.get(namespace);
        if (clusters == null) {
            return;
        }
        for (var name : clusterNames) {
            var held = clusters.get(name);
            if (held != null) {
                held.forEach(Waiter::recheck);
            }
        }
    }

    private void wakeWhere(String namespace, Predicate<EdgeCluster> which) {
        wakes.incrementAndGet();
        var clusters = byNamespace.get(namespace);
        if (clusters == null) {
            return;
        }
        // A cluster gone from the cache wakes its held syncs by name, on its own delete event.
        clusters.forEach((name, held) -> fleet.cluster(namespace, name).filter(which)
                .ifPresent(cluster -> held.forEach(Waiter::recheck)));
    }
}
