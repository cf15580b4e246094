package io.edgebridge.operator.node;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.ReportedNode;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.EdgeNodeStatus;
import io.edgebridge.api.v1alpha1.EdgeNodeStatus.Phase;
import io.edgebridge.operator.cluster.ClusterStatusBuilder;
import io.edgebridge.operator.status.Conditions;
import io.edgebridge.operator.status.Conditions.Desired;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An EdgeNode's status, derived from the cluster that lists it and what that cluster's edge proxy reports. */
public final class NodeStatusBuilder {

    public static final String READY = "Ready";
    public static final String CONNECTED = "Connected";

    private NodeStatusBuilder() {
    }

    /**
     * @param cluster the cluster whose status lists the node, or null; what is read of it is what
     *     {@link MemberFacts} holds, which decides when members are reconciled again
     */
    public static EdgeNodeStatus build(EdgeNode node, EdgeCluster cluster, Instant now) {
        var spec = node.getSpec();
        var current = node.getStatus();
        EdgeNodeStatus.Membership membership = null;
        ReportedNode reported = null;
        boolean connected = false;
        String lastSeen = null;
        if (cluster != null) {
            var status = cluster.getStatus();
            var entry = status.nodes().stream().filter(n -> n.name().equals(node.getMetadata().getName()))
                    .findFirst().orElseThrow();
            membership = new EdgeNodeStatus.Membership(cluster.getMetadata().getName(), entry.role(), entry.ip());
            reported = ClusterStatusBuilder.reportedFor(node,
                    status.reportedNodes() == null ? List.of() : status.reportedNodes()).orElse(null);
            connected = Conditions.isTrue(status.conditions(), ClusterStatusBuilder.CONNECTED);
            // Only an absent device has a last-seen time worth a write: copying the cluster's refresh
            // to every member while connected would cost one write per node and refresh.
            lastSeen = connected ? null : status.lastSeen();
        }
        boolean ready = connected && reported != null && Boolean.TRUE.equals(reported.ready());
        boolean quarantined = spec != null && spec.quarantineOrDefault();

        List<Desired> conditions = new ArrayList<>();
        if (quarantined) {
            conditions.add(new Desired(READY, Conditions.FALSE, "Quarantined",
                    "spec.quarantine is set: no delivery, the device's credentials are rejected"));
        } else if (membership == null) {
            conditions.add(new Desired(READY, Conditions.FALSE, "NoCluster", "no EdgeCluster has this node as a member"));
        } else if (ready) {
            conditions.add(new Desired(READY, Conditions.TRUE, "NodeReady", "K3s node " + reported.name() + " is Ready"));
        } else if (!connected) {
            conditions.add(new Desired(READY, Conditions.FALSE, "ClusterNotConnected",
                    "cluster " + membership.name() + " is not connected"));
        } else {
            conditions.add(new Desired(READY, Conditions.FALSE, reported == null ? "NotReported" : "NodeNotReady",
                    reported == null ? "the edge proxy reports no K3s node for this device"
                            : "K3s node " + reported.name() + " is not Ready"));
        }
        conditions.add(connected
                ? new Desired(CONNECTED, Conditions.TRUE, "ClusterConnected", "cluster " + membership.name() + " is connected")
                : new Desired(CONNECTED, Conditions.FALSE, membership == null ? "NoCluster" : "ClusterNotConnected",
                        membership == null ? "the node is not in a cluster" : "cluster " + membership.name()
                                + " is not connected"));

        Phase phase;
        if (quarantined) {
            phase = Phase.Quarantined;
        } else if (membership == null) {
            phase = Phase.Registered;
        } else if (ready) {
            phase = Phase.Ready;
        } else if (lastSeen != null) {
            phase = Phase.Offline;
        } else {
            phase = Phase.Provisioning;
        }
        return new EdgeNodeStatus(phase,
                Conditions.merge(current == null ? null : current.conditions(), conditions,
                        node.getMetadata().getGeneration(), now),
                lastSeen,
                reported != null ? reported.eveVersion() : current == null ? null : current.eveVersion(),
                reported != null ? reported.k3sVersion() : current == null ? null : current.k3sVersion(),
                reported != null ? reported.capacity() : current == null ? null : current.capacity(),
                membership, node.getMetadata().getGeneration());
    }
}
