package io.edgebridge.operator.cluster;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterSpec;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.NodeStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.Phase;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.ReportedNode;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.operator.plan.GoDuration;
import io.edgebridge.operator.status.Conditions;
import io.edgebridge.operator.status.Conditions.Desired;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of an EdgeCluster's status the reconciler owns (the hub owns lastSeen, proxy, apps,
 * reportedNodes and k3sVersion) and when connectivity next changes by itself.
 */
public final class ClusterStatusBuilder {

    public static final String PROVISIONED = "Provisioned";
    public static final String CONNECTED = "Connected";
    public static final String READY = "Ready";

    private ClusterStatusBuilder() {
    }

    /**
     * @param problem why provisioning cannot complete, or null
     * @param addresses allocated node addresses by node name
     */
    /** @param lastSeenInterval how often the hub refreshes lastSeen of a connected cluster */
    public record Input(EdgeCluster cluster, Membership.Result membership, Map<String, String> addresses,
            String problem, String bootstrapTokenSecret, Duration lastSeenInterval, Instant now) {
    }

    public record Output(EdgeClusterStatus status, Optional<Instant> recheckAt) {
    }

    public static Output build(Input in) {
        var cluster = in.cluster();
        var current = cluster.getStatus();
        var reported = current == null || current.reportedNodes() == null ? List.<ReportedNode>of()
                : current.reportedNodes();
        List<NodeStatus> nodes = new ArrayList<>();
        int ready = 0;
        for (var member : in.membership().members()) {
            var node = reportedFor(member.node(), reported);
            boolean isReady = node.map(n -> Boolean.TRUE.equals(n.ready())).orElse(false);
            if (isReady) {
                ready++;
            }
            nodes.add(new NodeStatus(member.name(), member.role(), in.addresses().get(member.name()), isReady));
        }
        int total = nodes.size();

        var connectivity = connectivity(cluster, in.lastSeenInterval(), in.now());
        List<Desired> conditions = new ArrayList<>();
        conditions.add(provisioned(in, total));
        conditions.add(connectivity.condition());
        boolean connected = Conditions.TRUE.equals(connectivity.condition().status());
        conditions.add(readiness(current, connected, ready, total));

        var merged = Conditions.merge(current == null ? null : current.conditions(), conditions,
                cluster.getMetadata().getGeneration(), in.now());
        Phase phase;
        if (cluster.getSpec().pausedOrDefault()) {
            phase = Phase.Paused;
        } else if (!Conditions.isTrue(merged, PROVISIONED)) {
            phase = Phase.Pending;
        } else if (!connected) {
            phase = current != null && current.lastSeen() != null ? Phase.Offline : Phase.Provisioning;
        } else if (Conditions.isTrue(merged, READY)) {
            phase = Phase.Ready;
        } else {
            phase = Phase.Degraded;
        }
        var status = new EdgeClusterStatus(phase, merged, nodes, ready, total, null, null, null, null, null, null,
                in.bootstrapTokenSecret(), new EdgeClusterStatus.Display(ready + "/" + total),
                cluster.getMetadata().getGeneration());
        return new Output(status, connectivity.flipsAt());
    }

    /** The reconciler's fields of a full status, for comparison with what it wants to write. */
    public static EdgeClusterStatus owned(EdgeClusterStatus status) {
        if (status == null) {
            return null;
        }
        return new EdgeClusterStatus(status.phase(), status.conditions(), status.nodes(), status.readyNodes(),
                status.totalNodes(), null, null, null, null, null, null, status.bootstrapTokenSecret(), status.display(),
                status.observedGeneration());
    }

    /** A K3s node reported for a device: by EdgeNode name, EVE device UUID or serial number. */
    public static Optional<ReportedNode> reportedFor(EdgeNode node, List<ReportedNode> reported) {
        var spec = node.getSpec();
        return reported.stream().filter(r -> r.name() != null && (r.name().equals(node.getMetadata().getName())
                || (spec != null && (r.name().equalsIgnoreCase(Objects.toString(spec.deviceId(), ""))
                        || r.name().equals(spec.serialNumber())))))
                .findFirst();
    }

    private record Connectivity(Desired condition, Optional<Instant> flipsAt) {
    }

