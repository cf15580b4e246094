package io.edgebridge.operator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.AppStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppsMovedTest {

    private static final AppStatus WEB_1 = new AppStatus("web", "web-1", true, false, null);
    private static final AppStatus CACHE_1 = new AppStatus("cache", "cache-1", true, false, null);

    @Test
    void aReportMovesOnlyTheAppsWhoseEntryChanged() {
        var before = cluster(Map.of("site", "a"), true, List.of(WEB_1, CACHE_1));
        var after = cluster(Map.of("site", "a"), true, List.of(new AppStatus("web", "web-2", false, false, "applying"),
                CACHE_1));

        var moved = AppsMoved.by(before, after);

        assertFalse(moved.all());
        assertEquals(Set.of("web"), moved.names());
        assertTrue(moved.includes("web"));
        assertFalse(moved.includes("cache"));
    }

    @Test
    void anAppAppearingOrLeavingTheReportMovesIt() {
        var before = cluster(Map.of(), true, List.of(WEB_1));
        var after = cluster(Map.of(), true, List.of(CACHE_1));

        assertEquals(Set.of("web", "cache"), AppsMoved.by(before, after).names());
    }

    @Test
    void aChangeOutsideTheReportLabelsAndConnectivityMovesNoApp() {
        var before = cluster(Map.of("site", "a"), true, List.of(WEB_1));
        var after = cluster(Map.of("site", "a"), true, List.of(WEB_1));

        assertTrue(AppsMoved.by(before, after).none());
    }

    @Test
    void labelsConnectivityCreationAndDeletionMoveEveryApp() {
        var connected = cluster(Map.of("site", "a"), true, List.of(WEB_1));

        assertTrue(AppsMoved.by(connected, cluster(Map.of("site", "b"), true, List.of(WEB_1))).all());
        assertTrue(AppsMoved.by(connected, cluster(Map.of("site", "a"), false, List.of(WEB_1))).all());
        assertTrue(AppsMoved.by(null, connected).all());
        assertTrue(AppsMoved.by(connected, null).all());
        assertTrue(AppsMoved.by(connected, null).includes("anything"));
    }

    private static EdgeCluster cluster(Map<String, String> labels, boolean connected, List<AppStatus> apps) {
        var cluster = new EdgeCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("site-0").withNamespace("fleet").withLabels(labels)
                .build());
        Condition condition = new ConditionBuilder().withType("Connected").withStatus(connected ? "True" : "False")
                .build();
        cluster.setStatus(new EdgeClusterStatus(null, List.of(condition), null, null, null, null, null, null, null,
                apps, null, null, null, null));
        return cluster;
    }
}
