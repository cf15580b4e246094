package io.edgebridge.operator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.AppStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.NodeStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.ReportedNode;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cluster change re-reconciles its member nodes exactly when something their status shows moved. */
class MemberFactsTest {

    private static final List<NodeStatus> MEMBERS = List.of(new NodeStatus("n1", null, "10.0.0.1", true));
    private static final List<ReportedNode> READY = List.of(new ReportedNode("n1", true, "v1.33.4+k3s1", "14.5.1",
            null));

    @Test
    void appReportsAndRefreshesWhileConnectedMoveNoMember() {
        var before = cluster(MEMBERS, READY, true, "2026-11-30T10:00:00Z", List.of());
        var after = cluster(MEMBERS, READY, true, "2026-11-30T10:05:00Z",
                List.of(new AppStatus("web", "web-1", true, false, null)));

        assertEquals(MemberFacts.of(before), MemberFacts.of(after));
    }

    @Test
    void membersTheirReportsConnectivityAndLastSeenWhileAwayMoveThem() {
        var before = cluster(MEMBERS, READY, true, "2026-11-30T10:00:00Z", List.of());

        assertNotEquals(MemberFacts.of(before), MemberFacts.of(cluster(List.of(), READY, true,
                "2026-11-30T10:00:00Z", List.of())));
        assertNotEquals(MemberFacts.of(before), MemberFacts.of(cluster(MEMBERS, List.of(new ReportedNode("n1",
                false, "v1.33.4+k3s1", "14.5.1", null)), true, "2026-11-30T10:00:00Z", List.of())));
        assertNotEquals(MemberFacts.of(before), MemberFacts.of(cluster(MEMBERS, READY, false,
                "2026-11-30T10:00:00Z", List.of())));
        var away = cluster(MEMBERS, READY, false, "2026-11-30T10:00:00Z", List.of());
        assertNotEquals(MemberFacts.of(away), MemberFacts.of(cluster(MEMBERS, READY, false,
                "2026-11-30T10:05:00Z", List.of())));
    }

    private static EdgeCluster cluster(List<NodeStatus> members, List<ReportedNode> reported, boolean connected,
            String lastSeen, List<AppStatus> apps) {
        var cluster = new EdgeCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("site-0").withNamespace("fleet").build());
        var condition = new ConditionBuilder().withType("Connected").withStatus(connected ? "True" : "False").build();
        cluster.setStatus(new EdgeClusterStatus(null, List.of(condition), members, null, null, null, lastSeen, null,
                null, apps, reported, null, null, null));
        return cluster;
    }
}
