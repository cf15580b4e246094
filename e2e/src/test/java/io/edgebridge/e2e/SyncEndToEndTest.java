package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.sync.v1.NodeState;
import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.EdgeNodeSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
 * restart, removal, oversized apps, and what the hub refuses to proxies without the right
 * credentials.
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
        assertTrue(operator.stop(), "the operator ends on SIGTERM, as a pod must:\n" + operator.lastLog());
        var lease = central.client().leases().inNamespace(OperatorProcess.NAMESPACE).withName("edgebridge-operator")
                .get();
        assertEquals(1, lease.getSpec().getLeaseDurationSeconds(), "a stopping operator releases its Lease (a new one"
                + " leads at once): " + lease.getSpec());
        assertEquals("", lease.getSpec().getHolderIdentity());
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
        var lastSeen = cluster().getStatus().lastSeen();
        operator.start();
        // Found again: the new hub holds the proxy's sync.
        await().atMost(WAIT).until(() -> operator.metric("edgebridge_hub_waiting_syncs") >= 1);
        await().atMost(WAIT).untilAsserted(() -> {
            var status = cluster().getStatus();
            assertTrue(status.conditions().stream().anyMatch(c -> c.getType().equals("Connected")
                    && c.getStatus().equals("True")), status.conditions().toString());
            assertTrue(status.apps().stream().anyMatch(a -> a.name().equals(APP) && Boolean.TRUE.equals(a.ready())));
        });
        // The new hub continues the lastSeen the old one wrote: a refresh is not due yet (20 min).
        assertEquals(lastSeen, cluster().getStatus().lastSeen());
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


    // --- Oversized apps: refused by the API server, or by EdgeBridge before anything is shipped. ---

    /** An EdgeApp delivering ConfigMaps with the given data sizes (one key each) to the listed clusters. */
    static EdgeApp appWithData(String name, List<String> clusters, int... sizes) {
        List<Map<String, Object>> resources = new java.util.ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            resources.add(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", name + "-" + i),
                    "data", Map.of("blob", "x".repeat(sizes[i]))));
        }
        return central.client().getKubernetesSerialization().convertValue(Map.of(
                "apiVersion", "edgebridge.io/v1alpha1", "kind", "EdgeApp",
                "metadata", Map.of("name", name, "namespace", FLEET),
                "spec", Map.of("placement", Map.of("clusters", clusters), "targetNamespace", "firmware",
                        "resources", resources)), EdgeApp.class);
    }

    static EdgeAppStatus statusOf(String app) {
        var found = central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(app).get();
        return found == null ? null : found.getStatus();
    }

    @Test
    @Order(7)
    void anAppLargerThanTheApiServerAcceptsIsRefusedByIt() {
        var tooLarge = appWithData("huge", List.of("hamburg"), 3 * 1024 * 1024);
        var refused = assertThrows(KubernetesClientException.class, () -> central.client().resource(tooLarge).create());
        assertEquals(413, refused.getCode(), refused.getMessage());
        assertTrue(refused.getMessage().contains("Request entity too large: limit is 3145728"), refused.getMessage());
        assertNull(statusOf("huge"));
    }

    @Test
    @Order(8)
    void theLargestAppTheHubShipsArrivesAndALargerOneIsRefusedSayingWhy() {
        // Two ConfigMaps (each must stay under 1 MiB on the edge) within 2 KiB of the 1 MiB bundle limit.
        var half = 512 * 1024 - 1024;
        central.client().resource(appWithData("firmware", List.of("hamburg", "munich"), half, half)).create();
        var tooLarge = 512 * 1024 + 1024;
        central.client().resource(appWithData("firmware-next", List.of("hamburg"), tooLarge, tooLarge)).create();

        await().atMost(WAIT).untilAsserted(() -> {
            for (var i = 0; i < 2; i++) {
                var shipped = edge().configMaps().inNamespace("firmware").withName("firmware-" + i).get();
                assertNotNull(shipped, "firmware-" + i + " on the edge");
                assertEquals(half, shipped.getData().get("blob").length());
            }
        });
        await().atMost(WAIT).until(() -> statusOf("firmware"), s -> s != null && s.summary() != null
                && s.summary().ready() == 1);

        var refused = await().atMost(WAIT).until(() -> statusOf("firmware-next"),
                s -> s != null && s.phase() == EdgeAppStatus.Phase.Degraded);
        var degraded = refused.conditions().stream().filter(c -> c.getType().equals("Degraded")).findFirst()
                .orElseThrow();
        assertEquals("InvalidSpec", degraded.getReason());
        assertTrue(degraded.getMessage().matches("cannot deliver revision [0-9a-f]+: the app renders to 1,050,[0-9]{3} bytes, more than the 1,048,576 "
                + "bytes that are shipped to an edge site \\(edgebridge.operator.max-bundle-bytes\\): split it into "
                + "smaller EdgeApps, or keep large data out of it \\(in the image, or fetched by the workload\\)"),
                degraded.getMessage());
        assertNull(refused.rollout(), "nothing released");
        assertTrue(central.client().apps().controllerRevisions().inNamespace(FLEET).list().getItems().stream()
                .noneMatch(r -> r.getMetadata().getOwnerReferences().get(0).getName().equals("firmware-next")),
                "no revision kept for what cannot be shipped");
        assertNull(edge().configMaps().inNamespace("firmware").withName("firmware-next-0").get());
    }

    // --- Zero trust: a proxy without the right credentials gets nothing and changes nothing. ---

    static WireClient munich;

    /** A report no edge may make: if any of it were recorded, the hub would have trusted a forger. */
    static SyncRequest forgedReport() {
        return new SyncRequest(Map.of(), null, null, new StatusReport(1_000_000, "forged", "v9.9.9-forged", "forged",
                null, List.of(new AppState("firmware", "forged", "forged", false, true, "forged failure")),
                List.of(new NodeState("munich-01", false, "v9.9.9-forged", "forged", null),
                        new NodeState("hamburg-01", false, "v9.9.9-forged", "forged", null))));
    }

    static boolean forgedAnywhere() {
        var clusters = central.client().resources(EdgeCluster.class).inNamespace(FLEET).list().getItems();
        var nodes = central.client().resources(EdgeNode.class).inNamespace(FLEET).list().getItems();
        var apps = central.client().resources(EdgeApp.class).inNamespace(FLEET).list().getItems();
        var serialization = central.client().getKubernetesSerialization();
        return Stream.of(clusters, nodes, apps).flatMap(List::stream)
                .map(o -> serialization.asJson(((io.fabric8.kubernetes.api.model.HasMetadata) o)))
                .anyMatch(json -> json.contains("forged"));
    }

    @Test
    @Order(9)
    void aWrongBootstrapTokenGetsNothingAndDoesNotUseUpTheRealOne() throws Exception {
        var token = fleet.bootstrapToken("munich");
        var secret = central.client().secrets().inNamespace(FLEET).withName("munich-bootstrap-token");
        var before = secret.get().getMetadata().getResourceVersion();
        munich = new WireClient(operator.hubUrl(), fleet.caBundle, FLEET + ".munich");

        var wrong = munich.bootstrap("0".repeat(token.length()));
        assertEquals(401, wrong.status(), wrong.body());
        assertFalse(wrong.body().contains("CERTIFICATE"), "no certificate: " + wrong.body());
        assertEquals(before, secret.get().getMetadata().getResourceVersion(), "the real token is not marked used");

        assertEquals(200, munich.bootstrap(token).status(), "the real token still works, once");
        var reused = new WireClient(operator.hubUrl(), fleet.caBundle, FLEET + ".munich").bootstrap(token);
        assertEquals(401, reused.status(), reused.body());
    }

    @Test
    @Order(10)
    void aCertificateOfAnotherClusterGetsNothingAndChangesNothing() throws Exception {
        var own = munich.sync(FLEET + ".munich", new SyncRequest(Map.of(), null, null, null));
        assertEquals(200, own.status(), own.body());
        assertEquals("firmware", own.json().path("changed").get(0).path("bundle").path("app").asText(),
                "munich's certificate gets munich's bundles");

        var hamburg = cluster().getMetadata().getResourceVersion();
        var answer = munich.sync(FLEET + ".hamburg", forgedReport());
        assertEquals(403, answer.status(), answer.body());
        assertFalse(answer.json().has("changed"), "no bundles: " + answer.body());
        // A held-back status write would land within the hub's write interval (1 s).
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(
                () -> hamburg.equals(cluster().getMetadata().getResourceVersion()) && !forgedAnywhere());
    }

    @Test
    @Order(11)
    void aQuarantinedClustersCertificateGetsNothingAndChangesNothing() throws Exception {
        central.client().resources(EdgeNode.class).inNamespace(FLEET).withName("munich-02").edit(node -> {
            node.setSpec(new EdgeNodeSpec(node.getSpec().serialNumber(), node.getSpec().deviceId(),
                    node.getSpec().location(), true));
            return node;
        });
        // Harmless probes (no status) until the hub knows: every replica checks quarantine on every request.
        await().atMost(WAIT).until(() -> munich.sync(FLEET + ".munich", new SyncRequest(Map.of(), null, null, null))
                .status() == 403);

        var answer = munich.sync(FLEET + ".munich", forgedReport());
        assertEquals(403, answer.status(), answer.body());
        assertFalse(answer.json().has("changed"), "no bundles: " + answer.body());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !forgedAnywhere());
        var node = central.client().resources(EdgeNode.class).inNamespace(FLEET).withName("munich-01").get();
        assertNull(node.getStatus().k3sVersion(), "munich never reported a node: " + node.getStatus());
    }
}
