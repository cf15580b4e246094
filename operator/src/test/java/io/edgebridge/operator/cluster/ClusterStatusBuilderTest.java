package io.edgebridge.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterStatusBuilderTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void anotherReadyAppLeavesAReadyClustersConditionsAsTheyWere() {
        var node = MembershipTest.node("n1", "x");
        var oneApp = reported(List.of(new EdgeClusterStatus.AppStatus("a", "r1", true, false, null)));
        var first = build(oneApp, node);
        assertEquals("True/AllReady", ready(first));

        // The hub writes the report with the second app; this must not need a second write of its own.
        var twoApps = reported(List.of(new EdgeClusterStatus.AppStatus("a", "r1", true, false, null),
                new EdgeClusterStatus.AppStatus("b", "r1", true, false, null)));
        twoApps.getStatus().conditions().addAll(first.conditions());
        var second = build(twoApps, node);
        assertEquals(ClusterStatusBuilder.owned(first), ClusterStatusBuilder.owned(second));

        var notReady = reported(List.of(new EdgeClusterStatus.AppStatus("a", "r1", true, false, null),
                new EdgeClusterStatus.AppStatus("b", "r2", false, false, null)));
        notReady.getStatus().conditions().addAll(first.conditions());
        assertEquals("False/AppsNotReady", ready(build(notReady, node)));
    }

    private static EdgeClusterStatus build(EdgeCluster cluster, io.edgebridge.api.v1alpha1.EdgeNode node) {
        var membership = Membership.resolve(cluster, List.of(node), List.of(cluster));
        return ClusterStatusBuilder.build(new ClusterStatusBuilder.Input(cluster, membership, Map.of("n1", "10.0.0.2"),
                null, "x-bootstrap-token", Duration.ofMinutes(5), NOW)).status();
    }

    private static EdgeCluster reported(List<EdgeClusterStatus.AppStatus> apps) {
        var cluster = MembershipTest.cluster("x", "2026-01-01T00:00:00Z", "{nodes: [{name: n1, role: server}]}");
        cluster.getMetadata().setGeneration(1L);
        var node = new EdgeClusterStatus.ReportedNode("n1", true, "v1.33.4+k3s1", "14.5.1", null);
        cluster.setStatus(new EdgeClusterStatus(null, new java.util.ArrayList<>(), null, null, null, "v1.33.4+k3s1",
                NOW.minusSeconds(10).toString(), null, null, apps, List.of(node), null, null, null));
        return cluster;
    }

    private static String ready(EdgeClusterStatus status) {
        return status.conditions().stream().filter(c -> c.getType().equals("Ready")).map(Condition::getStatus)
                .findFirst().orElseThrow() + "/" + status.conditions().stream().filter(c -> c.getType().equals("Ready"))
                .map(Condition::getReason).findFirst().orElseThrow();
    }
}
