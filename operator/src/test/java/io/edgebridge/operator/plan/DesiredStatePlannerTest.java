package io.edgebridge.operator.plan;

import static io.edgebridge.operator.plan.PlanFixtures.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.RolloutStatus;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.WaveStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredStatePlannerTest {

    final DesiredStatePlanner planner = new DesiredStatePlanner(new BundleRenderer(new HashMap<>()));
    final EdgeApp collector = app("collector-app.yaml");
    final String revision = RevisionContent.of(collector).revision();

    static DesiredStatePlanner.ClusterView cluster(String name, Map<String, String> reported) {
        return new DesiredStatePlanner.ClusterView(name, Map.of("site", name), reported);
    }

    EdgeApp released(EdgeApp app, String upTo) {
        app.setStatus(new EdgeAppStatus(1L, revision, null, null, null, null,
                new RolloutStatus(revision, null, 0, null, null, null,
                        List.of(new WaveStatus(WaveTargets.ALL_WAVE, 1, 1, upTo, 0, 0))), null));
        return app;
    }

    DesiredStatePlanner.AppView view(EdgeApp app) {
        return new DesiredStatePlanner.AppView(app, Map.of(revision, RevisionContent.of(app)));
    }

    @Test
    void aReleasedAppIsRenderedForTheCluster() {
        var result = planner.plan(cluster("munich", Map.of()), List.of(view(released(collector, "all"))));
        assertEquals(1, result.bundles().size());
        assertEquals(revision, result.bundles().get(0).revision());
        assertEquals(Set.of(), result.held());
    }

    @Test
    void nothingBeforeReleaseAndNothingForADeletedApp() {
        assertEquals(List.of(), planner.plan(cluster("munich", Map.of()),
                List.of(view(released(collector, "")))).bundles());

        var deleted = released(collector, "all");
        deleted.getMetadata().setDeletionTimestamp("2026-11-30T10:00:00Z");
        assertEquals(List.of(), planner.plan(cluster("munich", Map.of()), List.of(view(deleted))).bundles());
    }

    @Test
    void anAppWhoseRevisionIsGoneIsHeldNotRemoved() {
        var app = released(collector, "all");
        var result = planner.plan(cluster("munich", Map.of("collector", "old")),
                List.of(new DesiredStatePlanner.AppView(app, Map.of())));
        assertEquals(Set.of("collector"), result.held());
        assertTrue(result.problems().get("collector").contains("not kept"));
    }

    @Test
    void aNewAppWhoseRevisionIsNotSeenYetIsNeitherHeldNorSent() {
        // The hub's cache can see a new app's rollout before its ControllerRevision: the cluster
        // runs nothing of it, so its state must not change (and wake it for nothing) until then.
        var app = released(collector, "all");
        var result = planner.plan(cluster("munich", Map.of()), List.of(new DesiredStatePlanner.AppView(app, Map.of())));
        assertEquals(Set.of(), result.held());
        assertEquals(List.of(), result.bundles());
        assertEquals(planner.plan(cluster("munich", Map.of()), List.of()).stateHash(), result.stateHash());
    }

    @Test
    void theStateHashChangesWithTheBundles() {
        var one = planner.plan(cluster("munich", Map.of()), List.of(view(released(collector, "all"))));
        var none = planner.plan(cluster("munich", Map.of()), List.of());
        var again = planner.plan(cluster("munich", Map.of()), List.of(view(released(collector, "all"))));
        assertNotEquals(one.stateHash(), none.stateHash());
        assertEquals(one.stateHash(), again.stateHash());
    }
}
