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
                 "status":{"phase":"Ready","capacity":{"cpu":"4","memory":"%s"},
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
        assertTrue(CachedObjectCompactor.recentValues() <= CachedObjectCompactor.MAX_RECENT + 1);
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
