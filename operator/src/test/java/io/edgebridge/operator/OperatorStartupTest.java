package io.edgebridge.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.EdgeNodeSpec;
import io.edgebridge.api.v1alpha1.EdgeNodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator starts against a (mock) API server and reconciles what it finds there. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorStartupTest {

    @Inject
    KubernetesClient client;

    @Inject
    io.javaoperatorsdk.operator.api.config.ConfigurationService configuration;

    @Inject
    io.edgebridge.operator.cluster.EdgeClusterReconciler clusters;

    @Inject
    io.edgebridge.operator.node.EdgeNodeReconciler nodes;

    @Inject
    io.edgebridge.operator.app.EdgeAppReconciler apps;

    @Test
    void theControllersShareTheFleetCachesObjects() {
        assertEquals(io.edgebridge.operator.fleet.SharedObjects.Clusters.class,
                configuration.getConfigurationFor(clusters).getInformerConfig().getItemStore().getClass());
        assertEquals(io.edgebridge.operator.fleet.SharedObjects.Nodes.class,
                configuration.getConfigurationFor(nodes).getInformerConfig().getItemStore().getClass());
        assertEquals(io.edgebridge.operator.fleet.SharedObjects.Apps.class,
                configuration.getConfigurationFor(apps).getInformerConfig().getItemStore().getClass());
    }

    @Test
    void anEdgeNodeGetsItsObservedGeneration() {
        var node = new EdgeNode();
        node.setMetadata(new ObjectMetaBuilder().withName("munich-01").withNamespace("retail-eu").build());
        node.setSpec(new EdgeNodeSpec("SN-4711", null, null, null));
        client.resource(node).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var status = client.resources(EdgeNode.class).inNamespace("retail-eu").withName("munich-01").get()
                    .getStatus();
            assertNotNull(status, "status written");
            assertEquals(1L, status.observedGeneration());
            assertEquals(EdgeNodeStatus.Phase.Registered, status.phase());
        });
    }
}
