package io.edgebridge.operator.node;

import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.EdgeNodeStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/**
 * Keeps an EdgeNode's status in step with its spec. Membership, readiness and connectivity come
 * with the cluster reconciler and the hub; until then a node is Registered or Quarantined.
 */
@ControllerConfiguration(name = "edgenode")
public class EdgeNodeReconciler implements Reconciler<EdgeNode> {

    @Override
    public UpdateControl<EdgeNode> reconcile(EdgeNode node, Context<EdgeNode> context) {
        var current = node.getStatus();
        var desired = desiredStatus(node);
        if (Objects.equals(current, desired)) {
            return UpdateControl.noUpdate();
        }
        node.setStatus(desired);
        return UpdateControl.patchStatus(node);
    }

    static EdgeNodeStatus desiredStatus(EdgeNode node) {
        var current = node.getStatus();
        var phase = node.getSpec() != null && node.getSpec().quarantineOrDefault()
                ? EdgeNodeStatus.Phase.Quarantined
                : current == null || current.phase() == null || current.phase() == EdgeNodeStatus.Phase.Quarantined
                        ? EdgeNodeStatus.Phase.Registered
                        : current.phase();
        long generation = node.getMetadata().getGeneration() == null ? 0 : node.getMetadata().getGeneration();
        if (current == null) {
            return new EdgeNodeStatus(phase, null, null, null, null, null, null, generation);
        }
        return new EdgeNodeStatus(phase, current.conditions(), current.lastSeen(), current.eveVersion(),
                current.k3sVersion(), current.capacity(), current.cluster(), generation);
    }
}
