package io.edgebridge.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ManagedFieldsOmittedTest {

    @Inject
    KubernetesClient client;

    @Test
    void objectsAreReadWithoutTheirManagedFields() {
        var json = """
                {"apiVersion":"edgebridge.io/v1alpha1","kind":"EdgeCluster",
                 "metadata":{"name":"munich","namespace":"retail-eu","labels":{"fleet":"retail"},
                  "managedFields":[{"manager":"kubectl","operation":"Apply","apiVersion":"edgebridge.io/v1alpha1",
                    "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:fleet":{}}}}}]}}
                """;
        var cluster = client.getKubernetesSerialization().unmarshal(json, EdgeCluster.class);
        var managedFields = cluster.getMetadata().getManagedFields();
        assertTrue(managedFields == null || managedFields.isEmpty(), "kept: " + managedFields);
        assertEquals("retail", cluster.getMetadata().getLabels().get("fleet"));
    }
}
