package io.edgebridge.operator.plan;

import io.edgebridge.api.v1alpha1.EdgeAppSpec.FailurePolicy;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.Strategy;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.RolloutStatus;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.WaveStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout state machine: from the previous rollout status and what the targeted clusters
 * report, decides which clusters of which wave get the new revision now. Pure: same input, same
 * output, on any replica.
 *
 * <p>Per wave, the released clusters are a prefix of the wave in rollout order, kept as the order
 * key of the last released cluster ({@link WaveStatus#releasedUpTo()}), so a cluster joining or
 * leaving never moves another one across the boundary.
 */
public final class RolloutPlanner {

    /** {@code releasedUpTo} of a wave whose every cluster, present and future, has the new revision. */
    public static final String ALL_RELEASED = "all";

    private RolloutPlanner() {
    }

    /**
     * @param revision the app's current revision
     * @param suspend whether delivery is frozen
     * @param waves the targeted clusters by wave, in wave order and rollout order
     * @param current the rollout status written last time, or null
     */
    public record Input(String revision, boolean suspend, RolloutSettings settings, List<WaveTargets> waves,
            RolloutStatus current, Instant now) {
    }

    public enum Verdict {
        /** Clusters are being given the revision or are becoming ready. */
        Progressing,
        /** Every wave is released and ready. */
        Complete,
        /** Stopped by the failure policy (failures over budget or deadline missed, policy Pause). */
        Halted,
        /** spec.suspend: nothing moves. */
        Suspended
    }

    /**
     * @param status the rollout status to write (null when nothing was ever released)
     * @param failing clusters that fail at the new revision
     * @param overFailureBudget whether failures exceed maxFailures
     * @param lateWave the wave that missed progressDeadline, or null
     * @param recheckAt when time alone changes the decision (deadline, pause end), or null
     */
    public record Outcome(RolloutStatus status, Verdict verdict, List<TargetCluster> failing,
            int failureBudget, boolean overFailureBudget, String lateWave, Instant recheckAt) {
    }

    public static Outcome step(Input in) {
        var now = in.now().truncatedTo(ChronoUnit.SECONDS);
        var current = in.current();
        if (current == null || current.revision() == null) {
            if (in.suspend()) {
                return new Outcome(current, Verdict.Suspended, List.of(), 0, false, null, null);
            }
            current = fresh(in.revision(), null, now);
        } else if (!current.revision().equals(in.revision()) && !in.suspend()) {
            // Clusters not yet released keep what they run; the fallback is the last revision that
            // completed a rollout, never a half-rolled-out one.
            var stable = current.completedAt() != null ? current.revision() : current.previousRevision();
            current = fresh(in.revision(), stable, now);
        }
        return new Stepper(in, current, now).run();
    }

    private static RolloutStatus fresh(String revision, String previous, Instant now) {
        return new RolloutStatus(revision, previous, 0, now.toString(), null, null, List.of());
    }

    /** Whether a cluster with {@code orderKey} is released in a wave released up to {@code upTo}. */
    public static boolean released(String upTo, String orderKey) {
        return ALL_RELEASED.equals(upTo) || (upTo != null && !upTo.isEmpty() && orderKey.compareTo(upTo) <= 0);
    }

    /** One step over mutable copies of the rollout fields. */
    private static final class Stepper {
        private final Input in;
        private final RolloutSettings settings;
        private final String revision;
        private final Instant now;
        private final String previousRevision;
        private final Map<String, String> upTo = new HashMap<>();
        private final int startWave;
        private Instant waveStartedAt;
        private Instant nextWaveAt;
        private Instant completedAt;
        private Instant recheckAt;

        Stepper(Input in, RolloutStatus current, Instant now) {
            this.in = in;
            this.settings = in.settings();
            this.revision = current.revision();
            this.now = now;
            this.previousRevision = current.previousRevision();
            if (current.waves() != null) {
                current.waves().forEach(w -> upTo.put(w.name(), w.releasedUpTo() == null ? "" : w.releasedUpTo()));
            }
            this.startWave = current.currentWave() == null ? 0 : current.currentWave();
            this.waveStartedAt = parse(current.waveStartedAt());
            this.nextWaveAt = parse(current.nextWaveAt());
            this.completedAt = parse(current.completedAt());
        }

        Outcome run() {
            var waves = in.waves();
            List<TargetCluster> failing = new ArrayList<>();
            int targeted = 0;
            for (var wave : waves) {
                targeted += wave.clusters().size();
                for (var cluster : wave.clusters()) {
                    if (released(upTo(wave), cluster.orderKey()) && cluster.reportsRevision(revision)
                            && cluster.report().failed()) {
                        failing.add(cluster);
                    }
                }
            }
            int budget = settings.maxFailures(targeted);
            boolean overBudget = failing.size() > budget;
            if (in.suspend() || !revision.equals(in.revision())) {
                return outcome(Verdict.Suspended, currentWave(), failing, budget, overBudget, null);
            }

            int wave = currentWave();
            if (wave != startWave || waveStartedAt == null) {
                waveStartedAt = now;
            }
            String lateWave = null;
            Verdict verdict = Verdict.Progressing;
            while (wave < waves.size()) {
                var targets = waves.get(wave);
                var deadline = waveStartedAt.plus(settings.progressDeadline());
                boolean late = !now.isBefore(deadline);
                if (late) {
                    lateWave = targets.name();
                } else {
                    earliestRecheck(deadline);
                }
                boolean halted = (overBudget || late) && settings.failurePolicy() == FailurePolicy.Pause;
                boolean ignoreUnready = late && settings.failurePolicy() == FailurePolicy.Continue;
                if (!halted && !ALL_RELEASED.equals(upTo(targets))) {
                    upTo.put(targets.name(), release(targets, ignoreUnready));
                }
                if (!ALL_RELEASED.equals(upTo(targets)) || !(ignoreUnready || done(targets))) {
                    verdict = halted ? Verdict.Halted : Verdict.Progressing;
                    break;
                }
                if (wave == waves.size() - 1) {
                    completedAt = completedAt != null ? completedAt : now;
                    verdict = Verdict.Complete;
                    break;
                }
                if (!settings.pauseBetweenWaves().isZero()) {
                    nextWaveAt = nextWaveAt != null ? nextWaveAt : now.plus(settings.pauseBetweenWaves());
                    if (now.isBefore(nextWaveAt)) {
                        earliestRecheck(nextWaveAt);
                        break;
                    }
                }
                nextWaveAt = null;
                wave++;
                waveStartedAt = now;
                lateWave = null;
            }
            if (verdict != Verdict.Complete) {
                completedAt = null;
            }
            return outcome(verdict, Math.min(wave, Math.max(0, waves.size() - 1)), failing, budget, overBudget,
                    lateWave);
        }

        /** The first wave not yet passed: a wave is passed once the next one has released something. */
        private int currentWave() {
            var waves = in.waves();
            for (int i = 0; i < waves.size() - 1; i++) {
                boolean passed = ALL_RELEASED.equals(upTo(waves.get(i))) && !upTo(waves.get(i + 1)).isEmpty();
                if (!passed) {
                    return i;
                }
            }
            return Math.max(0, waves.size() - 1);
        }

        /** Releases more clusters of the wave in rollout order, within maxUnavailable. */
        private String release(WaveTargets wave, boolean ignoreUnready) {
            if (settings.strategy() == Strategy.All) {
                return ALL_RELEASED;
            }
            var boundary = upTo(wave);
            int available = settings.maxUnavailable(wave.clusters().size());
            for (var cluster : wave.clusters()) {
                if (released(boundary, cluster.orderKey()) && occupiesBudget(cluster, ignoreUnready)) {
                    available--;
                }
            }
            var last = boundary;
            for (var cluster : wave.clusters()) {
                if (released(boundary, cluster.orderKey())) {
                    continue;
                }
                boolean occupies = occupiesBudget(cluster, ignoreUnready);
                if (occupies && available <= 0) {
                    return last;
                }
                last = cluster.orderKey();
                if (occupies) {
                    available--;
                }
            }
            return ALL_RELEASED;
        }

        /** An updating cluster: it counts (online, or offline under Wait) and is not yet done. */
        private boolean occupiesBudget(TargetCluster cluster, boolean ignoreUnready) {
            return !ignoreUnready && counts(cluster) && !isDone(cluster);
        }

        private boolean counts(TargetCluster cluster) {
            return cluster.online() || settings.offlineCounts();
        }

        /** Applied the revision and settled: ready, or failed (failures are judged by the budget). */
        private boolean isDone(TargetCluster cluster) {
            return cluster.reportsRevision(revision) && (cluster.report().ready() || cluster.report().failed());
        }

        private boolean done(WaveTargets wave) {
            return wave.clusters().stream().allMatch(c -> !counts(c) || isDone(c));
        }

        private String upTo(WaveTargets wave) {
            return upTo.getOrDefault(wave.name(), "");
        }

        private void earliestRecheck(Instant at) {
            if (recheckAt == null || at.isBefore(recheckAt)) {
                recheckAt = at;
            }
        }

        private Outcome outcome(Verdict verdict, int wave, List<TargetCluster> failing, int budget,
                boolean overBudget, String lateWave) {
            List<WaveStatus> waves = new ArrayList<>();
            for (var targets : in.waves()) {
                var boundary = upTo(targets);
                int released = 0;
                int updated = 0;
                int ready = 0;
                for (var cluster : targets.clusters()) {
                    if (released(boundary, cluster.orderKey())) {
                        released++;
                    }
                    if (cluster.reportsRevision(revision)) {
                        updated++;
                        if (cluster.report().ready()) {
                            ready++;
                        }
                    }
                }
                waves.add(new WaveStatus(targets.name(), targets.clusters().size(), released, boundary, updated, ready));
            }
            var status = new RolloutStatus(revision, previousRevision, wave, format(waveStartedAt), format(nextWaveAt),
                    format(completedAt), waves);
            return new Outcome(status, verdict, List.copyOf(failing), budget, overBudget, lateWave,
                    verdict == Verdict.Progressing || verdict == Verdict.Halted ? recheckAt : null);
        }
    }

    private static Instant parse(String time) {
        return time == null ? null : Instant.parse(time);
    }

    private static String format(Instant time) {
        return time == null ? null : time.toString();
    }
}
