package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub and a real edge proxy end to end: a central API server with the operator running as its
 * own process under the install RBAC, an edge site with its own API server and an edge proxy. The
 * steps build on each other: bootstrap, delivery, readiness, autonomy with the hub down, hub
 * restart, and removal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String FLEET = "retail-eu";
    static final String APP = "sensor-collector";

    @TempDir
    static Path work;

    static TestFleet fleet;
    static LocalControlPlane central;
    static OperatorProcess operator;
    static TestFleet.Site site;
    static String bootstrapToken;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new TestFleet(work, Map.of());
        central = fleet.central;
        operator = fleet.operator;
        bootstrapToken = fleet.bootstrapToken("hamburg");
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static KubernetesClient edge() {
        return site.plane.client();
    }

    static EdgeCluster cluster() {
        return central.client().resources(EdgeCluster.class).inNamespace(FLEET).withName("hamburg").get();
    }

    static EdgeAppStatus appStatus() {
        var app = central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP).get();
        return app == null ? null : app.getStatus();
    }

    @Test
    @Order(1)
    void theProxyBootstrapsAndAppliesWhatItsClusterMustRun() throws Exception {
        site = fleet.addSite("hamburg", List.of("hamburg-01"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertNotNull(edge().configMaps().inNamespace("sensors").withName("collector-config").get(),
                    "the app's ConfigMap is applied on the edge:\n" + operator.logTail(20));
            var deployment = edge().apps().deployments().inNamespace("sensors").withName(APP).get();
            assertNotNull(deployment);
            assertEquals(APP, deployment.getMetadata().getLabels().get("edgebridge.io/app"));
        });
        await().atMost(WAIT).untilAsserted(() -> {
            var status = cluster().getStatus();
            assertNotNull(status.lastSeen());
            assertTrue(status.apps().stream().anyMatch(a -> a.name().equals(APP)), "the edge's report is recorded");
        });
    }

    @Test
    @Order(2)
    void theUsedBootstrapTokenIsWorthNothing() throws Exception {
        var trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(fleet.caBundle.getBytes(StandardCharsets.US_ASCII))));
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        var tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        var body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                new BootstrapRequest(FLEET + ".hamburg", bootstrapToken, "unused"));
        var response = HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(
                        URI.create(operator.hubUrl() + "/sync/v1/bootstrap"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode(), response.body());
    }

    @Test
    @Order(3)
    void readinessFlowsBackAndTheRolloutGoesOnWithoutTheOfflineSite() {
        // The site's controllers, scheduler and kwok (its kubelet) bring the Deployment up, as on K3s.
        var status = await().atMost(WAIT).until(SyncEndToEndTest::appStatus,
                s -> s != null && s.summary() != null && s.summary().ready() == 1
                        && s.rollout().waves().get(1).released() == 1);
        assertEquals(1, status.summary().offline(), "munich has no proxy: offline, not blocking");
        assertEquals("True", status.conditions().stream().filter(c -> c.getType().equals("Available")).findFirst()
                .orElseThrow().getStatus());
    }

    @Test
    @Order(4)
    void withTheHubDownARestartedProxyKeepsEnforcingFromDisk() {
        operator.stop();
        site.proxy.close();
        edge().configMaps().inNamespace("sensors").withName("collector-config").delete();
        await().atMost(WAIT).until(() -> edge().configMaps().inNamespace("sensors").withName("collector-config")
                .get() == null);

        fleet.connect(site);
        await().atMost(WAIT).untilAsserted(() -> assertNotNull(
                edge().configMaps().inNamespace("sensors").withName("collector-config").get(),
                "restored from the state on disk, with no hub to ask"));
    }

    @Test
    @Order(5)
    void aRestartedHubIsFoundAgainAndHearsTheFullStatus() throws Exception {
        var before = Instant.now();
        operator.start();
        await().atMost(WAIT).untilAsserted(() -> {
            var status = cluster().getStatus();
            assertTrue(Instant.parse(status.lastSeen()).isAfter(before.minusSeconds(1)),
                    "the new hub recorded the proxy: " + status.lastSeen());
            assertTrue(status.apps().stream().anyMatch(a -> a.name().equals(APP) && Boolean.TRUE.equals(a.ready())));
        });
    }

    @Test
    @Order(6)
    void deletingTheAppRemovesItFromTheEdge() {
        central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(null, edge().configMaps().inNamespace("sensors").withName("collector-config").get());
            assertEquals(null, edge().apps().deployments().inNamespace("sensors").withName(APP).get());
        });
        assertNotNull(edge().namespaces().withName("sensors").get(), "the namespace stays: it may hold more");
        await().atMost(WAIT).untilAsserted(() -> assertTrue(cluster().getStatus().apps().stream()
                .noneMatch(a -> a.name().equals(APP)), "the report no longer lists the app"));
    }

}
