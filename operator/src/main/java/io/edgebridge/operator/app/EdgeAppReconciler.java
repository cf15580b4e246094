package io.edgebridge.operator.app;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.edgebridge.operator.cluster.ClusterStatusBuilder;
import io.edgebridge.operator.config.OperatorConfig;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.fleet.SharedObjects;
import io.edgebridge.operator.plan.AppReport;
import io.edgebridge.operator.plan.BundleRenderer;
import io.edgebridge.operator.plan.InvalidAppException;
import io.edgebridge.operator.plan.LabelSelectors;
import io.edgebridge.operator.plan.OverrideApplier;
import io.edgebridge.operator.plan.PlacementMatcher;
import io.edgebridge.operator.plan.RevisionContent;
import io.edgebridge.operator.plan.RolloutPlanner;
import io.edgebridge.operator.plan.RolloutSettings;
import io.edgebridge.operator.plan.TargetCluster;
import io.edgebridge.operator.plan.WaveTargets;
import io.edgebridge.operator.status.Conditions;
import io.edgebridge.operator.status.EventRecorder;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Reconciles an EdgeApp: keeps its revisions, steps its rollout from what the targeted clusters
 * report, and writes a status people and Argo CD can trust. The desired state of each cluster
 * follows from this status (see {@code DesiredRevision}); nothing per cluster is stored.
 */
@ControllerConfiguration(name = "edgeapp", informer = @Informer(itemStore = SharedObjects.Apps.class))
public class EdgeAppReconciler implements Reconciler<EdgeApp> {

    private static final Logger LOG = Logger.getLogger(EdgeAppReconciler.class);

    @Inject
    FleetCache fleet;

    @Inject
    RevisionHistory history;

    @Inject
    StatusWriter statusWriter;

    @Inject
    EventRecorder events;

