package io.edgebridge.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.operator.fleet.SharedObjects;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMetadataStoreTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** As the informer gets it: its own instance, every string its own copy. */
    private static Secret received(String name, String kind) {
        return JSON.unmarshal("""
                {"apiVersion":"v1","kind":"Secret","type":"Opaque",
                 "metadata":{"name":"%s","namespace":"retail-eu","uid":"uid-%s","resourceVersion":"12",
                  "labels":{"app.kubernetes.io/part-of":"edgebridge","edgebridge.io/cluster":"hamburg",
                            "edgebridge.io/secret-kind":"%s"},
                  "annotations":{"edgebridge.io/token-sha256":"85b1264d"},
                  "ownerReferences":[{"apiVersion":"edgebridge.io/v1alpha1","kind":"EdgeCluster","name":"hamburg",
                                      "uid":"uid-cluster-hamburg","controller":true,"blockOwnerDeletion":true}],
                  "managedFields":[{"manager":"edgebridge","operation":"Apply","fieldsType":"FieldsV1",
                                    "fieldsV1":{"f:data":{"f:token":{}}}}]},
                 "data":{"token":"c2VjcmV0"}}
                """.formatted(name, name, kind), Secret.class);
    }

    @Test
    void keepsWhatTheReconcilerReadsAndNoData() {
        var store = new SecretMetadataStore();
        store.put("retail-eu/hamburg-k3s-token", received("hamburg-k3s-token", "k3s-token"));

        var kept = store.get("retail-eu/hamburg-k3s-token");
        assertEquals(Map.of(), kept.getData());
        assertTrue(kept.getMetadata().getManagedFields().isEmpty());
        assertEquals(Map.of("edgebridge.io/token-sha256", "85b1264d"), kept.getMetadata().getAnnotations());
        assertEquals(Map.of("app.kubernetes.io/part-of", "edgebridge", "edgebridge.io/cluster", "hamburg",
                "edgebridge.io/secret-kind", "k3s-token"), kept.getMetadata().getLabels());
        var owner = kept.getMetadata().getOwnerReferences().get(0);
        assertEquals("hamburg", owner.getName());
        assertEquals("uid-cluster-hamburg", owner.getUid());
        assertEquals("EdgeCluster", owner.getKind());
        assertEquals("hamburg-k3s-token", kept.getMetadata().getName());
        assertEquals("12", kept.getMetadata().getResourceVersion());
    }

    @Test
    void aClustersSecretsShareTheStringsTheyRepeat() {
        var cluster = new EdgeCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withNamespace("retail-eu").withName("hamburg")
                .withUid("uid-cluster-hamburg").withResourceVersion("3").build());
        SharedObjects.<EdgeCluster>store().put("retail-eu/hamburg", cluster);

        var store = new SecretMetadataStore();
        store.put("retail-eu/hamburg-k3s-token", received("hamburg-k3s-token", "k3s-token"));
        store.put("retail-eu/hamburg-node-n1", received("hamburg-node-n1", "node-settings"));
        var token = store.get("retail-eu/hamburg-k3s-token");
        var settings = store.get("retail-eu/hamburg-node-n1");

        for (var secret : new Secret[] {token, settings}) {
            var owner = secret.getMetadata().getOwnerReferences().get(0);
            assertSame(cluster.getMetadata().getName(), owner.getName(), "the owner's name is the cluster's");
            assertSame(cluster.getMetadata().getUid(), owner.getUid());
            assertSame(owner.getName(), secret.getMetadata().getLabels().get(ClusterSecrets.CLUSTER_LABEL));
        }
        var first = token.getMetadata();
        var second = settings.getMetadata();
        assertSame(first.getNamespace(), second.getNamespace());
        assertSame(first.getLabels().get("app.kubernetes.io/part-of"), second.getLabels().get("app.kubernetes.io/part-of"));
        assertSame(first.getOwnerReferences().get(0).getApiVersion(), second.getOwnerReferences().get(0).getApiVersion());
        assertSame(token.getData(), settings.getData(), "one shared empty map");
    }
}
