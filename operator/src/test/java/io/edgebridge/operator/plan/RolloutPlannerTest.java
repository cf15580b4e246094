package io.edgebridge.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeAppSpec;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.RolloutStatus;
import io.edgebridge.operator.plan.RolloutPlanner.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rollout state machine, driven step by step the way the reconciler drives it. */
class RolloutPlannerTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    /** A small fleet whose clusters report what a test tells them to. */
    static final class Fleet {
        final Map<String, Boolean> online = new HashMap<>();
        final Map<String, AppReport> reports = new HashMap<>();
        final Map<String, List<String>> waves = new java.util.LinkedHashMap<>();

        Fleet wave(String name, int clusters) {
            var names = IntStream.range(0, clusters).mapToObj(i -> name + "-" + i).toList();
            waves.put(name, names);
            names.forEach(n -> online.put(n, true));
            return this;
        }

        List<WaveTargets> targets() {
            List<WaveTargets> result = new ArrayList<>();
            waves.forEach((name, clusters) -> {
                var targets = new ArrayList<>(clusters.stream()
                        .map(c -> TargetCluster.of(c, online.get(c), reports.get(c))).toList());
                targets.sort(TargetCluster.ROLLOUT_ORDER);
                result.add(new WaveTargets(name, targets));
            });
            return result;
        }

        /** Every released cluster applies {@code revision}; ready unless listed as failing. */
        void applyReleased(RolloutStatus status, String... failing) {
            for (var wave : targets()) {
                var upTo = status.waves().stream().filter(w -> w.name().equals(wave.name())).findFirst()
                        .orElseThrow().releasedUpTo();
                for (var cluster : wave.clusters()) {
                    if (RolloutPlanner.released(upTo, cluster.orderKey()) && cluster.online()) {
                        boolean fails = List.of(failing).contains(cluster.name());
                        reports.put(cluster.name(), new AppReport(status.revision(), !fails, fails,
                                fails ? "ImagePullBackOff" : null));
                    }
                }
            }
        }

        List<String> released(RolloutStatus status) {
            List<String> names = new ArrayList<>();
            for (var wave : targets()) {
                var upTo = status.waves().stream().filter(w -> w.name().equals(wave.name())).findFirst()
                        .orElseThrow().releasedUpTo();
                wave.clusters().stream().filter(c -> RolloutPlanner.released(upTo, c.orderKey()))
                        .forEach(c -> names.add(c.name()));
            }
            return names;
        }
    }

    static RolloutSettings settings(String yaml) {
        return RolloutSettings.of(PlanFixtures.yaml(yaml, EdgeAppSpec.Rollout.class));
    }

    static RolloutPlanner.Outcome step(Fleet fleet, String revision, RolloutSettings settings, RolloutStatus current,
            Instant now) {
        return RolloutPlanner.step(new RolloutPlanner.Input(revision, false, settings, fleet.targets(), current, now));
    }

    static final RolloutSettings TWO_WAVES = settings("""
            strategy: Waves
            waves:
              - {name: canary, clusterSelector: {}}
              - {name: stores, clusterSelector: {}}
            maxUnavailable: 1
            """);

    @Test
    void strategyAllReleasesEverythingAtOnceAndCompletesWhenAllAreReady() {
        var fleet = new Fleet().wave(WaveTargets.ALL_WAVE, 5);
        var first = step(fleet, "r1", RolloutSettings.of(null), null, T0);
        assertEquals(Verdict.Progressing, first.verdict());
        assertEquals(5, fleet.released(first.status()).size());
        assertNull(first.status().previousRevision());

        fleet.applyReleased(first.status());
        var done = step(fleet, "r1", RolloutSettings.of(null), first.status(), T0.plusSeconds(30));
        assertEquals(Verdict.Complete, done.verdict());
        assertEquals("2026-11-30T10:00:30Z", done.status().completedAt());
        assertEquals(5, done.status().waves().get(0).ready());
    }

    @Test
    void wavesGoOneAfterAnotherWithinMaxUnavailable() {
        var fleet = new Fleet().wave("canary", 2).wave("stores", 3);
        var status = step(fleet, "r1", TWO_WAVES, null, T0).status();
        assertEquals(1, fleet.released(status).size(), "one at a time");
        assertEquals(0, status.currentWave());

        var again = step(fleet, "r1", TWO_WAVES, status, T0.plusSeconds(1)).status();
        assertEquals(fleet.released(status), fleet.released(again), "nothing more until the first is ready");

        fleet.applyReleased(again);
        status = step(fleet, "r1", TWO_WAVES, again, T0.plusSeconds(2)).status();
        assertEquals(2, fleet.released(status).size());
        assertEquals(RolloutPlanner.ALL_RELEASED, status.waves().get(0).releasedUpTo());
        assertEquals(0, status.waves().get(1).released(), "stores wait for canary to be ready");

        fleet.applyReleased(status);
        status = step(fleet, "r1", TWO_WAVES, status, T0.plusSeconds(3)).status();
        assertEquals(1, status.currentWave());
        assertEquals(1, status.waves().get(1).released());
        assertEquals("2026-11-30T10:00:03Z", status.waveStartedAt());

        for (int i = 0; i < 3; i++) {
            fleet.applyReleased(status);
            status = step(fleet, "r1", TWO_WAVES, status, T0.plusSeconds(4 + i)).status();
        }
        assertEquals(5, fleet.released(status).size());
        assertEquals(Verdict.Complete, step(fleet, "r1", TWO_WAVES, status, T0.plusSeconds(9)).verdict());
    }

    @Test
    void offlineClustersDoNotBlockAWaveAndStayReleasedForWhenTheyReturn() {
        var fleet = new Fleet().wave("canary", 3).wave("stores", 2);
        var offline = fleet.waves.get("canary").get(1);
        fleet.online.put(offline, false);
        var settings = settings("""
                strategy: Waves
                waves: [{name: canary, clusterSelector: {}}, {name: stores, clusterSelector: {}}]
                maxUnavailable: 100%
                """);

        var status = step(fleet, "r1", settings, null, T0).status();
        assertTrue(fleet.released(status).contains(offline), "released, to catch up on return");
        fleet.applyReleased(status);
        status = step(fleet, "r1", settings, status, T0.plusSeconds(1)).status();
        assertEquals(1, status.currentWave(), "the offline canary did not hold the wave");
        assertEquals(2, status.waves().get(0).ready());
    }

    @Test
    void offlinePolicyWaitHoldsTheWave() {
        var fleet = new Fleet().wave("canary", 2).wave("stores", 2);
        fleet.online.put(fleet.waves.get("canary").get(0), false);
        var settings = settings("""
                strategy: Waves
                waves: [{name: canary, clusterSelector: {}}, {name: stores, clusterSelector: {}}]
                maxUnavailable: 100%
                offlinePolicy: Wait
                """);
        var status = step(fleet, "r1", settings, null, T0).status();
        fleet.applyReleased(status);
        status = step(fleet, "r1", settings, status, T0.plusSeconds(1)).status();
        assertEquals(0, status.currentWave());
        assertEquals(0, status.waves().get(1).released());
    }

    @Test
    void failuresOverBudgetHaltTheRolloutUnderPause() {
        var fleet = new Fleet().wave("canary", 2).wave("stores", 2);
        var first = step(fleet, "r1", TWO_WAVES, null, T0);
        var failing = fleet.released(first.status()).get(0);
        fleet.applyReleased(first.status(), failing);

        var halted = step(fleet, "r1", TWO_WAVES, first.status(), T0.plusSeconds(5));
        assertEquals(Verdict.Halted, halted.verdict());
        assertTrue(halted.overFailureBudget());
        assertEquals(List.of(failing), halted.failing().stream().map(TargetCluster::name).toList());
        assertEquals(1, fleet.released(halted.status()).size(), "nothing more is released");
    }

    @Test
    void failuresOverBudgetCarryOnUnderContinue() {
        var fleet = new Fleet().wave("canary", 2).wave("stores", 2);
        var settings = settings("""
                strategy: Waves
                waves: [{name: canary, clusterSelector: {}}, {name: stores, clusterSelector: {}}]
                maxUnavailable: 1
                failurePolicy: Continue
                """);
        var status = step(fleet, "r1", settings, null, T0).status();
        fleet.applyReleased(status, fleet.released(status).get(0));
        var next = step(fleet, "r1", settings, status, T0.plusSeconds(1));
        assertEquals(Verdict.Progressing, next.verdict());
        assertTrue(next.overFailureBudget());
        assertEquals(2, fleet.released(next.status()).size(), "a failed cluster is settled: it frees its slot");
    }

    @Test
    void aMissedDeadlineIsReportedAndRecheckedAtTheDeadline() {
        var fleet = new Fleet().wave("canary", 1).wave("stores", 1);
        var settings = settings("""
                strategy: Waves
                waves: [{name: canary, clusterSelector: {}}, {name: stores, clusterSelector: {}}]
                progressDeadline: 10m
                """);
        var first = step(fleet, "r1", settings, null, T0);
        assertEquals(T0.plus(Duration.ofMinutes(10)), first.recheckAt());

        var late = step(fleet, "r1", settings, first.status(), T0.plus(Duration.ofMinutes(11)));
        assertEquals("canary", late.lateWave());
        assertEquals(Verdict.Halted, late.verdict());
    }

    @Test
    void pauseBetweenWavesDelaysTheNextWave() {
        var fleet = new Fleet().wave("canary", 1).wave("stores", 1);
        var settings = settings("""
                strategy: Waves
                waves: [{name: canary, clusterSelector: {}}, {name: stores, clusterSelector: {}}]
                pauseBetweenWaves: 5m
                """);
        var status = step(fleet, "r1", settings, null, T0).status();
        fleet.applyReleased(status);
        var paused = step(fleet, "r1", settings, status, T0.plusSeconds(60));
        assertEquals(0, paused.status().waves().get(1).released());
        assertEquals(T0.plusSeconds(60).plus(Duration.ofMinutes(5)), paused.recheckAt());

        var resumed = step(fleet, "r1", settings, paused.status(), T0.plusSeconds(60 + 300));
        assertEquals(1, resumed.status().waves().get(1).released());
    }

    @Test
    void aNewRevisionFallsBackToTheLastCompletedOneNotAHalfRolledOne() {
        var fleet = new Fleet().wave("canary", 1).wave("stores", 2);
        var status = step(fleet, "r1", TWO_WAVES, null, T0).status();
        for (int i = 0; i < 6; i++) {
            fleet.applyReleased(status);
            status = step(fleet, "r1", TWO_WAVES, status, T0.plusSeconds(i + 1)).status();
        }
        assertTrue(status.completedAt() != null);

        var r2 = step(fleet, "r2", TWO_WAVES, status, T0.plusSeconds(10)).status();
        assertEquals("r1", r2.previousRevision());
        assertEquals(1, fleet.released(r2).size());

        var r3 = step(fleet, "r3", TWO_WAVES, r2, T0.plusSeconds(11)).status();
        assertEquals("r1", r3.previousRevision(), "r2 never completed");
        assertEquals("r3", r3.revision());
    }

    @Test
    void suspendFreezesTheRollout() {
        var fleet = new Fleet().wave("canary", 2).wave("stores", 2);
        var status = step(fleet, "r1", TWO_WAVES, null, T0).status();
        fleet.applyReleased(status);
        var frozen = RolloutPlanner.step(new RolloutPlanner.Input("r2", true, TWO_WAVES, fleet.targets(), status,
                T0.plusSeconds(5)));
        assertEquals(Verdict.Suspended, frozen.verdict());
        assertEquals("r1", frozen.status().revision());
        assertEquals(fleet.released(status), fleet.released(frozen.status()));

        var never = RolloutPlanner.step(new RolloutPlanner.Input("r1", true, TWO_WAVES, fleet.targets(), null, T0));
        assertNull(never.status(), "a suspended new app releases nothing");
    }
}
