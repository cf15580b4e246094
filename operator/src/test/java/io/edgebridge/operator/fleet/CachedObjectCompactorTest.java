package io.edgebridge.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class CachedObjectCompactorTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private static EdgeNode node(String name, String memory) {
        return JSON.unmarshal("""
                {"apiVersion":"edgebridge.io/v1alpha1","kind":"EdgeNode",
                 "metadata":{"name":"%s","namespace":"fleet","uid":"uid-%s","resourceVersion":"3"},
                 "status":{"phase":"Ready","capacity":{"cpu":"4","memory":"%s"},"k3sVersion":"v1.33.4+k3s1",
                  "eveVersion":"14.5.1",
                  "conditions":[{"type":"Ready","status":"True","reason":"NodeReady","message":"K3s node %s is Ready",
                                 "lastTransitionTime":"2026-11-30T10:00:00Z"}]}}
                """.formatted(name, name, memory, name), EdgeNode.class);
    }

    @Test
    void aCompactedObjectSaysWhatItSaidBefore() {
        var node = node("n1", "8Gi");
        var before = JSON.asJson(node);

        var compacted = CachedObjectCompactor.compact(node);

        assertSame(node, compacted);
        assertEquals(before, JSON.asJson(compacted));
        assertEquals(JSON.unmarshal(before, EdgeNode.class), compacted);
    }

    @Test
    void alikeDevicesShareQuantitiesWordsAndEmptyMaps() {
        var first = CachedObjectCompactor.compact(node("n1", "8Gi"));
        var second = CachedObjectCompactor.compact(node("n2", "8Gi"));

        assertSame(first.getStatus().capacity().get("memory"), second.getStatus().capacity().get("memory"));
        assertSame(first.getStatus().capacity().get("cpu"), second.getStatus().capacity().get("cpu"));
        var a = first.getStatus().conditions().get(0);
        var b = second.getStatus().conditions().get(0);
        assertSame(a.getReason(), b.getReason());
        assertSame(a.getType(), b.getType());
        assertSame(a.getAdditionalProperties(), b.getAdditionalProperties());
        assertSame(first.getMetadata().getAdditionalProperties(), second.getMetadata().getAdditionalProperties());
        assertNotSame(a.getMessage(), b.getMessage());
    }

    @Test
    void conditionsWrittenAtOnceShareTheirMessageAndTime() {
        var first = CachedObjectCompactor.compact(node("n1", "8Gi")).getStatus().conditions().get(0);
        var again = CachedObjectCompactor.compact(node("n1", "8Gi")).getStatus().conditions().get(0);
        var other = CachedObjectCompactor.compact(node("n2", "8Gi")).getStatus().conditions().get(0);

        assertSame(first.getMessage(), again.getMessage());
        assertSame(first.getLastTransitionTime(), other.getLastTransitionTime());
        assertEquals("K3s node n2 is Ready", other.getMessage());
    }

    @Test
    void recentValuesAreForgottenRatherThanHeldForever() {
        for (int i = 0; i < 3 * CachedObjectCompactor.MAX_RECENT; i++) {
            CachedObjectCompactor.recent("2026-11-30T10:00:00." + i + "Z");
        }
        assertTrue(CachedObjectCompactor.recentValues() <= 2 * (CachedObjectCompactor.MAX_RECENT + 1),
                "values: " + CachedObjectCompactor.recentValues());
    }

    @Test
    void aValueManyObjectsHoldStaysSharedWhileOneOffValuesComeAndGo() {
        // Ten thousand clusters connecting write one message each, among their nodes' messages that name the node.
        var shared = CachedObjectCompactor.recent(new String("the edge proxy is syncing"));
        for (int i = 0; i < 3 * CachedObjectCompactor.MAX_RECENT; i++) {
            CachedObjectCompactor.recent("K3s node n-" + i + " is Ready");
            if (i % 100 == 0) {
                assertSame(shared, CachedObjectCompactor.recent(new String("the edge proxy is syncing")), "at " + i);
            }
        }
    }

    @Test
    void alikeDevicesShareTheirCapacitiesAndVersions() {
        var first = CachedObjectCompactor.compact(node("n1", "8Gi")).getStatus();
        var second = CachedObjectCompactor.compact(node("n2", "8Gi")).getStatus();
        var other = CachedObjectCompactor.compact(node("n3", "16Gi")).getStatus();

        assertSame(first.capacity(), second.capacity());
        assertNotSame(first.capacity(), other.capacity());
        assertEquals(new Quantity("16Gi"), other.capacity().get("memory"));
        assertSame(first.k3sVersion(), second.k3sVersion());
        assertSame(first.eveVersion(), second.eveVersion());

        var one = CachedObjectCompactor.compact(cluster("c1")).getStatus();
        var two = CachedObjectCompactor.compact(cluster("c2")).getStatus();
        assertSame(one.k3sVersion(), two.k3sVersion());
        assertSame(one.display().nodes(), two.display().nodes());
        assertSame(one.proxy().version(), two.proxy().version());
        assertSame(one.proxy().appliedStateHash(), two.proxy().appliedStateHash());
        assertSame(one.reportedNodes().get(0).capacity(), two.reportedNodes().get(0).capacity());
        assertSame(one.reportedNodes().get(0).eveVersion(), first.eveVersion());
        assertEquals("c2-n", two.reportedNodes().get(0).name());
        assertEquals("2027-01-01T00:00:00Z", two.proxy().certificateExpiry());
        assertSame(one.proxy().certificateExpiry(), two.proxy().certificateExpiry(), "written in the same second");
        assertSame(one.lastSeen(), two.lastSeen());
    }

    @Test
    void aClustersStatusNamesItsNodesWithTheStringsOfItsSpec() {
        var cluster = CachedObjectCompactor.compact(cluster("c1"));
        var specName = cluster.getSpec().nodes().get(0).name();

        assertSame(specName, cluster.getStatus().nodes().get(0).name());
        assertSame(specName, cluster.getStatus().reportedNodes().get(0).name());
        assertEquals("10.42.0.2", cluster.getStatus().nodes().get(0).ip());
    }

    @Test
    void aCompactedClusterSaysWhatItSaidBefore() {
        var cluster = cluster("c1");
        var before = JSON.asJson(cluster);

        assertEquals(before, JSON.asJson(CachedObjectCompactor.compact(cluster)));
    }

    private static EdgeCluster cluster(String name) {
        return JSON.unmarshal("""
                {"apiVersion":"edgebridge.io/v1alpha1","kind":"EdgeCluster",
                 "metadata":{"name":"%s","namespace":"fleet","uid":"uid-%s","resourceVersion":"7"},
                 "spec":{"nodes":[{"name":"%s-n","role":"server"}]},
                 "status":{"phase":"Ready","k3sVersion":"v1.33.4+k3s1","lastSeen":"2026-11-30T10:00:00Z",
                  "nodes":[{"name":"%s-n","role":"server","ip":"10.42.0.2","ready":true}],
                  "proxy":{"version":"1.4.0","appliedStateHash":"44136fa355b3678a","certificateExpiry":"2027-01-01T00:00:00Z"},
                  "reportedNodes":[{"name":"%s-n","ready":true,"k3sVersion":"v1.33.4+k3s1","eveVersion":"14.5.1",
                                    "capacity":{"cpu":"4","memory":"8Gi"}}],
                  "display":{"nodes":"1/1"}}}
                """.formatted(name, name, name, name, name), EdgeCluster.class);
    }

    @Test
    void equalAmountsWrittenDifferentlyStayAsWritten() {
        var gibibytes = CachedObjectCompactor.compact(node("n1", "1Gi"));
        var mebibytes = CachedObjectCompactor.compact(node("n2", "1024Mi"));

        assertEquals("1Gi", gibibytes.getStatus().capacity().get("memory").toString());
        assertEquals("1024Mi", mebibytes.getStatus().capacity().get("memory").toString());
    }

    @Test
    void aQuantityWithUnknownFieldsIsLeftAlone() {
        var odd = new Quantity("2");
        odd.setAdditionalProperty("note", "x");

        assertSame(odd, CachedObjectCompactor.canonical(odd));
    }

    @Test
    void aClusterWithoutStatusIsKeptAsItIs() {
        var cluster = new EdgeCluster();
        cluster.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("c").build());

        assertSame(cluster, CachedObjectCompactor.compact(cluster));
    }
}
