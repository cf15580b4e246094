package io.edgebridge.operator.node;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.NodeStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.ReportedNode;
import io.edgebridge.operator.cluster.ClusterStatusBuilder;
import io.edgebridge.operator.status.Conditions;
import java.util.List;

/**
 * What {@link NodeStatusBuilder} reads of a cluster for its member nodes. A cluster change that
 * leaves these equal (an app report, a last-seen refresh while connected) re-reconciles no node:
 * during a fan-out every cluster's status is written once or twice, and each write re-reconciled
 * its members for nothing.
 */
record MemberFacts(String cluster, List<NodeStatus> members, List<ReportedNode> reported, boolean connected,
        String lastSeenWhileAway) {

    static MemberFacts of(EdgeCluster cluster) {
        var status = cluster.getStatus();
        if (status == null) {
            return new MemberFacts(cluster.getMetadata().getName(), null, null, false, null);
        }
        boolean connected = Conditions.isTrue(status.conditions(), ClusterStatusBuilder.CONNECTED);
        return new MemberFacts(cluster.getMetadata().getName(), status.nodes(), status.reportedNodes(), connected,
                connected ? null : status.lastSeen());
    }
}
