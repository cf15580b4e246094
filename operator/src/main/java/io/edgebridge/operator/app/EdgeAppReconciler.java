package io.edgebridge.operator.app;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/**
 * Keeps an EdgeApp's status in step with its spec. Planning, revisions and rollouts are the app
 * reconciler's next steps; until then an app is Pending, or Suspended.
 */
@ControllerConfiguration(name = "edgeapp")
public class EdgeAppReconciler implements Reconciler<EdgeApp> {

    @Override
    public UpdateControl<EdgeApp> reconcile(EdgeApp app, Context<EdgeApp> context) {
        var current = app.getStatus();
        long generation = app.getMetadata().getGeneration() == null ? 0 : app.getMetadata().getGeneration();
        var phase = app.getSpec() != null && app.getSpec().suspendOrDefault()
                ? EdgeAppStatus.Phase.Suspended
                : EdgeAppStatus.Phase.Pending;
        var desired = current == null
                ? new EdgeAppStatus(generation, null, phase, null, null, null, null, null)
                : new EdgeAppStatus(generation, current.revision(), phase, current.conditions(), current.summary(),
                        current.notReady(), current.rollout(), current.display());
        if (Objects.equals(current, desired)) {
            return UpdateControl.noUpdate();
        }
        app.setStatus(desired);
        return UpdateControl.patchStatus(app);
    }
}
