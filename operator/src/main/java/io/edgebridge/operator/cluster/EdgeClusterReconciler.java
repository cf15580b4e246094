package io.edgebridge.operator.cluster;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/**
 * Keeps an EdgeCluster's status in step with its spec. Member resolution, address allocation,
 * bootstrap tokens and EVE-k settings are the cluster reconciler's next steps.
 */
@ControllerConfiguration(name = "edgecluster")
public class EdgeClusterReconciler implements Reconciler<EdgeCluster> {

    @Override
    public UpdateControl<EdgeCluster> reconcile(EdgeCluster cluster, Context<EdgeCluster> context) {
        var current = cluster.getStatus();
        long generation = cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
        var phase = cluster.getSpec() != null && cluster.getSpec().pausedOrDefault()
                ? EdgeClusterStatus.Phase.Paused
                : EdgeClusterStatus.Phase.Pending;
        var desired = current == null
                ? new EdgeClusterStatus(phase, null, null, null, null, null, null, null, null, null, null, null, generation)
                : new EdgeClusterStatus(phase, current.conditions(), current.nodes(), current.readyNodes(),
                        current.totalNodes(), current.k3sVersion(), current.lastSeen(), current.proxy(), current.apps(),
                        current.reportedNodes(),
                        current.bootstrapTokenSecret(), current.display(), generation);
        if (Objects.equals(current, desired)) {
            return UpdateControl.noUpdate();
        }
        cluster.setStatus(desired);
        return UpdateControl.patchStatus(cluster);
    }
}