    /**
     * Connected unless the hub saw the proxy go away after its last sync, or no hub refreshed
     * lastSeen for longer than the refresh interval plus offlineAfter (every hub replica down). The
     * messages carry no lastSeen: each refresh would otherwise rewrite the condition too.
     */
    private static Connectivity connectivity(EdgeCluster cluster, Duration lastSeenInterval, Instant now) {
        var status = cluster.getStatus();
        var lastSeen = status == null ? null : status.lastSeen();
        if (lastSeen == null) {
            return new Connectivity(new Desired(CONNECTED, Conditions.FALSE, "NeverConnected",
                    "the edge proxy has not synced with the hub yet"), Optional.empty());
        }
        var seen = Instant.parse(lastSeen);
        var gone = status.disconnectedAt() == null ? null : Instant.parse(status.disconnectedAt());
        if (gone != null && !gone.isBefore(seen)) {
            return new Connectivity(new Desired(CONNECTED, Conditions.FALSE, "Offline",
                    "the edge proxy has not synced since " + lastSeen + "; the hub saw it go at "
                            + status.disconnectedAt()), Optional.empty());
        }
        var offlineAfter = offlineAfter(cluster.getSpec());
        var staleAt = seen.plus(lastSeenInterval).plus(offlineAfter);
        if (now.isBefore(staleAt)) {
            return new Connectivity(new Desired(CONNECTED, Conditions.TRUE, "Synced",
                    "the edge proxy is syncing"), Optional.of(staleAt));
        }
        return new Connectivity(new Desired(CONNECTED, Conditions.FALSE, "Offline",
                "no hub recorded a sync since " + lastSeen + " (offlineAfter " + GoDurationText.of(offlineAfter)
                        + ")"), Optional.empty());
    }

    public static Duration offlineAfter(EdgeClusterSpec spec) {
        var connectivity = spec.connectivity();
        return GoDuration.parseOr(connectivity == null ? null : connectivity.offlineAfter(),
                EdgeClusterSpec.DEFAULT_OFFLINE_AFTER);
    }

    private static Desired provisioned(Input in, int total) {
        var membership = in.membership();
        if (in.problem() != null) {
            return new Desired(PROVISIONED, Conditions.FALSE, "ProvisioningFailed", in.problem());
        }
        if (!membership.conflicts().isEmpty()) {
            List<String> parts = new ArrayList<>();
            membership.conflicts().forEach((node, others) -> parts.add("node " + node + " is also claimed by "
                    + String.join(", ", others) + (membership.lost().contains(node) ? " (which keeps it)" : "")));
            return new Desired(PROVISIONED, Conditions.FALSE, "NodeConflict", String.join("; ", parts)
                    + ": a device can be in one cluster only; fix nodes or nodeSelector");
        }
        if (!membership.missing().isEmpty()) {
            return new Desired(PROVISIONED, Conditions.FALSE, "MissingNodes", "spec.nodes lists "
                    + String.join(", ", membership.missing()) + ", but no EdgeNode of that name exists in namespace "
                    + in.cluster().getMetadata().getNamespace());
        }
        if (total == 0) {
            return new Desired(PROVISIONED, Conditions.FALSE, "NoMembers",
                    "no EdgeNode matches spec.nodes or spec.nodeSelector");
        }
        return new Desired(PROVISIONED, Conditions.TRUE, "SettingsRendered",
                total + " nodes have their EVE-k settings");
    }

    private static Desired readiness(EdgeClusterStatus current, boolean connected, int ready, int total) {
        if (!connected) {
            return new Desired(READY, Conditions.FALSE, "NotConnected", "the edge proxy is not connected");
        }
        if (ready < total) {
            return new Desired(READY, Conditions.FALSE, "NodesNotReady", ready + "/" + total + " nodes ready");
        }
        var apps = current == null || current.apps() == null ? List.<EdgeClusterStatus.AppStatus>of() : current.apps();
        var notReady = apps.stream().filter(a -> !Boolean.TRUE.equals(a.ready())).map(EdgeClusterStatus.AppStatus::name)
                .sorted().limit(10).toList();
        if (!notReady.isEmpty()) {
            return new Desired(READY, Conditions.FALSE, "AppsNotReady", "apps not ready: " + String.join(", ", notReady));
        }
        // No counts: a message that changed with every app delivered would cost each cluster a second
        // status write per fan-out (the hub writes the report, then this), for nothing a person acts on.
        return new Desired(READY, Conditions.TRUE, "AllReady", "all nodes and apps are ready");
    }

    /** Durations printed the way they are written in specs. */
    private static final class GoDurationText {
        static String of(Duration duration) {
            long seconds = duration.toSeconds();
            if (seconds % 3600 == 0) {
                return seconds / 3600 + "h";
            }
            if (seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }
    }
}
