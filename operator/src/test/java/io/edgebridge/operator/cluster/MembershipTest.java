package io.edgebridge.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.EdgeNodeStatus;
import io.edgebridge.api.v1alpha1.NodeRole;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MembershipTest {

    static final KubernetesSerialization YAML = new KubernetesSerialization();

    static EdgeNode node(String name, String site) {
        return YAML.unmarshal("""
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeNode
                metadata: {name: %s, namespace: f, labels: {site: %s}}
                spec: {serialNumber: SN-%s}
                """.formatted(name, site, name), EdgeNode.class);
    }

    static EdgeCluster cluster(String name, String created, String spec) {
        return YAML.unmarshal("""
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeCluster
                metadata: {name: %s, namespace: f, creationTimestamp: "%s"}
                spec: %s
                """.formatted(name, created, spec), EdgeCluster.class);
    }

    static List<String> members(Membership.Result result) {
        return result.members().stream().map(m -> m.name() + ":" + m.role()).toList();
    }

    @Test
    void listedRolesWinAndSelectedNodesJoinAsAgents() {
        var nodes = List.of(node("a", "x"), node("b", "x"), node("c", "y"));
        var cluster = cluster("x", "2026-01-01T00:00:00Z",
                "{nodeSelector: {matchLabels: {site: x}}, nodes: [{name: b, role: server}]}");
        assertEquals(List.of("b:SERVER", "a:AGENT"), members(Membership.resolve(cluster, nodes, List.of(cluster))));
    }

    @Test
    void aSelectorOnlyClusterMakesTheFirstDeviceByNameItsServer() {
        var nodes = List.of(node("n2", "x"), node("n1", "x"));
        var cluster = cluster("x", "2026-01-01T00:00:00Z", "{nodeSelector: {matchLabels: {site: x}}}");
        assertEquals(List.of("n1:SERVER", "n2:AGENT"), members(Membership.resolve(cluster, nodes, List.of(cluster))));
    }

    @Test
    void aContestedDeviceStaysWhereItIsOrWithTheOldestClaimant() {
        var nodes = List.of(node("a", "x"));
        var older = cluster("older", "2026-01-01T00:00:00Z", "{nodes: [{name: a, role: server}]}");
        var newer = cluster("newer", "2026-06-01T00:00:00Z", "{nodeSelector: {matchLabels: {site: x}}}");
        var clusters = List.of(newer, older);

        var byAge = Membership.resolve(newer, nodes, clusters);
        assertEquals(List.of(), byAge.members());
        assertEquals(List.of("a"), byAge.lost());
        assertEquals(Map.of("a", List.of("older")), byAge.conflicts());
        assertEquals(List.of("a:SERVER"), members(Membership.resolve(older, nodes, clusters)));

        var incumbent = node("a", "x");
        incumbent.setStatus(new EdgeNodeStatus(null, null, null, null, null, null,
                new EdgeNodeStatus.Membership("newer", NodeRole.SERVER, "10.0.0.2"), null));
        assertEquals(List.of("a:SERVER"), members(Membership.resolve(newer, List.of(incumbent), clusters)));
        assertEquals(List.of("a"), Membership.resolve(older, List.of(incumbent), clusters).lost());
    }

    @Test
    void listedNamesWithoutADeviceAreReported() {
        var cluster = cluster("x", "2026-01-01T00:00:00Z", "{nodes: [{name: ghost, role: server}]}");
        var result = Membership.resolve(cluster, List.of(node("a", "x")), List.of(cluster));
        assertEquals(List.of("ghost"), result.missing());
        assertEquals(List.of(), result.members());
    }
}
