package io.edgebridge.operator.app;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.ClusterIssue;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.Phase;
import io.edgebridge.operator.plan.RolloutPlanner;
import io.edgebridge.operator.plan.RolloutPlanner.Verdict;
import io.edgebridge.operator.plan.TargetCluster;
import io.edgebridge.operator.status.Conditions;
import io.edgebridge.operator.status.Conditions.Desired;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Turns a rollout step and what clusters report into an EdgeApp status: counts, a bounded list, conditions. */
public final class EdgeAppStatusBuilder {

    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    /** Status lists clusters by name up to this many; the counts cover the rest. */
    public static final int MAX_LISTED = 20;

    private EdgeAppStatusBuilder() {
    }

    /** Status of an app that can be delivered. */
    public static EdgeAppStatus build(EdgeApp app, String revision, RolloutPlanner.Outcome outcome,
            List<TargetCluster> targets, List<String> warnings, Instant now) {
        var rollout = outcome.status();
        var current = rollout != null ? rollout.revision() : null;
        int updated = 0;
        int ready = 0;
        int failed = 0;
        int offline = 0;
        for (var target : targets) {
            var report = target.report();
            if (report != null && current != null && current.equals(report.revision())) {
                updated++;
            }
            if (report != null && report.ready()) {
                ready++;
            }
            if (report != null && report.failed()) {
                failed++;
            }
            if (!target.online()) {
                offline++;
            }
        }
        int targeted = targets.size();
        boolean suspended = outcome.verdict() == Verdict.Suspended;
        long onlineNotReady = targets.stream().filter(t -> t.online() && (t.report() == null || !t.report().ready()))
                .count();

        List<Desired> conditions = new ArrayList<>();
        if (targeted == 0) {
            conditions.add(new Desired(AVAILABLE, Conditions.FALSE, "NoTargets", noTargetsMessage(app, warnings)));
        } else if (offline == targeted) {
            conditions.add(new Desired(AVAILABLE, Conditions.FALSE, "AllOffline",
                    "all " + targeted + " targeted clusters are offline"));
        } else if (onlineNotReady == 0) {
            conditions.add(new Desired(AVAILABLE, Conditions.TRUE, "ClustersReady",
                    ready + "/" + targeted + " clusters ready" + (offline > 0 ? ", " + offline + " offline" : "")));
        } else {
            conditions.add(new Desired(AVAILABLE, Conditions.FALSE, "ClustersNotReady",
                    onlineNotReady + " online clusters not ready"));
        }
        conditions.add(progressing(outcome, suspended));
        conditions.add(degraded(outcome));

        var merged = Conditions.merge(current(app), conditions, app.getMetadata().getGeneration(), now);
        Phase phase;
        if (suspended) {
            phase = Phase.Suspended;
        } else if (targeted == 0 || offline == targeted) {
            phase = Phase.Pending;
        } else if (Conditions.isTrue(merged, DEGRADED)) {
            phase = Phase.Degraded;
        } else if (outcome.verdict() == Verdict.Complete && Conditions.isTrue(merged, AVAILABLE)) {
            phase = Phase.Available;
        } else {
            phase = Phase.Progressing;
        }
        return new EdgeAppStatus(app.getMetadata().getGeneration(), revision, phase, merged,
                new EdgeAppStatus.Summary(targeted, updated, ready, failed, offline),
                notReady(targets, rollout == null ? null : rollout.revision()), rollout,
                new EdgeAppStatus.Display(ready + "/" + targeted));
    }

    /** Status of an app that passed CRD validation but cannot be delivered: the rollout stays where it was. */
    public static EdgeAppStatus invalid(EdgeApp app, String revision, List<String> problems, Instant now) {
        var previous = app.getStatus();
        var message = "cannot deliver revision " + revision + ": " + String.join("; ", problems);
        var conditions = new ArrayList<Desired>();
        Conditions.find(current(app), AVAILABLE).ifPresentOrElse(
                c -> conditions.add(new Desired(AVAILABLE, c.getStatus(), c.getReason(), c.getMessage())),
                () -> conditions.add(new Desired(AVAILABLE, Conditions.FALSE, "InvalidSpec", message)));
        conditions.add(new Desired(PROGRESSING, Conditions.FALSE, "InvalidSpec", message));
        conditions.add(new Desired(DEGRADED, Conditions.TRUE, "InvalidSpec", message));
        var merged = Conditions.merge(current(app), conditions, app.getMetadata().getGeneration(), now);
        return new EdgeAppStatus(app.getMetadata().getGeneration(), revision, Phase.Degraded, merged,
                previous == null ? null : previous.summary(), previous == null ? null : previous.notReady(),
                previous == null ? null : previous.rollout(), previous == null ? null : previous.display());
    }

