package io.edgebridge.operator.hub;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterSpec;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.NodeStatus;
import java.util.List;
import java.util.Map;

/**
 * What a held sync's answer depends on in its EdgeCluster: the labels (placement), the object's
 * identity and deletion ({@link ClusterAuthorizer}), and its members, spec and status (a quarantined
 * member refuses the cluster). The rest of the status (reports, conditions, last seen) changes with
 * every status write the hub makes, and waking the cluster's held sync for each cost a re-plan of
 * every cluster of a fan-out, once or twice.
 */
record HeldSyncFacts(String uid, String deletionTimestamp, Map<String, String> labels, EdgeClusterSpec spec,
        List<NodeStatus> members) {

    static HeldSyncFacts of(EdgeCluster cluster) {
        var metadata = cluster.getMetadata();
        return new HeldSyncFacts(metadata.getUid(), metadata.getDeletionTimestamp(), metadata.getLabels(),
                cluster.getSpec(), cluster.getStatus() == null ? null : cluster.getStatus().nodes());
    }
}
