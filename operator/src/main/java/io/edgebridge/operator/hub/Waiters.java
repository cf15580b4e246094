package io.edgebridge.operator.hub;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.plan.PlacementMatcher;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Syncs held open because nothing changed for their cluster, and who to wake when something may
 * have: a change to an app wakes only the clusters it targets (before or after the change).
 */
@ApplicationScoped
public class Waiters {

    /** A held sync; {@link #recheck} re-plans and answers if its cluster's desired state changed. */
    public interface Waiter {
        EdgeCluster cluster();

        void recheck();
    }

    @Inject
    FleetCache fleet;

    private final Map<String, Set<Waiter>> byNamespace = new ConcurrentHashMap<>();

    @PostConstruct
    void listen() {
        fleet.onAppChange(this::appChanged);
        fleet.onClusterChange((before, after) -> {
            var cluster = after != null ? after : before;
            wake(cluster.getMetadata().getNamespace(),
                    waiting -> waiting.getMetadata().getName().equals(cluster.getMetadata().getName()));
        });
        // Quarantine, and revisions that make a held app renderable again, are rare: wake the namespace.
        fleet.onNodeChange((before, after) -> wake((after != null ? after : before).getMetadata().getNamespace(),
                waiting -> true));
        fleet.onRevisionChange((before, after) -> wake((after != null ? after : before).getMetadata().getNamespace(),
                waiting -> true));
    }

    public void park(Waiter waiter) {
        byNamespace.computeIfAbsent(waiter.cluster().getMetadata().getNamespace(), k -> ConcurrentHashMap.newKeySet())
                .add(waiter);
    }

    public void unpark(Waiter waiter) {
        var set = byNamespace.get(waiter.cluster().getMetadata().getNamespace());
        if (set != null) {
            set.remove(waiter);
        }
    }

    public int size() {
        return byNamespace.values().stream().mapToInt(Set::size).sum();
    }

    private void appChanged(EdgeApp before, EdgeApp after) {
        if (before != null && after != null && Objects.equals(before.getSpec(), after.getSpec())
                && Objects.equals(rollout(before), rollout(after))) {
            return; // only status counts changed: no cluster's desired state did
        }
        var namespace = (after != null ? after : before).getMetadata().getNamespace();
        wake(namespace, cluster -> targets(before, cluster) || targets(after, cluster));
    }

    private static Object rollout(EdgeApp app) {
        return app.getStatus() == null ? null : app.getStatus().rollout();
    }

    private static boolean targets(EdgeApp app, EdgeCluster cluster) {
        return app != null && app.getSpec() != null && PlacementMatcher.selects(app.getSpec().placement(),
                cluster.getMetadata().getName(), cluster.getMetadata().getLabels());
    }

    private void wake(String namespace, Predicate<EdgeCluster> which) {
        var set = byNamespace.get(namespace);
        if (set == null) {
            return;
        }
        for (var waiter : set) {
            var parked = waiter.cluster();
            var current = fleet.cluster(namespace, parked.getMetadata().getName()).orElse(parked);
            if (which.test(current)) {
                waiter.recheck();
            }
        }
    }
}