    private static Desired progressing(RolloutPlanner.Outcome outcome, boolean suspended) {
        if (suspended) {
            return new Desired(PROGRESSING, Conditions.FALSE, "Suspended", "spec.suspend is set: delivery is frozen");
        }
        var rollout = outcome.status();
        return switch (outcome.verdict()) {
            case Complete -> new Desired(PROGRESSING, Conditions.FALSE, "RolloutComplete",
                    "revision " + rollout.revision() + " is rolled out");
            case Halted -> new Desired(PROGRESSING, Conditions.FALSE, "RolloutHalted",
                    "rollout of revision " + rollout.revision() + " is stopped by failurePolicy Pause; "
                            + "change the spec to roll forward");
            default -> {
                var wave = rollout.waves().get(rollout.currentWave());
                yield new Desired(PROGRESSING, Conditions.TRUE, "RolloutInProgress",
                        "revision " + rollout.revision() + ", wave " + wave.name() + ": " + wave.released() + "/"
                                + wave.targeted() + " released, " + wave.ready() + " ready");
            }
        };
    }

    private static Desired degraded(RolloutPlanner.Outcome outcome) {
        if (outcome.overFailureBudget()) {
            var names = outcome.failing().stream().map(TargetCluster::name).sorted().limit(MAX_LISTED)
                    .collect(Collectors.joining(", "));
            var first = outcome.failing().get(0).report().message();
            return new Desired(DEGRADED, Conditions.TRUE, "FailureBudgetExceeded",
                    outcome.failing().size() + " clusters failed at revision " + outcome.status().revision()
                            + " (maxFailures " + outcome.failureBudget() + "): " + names
                            + (first != null ? "; first error: " + first : ""));
        }
        if (outcome.lateWave() != null) {
            return new Desired(DEGRADED, Conditions.TRUE, "ProgressDeadlineExceeded",
                    "wave " + outcome.lateWave() + " did not become ready within progressDeadline");
        }
        return new Desired(DEGRADED, Conditions.FALSE, "AsExpected", "no failures");
    }

    private static String noTargetsMessage(EdgeApp app, List<String> warnings) {
        var message = "placement selects no EdgeCluster in namespace " + app.getMetadata().getNamespace()
                + ": check spec.placement.clusterSelector and the clusters' labels";
        return warnings.isEmpty() ? message : message + "; " + String.join("; ", warnings);
    }

    /** Not-ready clusters, failures first, then offline, then the rest, by name; at most {@link #MAX_LISTED}. */
    static List<ClusterIssue> notReady(List<TargetCluster> targets, String revision) {
        List<ClusterIssue> issues = new ArrayList<>();
        for (var target : targets) {
            var report = target.report();
            if (report != null && report.failed()) {
                issues.add(new ClusterIssue(target.name(), "Failed", report.message()));
            } else if (!target.online()) {
                issues.add(new ClusterIssue(target.name(), "Offline", "the edge proxy is not connected"));
            } else if (report == null) {
                issues.add(new ClusterIssue(target.name(), "Pending", "the app has not reached the cluster yet"));
            } else if (!report.ready()) {
                issues.add(new ClusterIssue(target.name(), revision != null && revision.equals(report.revision())
                        ? "Updating" : "NotReady", report.message()));
            }
        }
        var order = List.of("Failed", "Offline", "NotReady", "Updating", "Pending");
        issues.sort(Comparator.comparingInt((ClusterIssue i) -> order.indexOf(i.reason()))
                .thenComparing(ClusterIssue::cluster));
        return issues.size() > MAX_LISTED ? List.copyOf(issues.subList(0, MAX_LISTED)) : issues;
    }

    private static List<io.fabric8.kubernetes.api.model.Condition> current(EdgeApp app) {
        return app.getStatus() == null ? null : app.getStatus().conditions();
    }
}
