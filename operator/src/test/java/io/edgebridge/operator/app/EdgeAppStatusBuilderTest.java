package io.edgebridge.operator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.Phase;
import io.edgebridge.operator.plan.AppReport;
import io.edgebridge.operator.plan.RolloutPlanner;
import io.edgebridge.operator.plan.RolloutSettings;
import io.edgebridge.operator.plan.TargetCluster;
import io.edgebridge.operator.plan.WaveTargets;
import io.edgebridge.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EdgeAppStatusBuilderTest {

    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    static EdgeApp app() {
        var app = new EdgeApp();
        app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("f").withGeneration(3L).build());
        return app;
    }

    static RolloutPlanner.Outcome step(List<TargetCluster> targets) {
        return RolloutPlanner.step(new RolloutPlanner.Input("r1", false, RolloutSettings.of(null),
                List.of(new WaveTargets(WaveTargets.ALL_WAVE, targets)), null, NOW));
    }

    @Test
    void anAppWhoseClustersAreAllOfflineIsPendingNotProgressing() {
        var targets = List.of(TargetCluster.of("a", false, null), TargetCluster.of("b", false, null));
        var status = EdgeAppStatusBuilder.build(app(), "r1", step(targets), targets, List.of(), NOW);
        assertEquals(Phase.Pending, status.phase());
        assertEquals("AllOffline", Conditions.find(status.conditions(), "Available").orElseThrow().getReason());
        assertEquals(2, status.summary().offline());
        assertEquals(3L, status.observedGeneration());
    }

    @Test
    void theNotReadyListPutsFailuresFirstAndStopsAtTwenty() {
        List<TargetCluster> targets = new ArrayList<>();
        IntStream.range(0, 30).forEach(i -> targets.add(TargetCluster.of("pending-" + i, true, null)));
        targets.add(TargetCluster.of("zz-broken", true, new AppReport("r1", false, true, "CrashLoopBackOff")));
        targets.add(TargetCluster.of("aa-away", false, null));
        var status = EdgeAppStatusBuilder.build(app(), "r1", step(targets), targets, List.of(), NOW);
        assertEquals(EdgeAppStatusBuilder.MAX_LISTED, status.notReady().size());
        assertEquals("zz-broken", status.notReady().get(0).cluster());
        assertEquals("CrashLoopBackOff", status.notReady().get(0).message());
        assertEquals("Offline", status.notReady().get(1).reason());
        assertEquals(32, status.summary().targeted());
        assertEquals("0/32", status.display().ready());
    }
}
