package io.edgebridge.operator.node;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.fleet.SharedObjects;
import io.edgebridge.operator.status.Requeue;
import io.edgebridge.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reconciles an EdgeNode: its membership, readiness and connectivity follow from the EdgeCluster
 * that lists it. A node needs no cleanup: when it is deleted its cluster drops it.
 */
@ControllerConfiguration(name = "edgenode", informer = @Informer(itemStore = SharedObjects.Nodes.class))
public class EdgeNodeReconciler implements Reconciler<EdgeNode> {

    private static final Logger LOG = Logger.getLogger(EdgeNodeReconciler.class);

    @Inject
    FleetCache fleet;

    @Inject
    StatusWriter statusWriter;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, EdgeNode>> prepareEventSources(EventSourceContext<EdgeNode> context) {
        fleet.ensureStarted();
        var fleetEvents = new SimpleInboundEventSource<EdgeNode>("fleet");
        fleet.onClusterChange((before, after) -> {
            if (before != null && after != null && MemberFacts.of(before).equals(MemberFacts.of(after))) {
                return; // an app report or a refresh: nothing a member's status shows
            }
            Set<String> nodes = new HashSet<>();
            for (var cluster : new EdgeCluster[] {before, after}) {
                if (cluster != null && cluster.getStatus() != null && cluster.getStatus().nodes() != null) {
                    cluster.getStatus().nodes().forEach(n -> nodes.add(n.name()));
                }
            }
            var namespace = (after != null ? after : before).getMetadata().getNamespace();
            nodes.forEach(n -> fleetEvents.propagateEvent(new ResourceID(n, namespace)));
        });
        return List.of(fleetEvents);
    }

    @Override
    public UpdateControl<EdgeNode> reconcile(EdgeNode node, Context<EdgeNode> context) {
        var name = node.getMetadata().getName();
        var cluster = fleet.clustersWithMember(node.getMetadata().getNamespace(), name).stream()
                .findFirst().orElse(null);
        var desired = NodeStatusBuilder.build(node, cluster, clock.instant());
        var current = node.getStatus();
        if (current == null || current.phase() != desired.phase()) {
            LOG.infof("EdgeNode %s/%s: %s -> %s", node.getMetadata().getNamespace(), name,
                    current == null ? null : current.phase(), desired.phase());
        }
        return Requeue.after(statusWriter.write(node, current, desired));
    }
}