    @Inject
    OperatorConfig config;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, EdgeApp>> prepareEventSources(EventSourceContext<EdgeApp> context) {
        fleet.ensureStarted();
        var fleetEvents = new SimpleInboundEventSource<EdgeApp>("fleet");
        var apps = context.getPrimaryCache();
        var scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "edgeapp-report-throttle");
            thread.setDaemon(true);
            return thread;
        });
        // Reports re-plan an app at most once per status write interval (its status is written no
        // more often); spec and revision changes reconcile at once.
        var reports = new ThrottledTrigger<ResourceID>(config.statusWriteInterval(),
                (task, delay) -> scheduler.schedule(task, delay, TimeUnit.NANOSECONDS), System::nanoTime,
                fleetEvents::propagateEvent);
        fleet.onClusterChange((before, after) -> {
            var moved = AppsMoved.by(before, after);
            if (!moved.none()) {
                var namespace = (after != null ? after : before).getMetadata().getNamespace();
                apps.list(namespace).filter(app -> moved.includes(app.getMetadata().getName()))
                        .forEach(app -> reports.nudge(ResourceID.fromResource(app)));
            }
        });
        fleet.onRevisionChange((before, after) -> Stream.ofNullable(after != null ? after : before)
                .flatMap(r -> r.getMetadata().getOwnerReferences().stream()
                        .filter(o -> "EdgeApp".equals(o.getKind()))
                        .map(o -> new ResourceID(o.getName(), r.getMetadata().getNamespace())))
                .forEach(fleetEvents::propagateEvent));
        return List.of(fleetEvents);
    }

    @Override
    public UpdateControl<EdgeApp> reconcile(EdgeApp app, Context<EdgeApp> context) {
        var now = clock.instant();
        if (app.getMetadata().getDeletionTimestamp() != null) {
            return UpdateControl.noUpdate(); // clusters drop it as soon as it is gone from their desired state
        }
        var spec = app.getSpec();
        var content = RevisionContent.of(app);
        var revision = content.revision();
        var namespace = app.getMetadata().getNamespace();
        var clusters = fleet.clusters(namespace);
        var targets = targets(app, clusters);
        var current = statusWriter.latest(app, app.getStatus());

        var labels = labelsByName(clusters);
        var problems = problems(app, content, revision, targets, labels, config.maxBundleBytes());
        if (!problems.isEmpty()) {
            var invalid = EdgeAppStatusBuilder.invalid(withStatus(app, current), revision, problems, now);
            if (current == null || !Objects.equals(message(current), message(invalid))) {
                events.warning(app, "InvalidSpec", message(invalid));
                LOG.warnf("EdgeApp %s/%s: %s", namespace, app.getMetadata().getName(), message(invalid));
            }
            // No retry: the app stays as it is until its spec changes, which triggers a new reconcile.
            return Requeue.after(statusWriter.write(app, current, invalid));
        }

        var kept = history.kept(app);
        if (!spec.suspendOrDefault()) {
            history.ensure(app, revision, content, kept);
        }
        var waves = WaveTargets.plan(spec.rollout(), targets, labels::get);
        var outcome = RolloutPlanner.step(new RolloutPlanner.Input(revision, spec.suspendOrDefault(),
                RolloutSettings.of(spec.rollout()), waves, current == null ? null : current.rollout(), now));

        Set<String> inUse = new HashSet<>();
        inUse.add(revision);
        if (outcome.status() != null) {
            inUse.add(outcome.status().revision());
            if (outcome.status().previousRevision() != null) {
                inUse.add(outcome.status().previousRevision());
            }
        }
        targets.stream().filter(t -> t.report() != null).forEach(t -> inUse.add(t.report().revision()));
        history.prune(kept, spec.revisionHistoryLimitOrDefault(), inUse);

        var desired = EdgeAppStatusBuilder.build(withStatus(app, current), revision, outcome, targets,
                missingClusters(app, clusters), now);
        logTransitions(app, current, desired);
        var recheck = Optional.ofNullable(outcome.recheckAt()).map(at -> Duration.between(now, at));
        return Requeue.after(statusWriter.write(app, current, desired), recheck);
    }

    /** The clusters the app's placement selects, with what each reports about the app. */
    static List<TargetCluster> targets(EdgeApp app, List<EdgeCluster> clusters) {
        List<TargetCluster> targets = new ArrayList<>();
        for (var cluster : clusters) {
            var name = cluster.getMetadata().getName();
            if (PlacementMatcher.selects(app.getSpec().placement(), name, cluster.getMetadata().getLabels())) {
                targets.add(TargetCluster.of(name, connected(cluster),
                        report(cluster, app.getMetadata().getName())));
            }
        }
        return targets;
    }

    private static AppReport report(EdgeCluster cluster, String app) {
        return apps(cluster).stream().filter(a -> app.equals(a.name())).findFirst()
                .map(a -> new AppReport(a.revision(), Boolean.TRUE.equals(a.ready()), Boolean.TRUE.equals(a.failed()),
                        a.message()))
                .orElse(null);
    }

    /**
     * What CRD validation cannot catch: bad selectors, overrides that break a resource for some site,
     * and renderings too large to ship.
     */
    private static List<String> problems(EdgeApp app, RevisionContent content, String revision,
            List<TargetCluster> targets, Map<String, Map<String, String>> labels, long maxBundleBytes) {
        var spec = app.getSpec();
        List<String> problems = new ArrayList<>(LabelSelectors.problems("placement.clusterSelector",
                spec.placement().clusterSelector()));
        var overrides = content.overrides();
        for (int i = 0; i < overrides.size(); i++) {
            problems.addAll(LabelSelectors.problems("overrides[" + i + "].clusterSelector",
                    overrides.get(i).clusterSelector()));
        }
        if (spec.rollout() != null && spec.rollout().waves() != null) {
            for (var wave : spec.rollout().waves()) {
                problems.addAll(LabelSelectors.problems("rollout.waves[" + wave.name() + "].clusterSelector",
                        wave.clusterSelector()));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        // Each override on its own must apply, whether or not a cluster selects it today...
        var each = OverrideApplier.checkEach(content.resources(), overrides);
        problems.addAll(each);
        Set<String> seen = new HashSet<>(each);
        // ...and so must every combination a targeted cluster selects, and the plain app.
        var renderer = new BundleRenderer(new HashMap<>(), maxBundleBytes);
        List<Map<String, String>> variants = new ArrayList<>();
        variants.add(Map.of());
        targets.forEach(t -> variants.add(labels.getOrDefault(t.name(), Map.of())));
        for (var variant : variants) {
            try {
                renderer.render(app.getMetadata().getUid(), app.getMetadata().getName(), revision, content, variant);
            } catch (InvalidAppException e) {
                e.problems().stream().filter(seen::add).forEach(problems::add);
            }
        }
        return problems;
    }

    private static List<String> missingClusters(EdgeApp app, List<EdgeCluster> clusters) {
        var listed = app.getSpec().placement().clusters();
        if (listed == null) {
            return List.of();
        }
        Set<String> existing = new HashSet<>();
        clusters.forEach(c -> existing.add(c.getMetadata().getName()));
        var missing = listed.stream().filter(n -> !existing.contains(n)).sorted().limit(20).toList();
        return missing.isEmpty() ? List.of() : List.of("no EdgeCluster named " + String.join(", ", missing));
    }

    private static Map<String, Map<String, String>> labelsByName(List<EdgeCluster> clusters) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        clusters.forEach(c -> labels.put(c.getMetadata().getName(),
                c.getMetadata().getLabels() == null ? Map.of() : c.getMetadata().getLabels()));
        return labels;
    }

    private void logTransitions(EdgeApp app, EdgeAppStatus before, EdgeAppStatus after) {
        var was = before == null ? null : before.phase();
        if (was != after.phase()) {
            LOG.infof("EdgeApp %s/%s: %s -> %s (revision %s, ready %s)", app.getMetadata().getNamespace(),
                    app.getMetadata().getName(), was, after.phase(), after.revision(), after.display().ready());
            if (after.phase() == EdgeAppStatus.Phase.Degraded) {
                events.warning(app, "Degraded", message(after));
            }
            Conditions.find(after.conditions(), EdgeAppStatusBuilder.AVAILABLE)
                    .filter(c -> "NoTargets".equals(c.getReason()))
                    .ifPresent(c -> events.warning(app, "NoTargets", c.getMessage()));
        }
    }

    private static String message(EdgeAppStatus status) {
        return Conditions.find(status.conditions(), EdgeAppStatusBuilder.DEGRADED)
                .map(c -> c.getMessage()).orElse("");
    }

    private static EdgeApp withStatus(EdgeApp app, EdgeAppStatus status) {
        if (status == app.getStatus()) {
            return app;
        }
        var copy = new EdgeApp();
        copy.setMetadata(app.getMetadata());
        copy.setSpec(app.getSpec());
        copy.setStatus(status);
        return copy;
    }

    static boolean connected(EdgeCluster cluster) {
        return Conditions.isTrue(conditions(cluster), ClusterStatusBuilder.CONNECTED);
    }

    static List<EdgeClusterStatus.AppStatus> apps(EdgeCluster cluster) {
        return cluster.getStatus() == null || cluster.getStatus().apps() == null ? List.of()
                : cluster.getStatus().apps();
    }

    private static List<io.fabric8.kubernetes.api.model.Condition> conditions(EdgeCluster cluster) {
        return cluster.getStatus() == null ? null : cluster.getStatus().conditions();
    }
}
