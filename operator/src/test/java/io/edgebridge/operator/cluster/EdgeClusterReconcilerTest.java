package io.edgebridge.operator.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.EdgeNodeStatus;
import io.edgebridge.operator.FleetFixture;
import io.edgebridge.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EdgeCluster and EdgeNode reconcilers against a mock API server, with the hub played by the test. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class EdgeClusterReconcilerTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    FleetFixture fleet;

    @BeforeEach
    void setUp() {
        fleet = new FleetFixture(client);
    }

    EdgeClusterStatus awaitCluster(String ns, String name, Predicate<EdgeClusterStatus> until) {
        return await().atMost(WAIT).until(() -> fleet.cluster(ns, name).getStatus(), s -> s != null && until.test(s));
    }

    EdgeNodeStatus awaitNode(String ns, String name, Predicate<EdgeNodeStatus> until) {
        return await().atMost(WAIT).until(() -> fleet.node(ns, name).getStatus(), s -> s != null && until.test(s));
    }

    Secret secret(String ns, String name) {
        return await().atMost(WAIT).until(() -> client.secrets().inNamespace(ns).withName(name).get(),
                java.util.Objects::nonNull);
    }

    static String data(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    static String reason(List<io.fabric8.kubernetes.api.model.Condition> conditions, String type) {
        return Conditions.find(conditions, type).map(c -> c.getStatus() + "/" + c.getReason()).orElse("-");
    }

    @Test
    void membersGetStableAddressesTokensAndEveSettings() throws Exception {
        var ns = "provision";
        fleet.applyExamplesIn(ns, "00", "10", "20");

        var munich = awaitCluster(ns, "munich", s -> s.phase() == EdgeClusterStatus.Phase.Provisioning);
        assertEquals("True/SettingsRendered", reason(munich.conditions(), "Provisioned"));
        assertEquals("False/NeverConnected", reason(munich.conditions(), "Connected"));
        assertEquals("0/2", munich.display().nodes());
        assertEquals(List.of("munich-01:SERVER:10.20.0.2", "munich-02:AGENT:10.20.0.3"),
                munich.nodes().stream().map(n -> n.name() + ":" + n.role() + ":" + n.ip()).toList());

        var token = secret(ns, "munich-bootstrap-token");
        var tokenValue = data(token, ClusterSecrets.TOKEN_KEY);
        assertEquals(ClusterSecrets.sha256(tokenValue),
                token.getMetadata().getAnnotations().get(ClusterSecrets.TOKEN_HASH_ANNOTATION));
        assertTrue(Instant.parse(token.getMetadata().getAnnotations().get(ClusterSecrets.EXPIRES_ANNOTATION))
                .isAfter(Instant.now().plus(Duration.ofHours(23))));
        assertEquals("munich", token.getMetadata().getOwnerReferences().get(0).getName());
        assertEquals("munich-bootstrap-token", munich.bootstrapTokenSecret());
        var k3sToken = data(secret(ns, "munich-k3s-token"), ClusterSecrets.TOKEN_KEY);

        JsonNode server = JSON.readTree(data(secret(ns, "munich-node-munich-01"), ClusterSecrets.SETTINGS_KEY));
        JsonNode agent = JSON.readTree(data(secret(ns, "munich-node-munich-02"), ClusterSecrets.SETTINGS_KEY));
        assertEquals("munich", server.path("clusterName").asText());
        assertEquals("ethernet0", server.path("clusterInterface").asText());
        assertEquals("10.20.0.2/24", server.path("clusterIpPrefix").asText());
        assertEquals("10.20.0.3/24", agent.path("clusterIpPrefix").asText());
        assertEquals("10.20.0.2", agent.path("joinServerIp").asText());
        assertFalse(server.path("isWorkerNode").asBoolean());
        assertTrue(agent.path("isWorkerNode").asBoolean());
        assertTrue(server.path("bootstrapNode").asBoolean());
        assertEquals("K3S_BASE", server.path("clusterType").asText());
        assertEquals(k3sToken, agent.path("clusterToken").asText());
        assertTrue(agent.path("registrationManifestGzipBase64").isMissingNode(), "only the bootstrap node applies it");

        var manifest = gunzip(server.path("registrationManifestGzipBase64").asText());
        assertTrue(manifest.contains("token: \"" + tokenValue + "\"") || manifest.contains("token: " + tokenValue),
                "the manifest carries the bootstrap token");
        assertTrue(manifest.contains("hubUrl: \"https://edgebridge-hub.edgebridge-system.svc:443\""), manifest);
        assertTrue(manifest.contains("BEGIN CERTIFICATE"), "the manifest carries the CA bundle");
        assertTrue(manifest.contains("kind: \"Deployment\""), manifest);

        // A third device joins: the others keep their addresses.
        fleet.apply("""
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeNode
                metadata: {name: munich-00, namespace: provision}
                spec: {serialNumber: SN-0}
                """);
        // Edits carry the resourceVersion; retry when a status write came first.
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                client.resources(EdgeCluster.class).inNamespace(ns).withName("munich").edit(c -> {
                    c.getMetadata().setGeneration(2L);
                    var nodes = new java.util.ArrayList<>(c.getSpec().nodes());
                    nodes.add(new io.edgebridge.api.v1alpha1.EdgeClusterSpec.ClusterNode("munich-00",
                            io.edgebridge.api.v1alpha1.NodeRole.AGENT));
                    c.setSpec(new io.edgebridge.api.v1alpha1.EdgeClusterSpec(c.getSpec().nodeSelector(), nodes,
                            c.getSpec().k3s(), c.getSpec().network(), c.getSpec().connectivity(),
                            c.getSpec().paused()));
                    return c;
                }));
        var grown = awaitCluster(ns, "munich", s -> s.totalNodes() == 3);
        assertEquals(Map.of("munich-01", "10.20.0.2", "munich-02", "10.20.0.3", "munich-00", "10.20.0.4"),
                grown.nodes().stream().collect(java.util.stream.Collectors.toMap(n -> n.name(), n -> n.ip())));
        secret(ns, "munich-node-munich-00");

        var node = awaitNode(ns, "munich-01", s -> s.cluster() != null);
        assertEquals("munich", node.cluster().name());
        assertEquals("10.20.0.2", node.cluster().ip());
        assertEquals(EdgeNodeStatus.Phase.Provisioning, node.phase());
    }

    @Test
    void reportsFromTheEdgeMakeClustersAndNodesReadyAndSilenceMakesThemOffline() {
        var ns = "connect";
        fleet.applyExamplesIn(ns, "00", "10", "20");
        awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Provisioning);

        fleet.report(ns, "hamburg", Instant.now(), List.of(FleetFixture.ready("sensor-collector", "r1")),
                List.of(FleetFixture.node("hamburg-01", true)));
        var ready = awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Ready);
        assertEquals("1/1", ready.display().nodes());
        assertEquals("True/AllReady", reason(ready.conditions(), "Ready"));
        var node = awaitNode(ns, "hamburg-01", s -> s.phase() == EdgeNodeStatus.Phase.Ready);
        assertEquals("v1.33.4+k3s1", node.k3sVersion());
        assertEquals("14.5.0-kvm", node.eveVersion());
        assertEquals("True/ClusterConnected", reason(node.conditions(), "Connected"));
        assertNull(node.lastSeen(), "while connected, lastSeen refreshes are the cluster's alone: no write per node");
        var connected = ready.conditions().stream().filter(c -> c.getType().equals("Connected")).findFirst()
                .orElseThrow();

        // A lastSeen refresh leaves the conditions as they were: no second write for it.
        fleet.report(ns, "hamburg", Instant.now(), List.of(FleetFixture.ready("sensor-collector", "r1")),
                List.of(FleetFixture.node("hamburg-01", true)));
        awaitCluster(ns, "hamburg", s -> !s.lastSeen().equals(ready.lastSeen()));
        var refreshed = awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Ready);
        assertEquals(connected, refreshed.conditions().stream().filter(c -> c.getType().equals("Connected"))
                .findFirst().orElseThrow());

        // The hub saw the proxy go away.
        fleet.disconnected(ns, "hamburg", Instant.now());
        var offline = awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Offline);
        assertEquals("False/Offline", reason(offline.conditions(), "Connected"));
        var gone = awaitNode(ns, "hamburg-01", s -> s.phase() == EdgeNodeStatus.Phase.Offline);
        assertEquals(offline.lastSeen(), gone.lastSeen(), "an absent device says when it was last seen");
    }

    @Test
    void aClusterNoHubRecordedForLongIsOfflineToo() {
        var ns = "stale";
        fleet.applyExamplesIn(ns, "00", "10", "20");
        awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Provisioning);
        // Older than lastSeenInterval (20m) plus offlineAfter (5m): no hub replica is refreshing it.
        fleet.report(ns, "hamburg", Instant.now().minus(Duration.ofMinutes(26)), List.of(), List.of());
        var offline = awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Offline);
        assertTrue(Conditions.find(offline.conditions(), "Connected").orElseThrow().getMessage()
                .startsWith("no hub recorded a sync since"));
    }

    @Test
    void aClusterWhoseLastSeenGoesStaleWhileNothingHappensTurnsOffline() {
        var ns = "going-stale";
        fleet.applyExamplesIn(ns, "00", "10", "20");
        awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Provisioning);
        // Stale (lastSeenInterval 20m plus offlineAfter 5m) two seconds from now: only the recheck
        // the reconcile left behind can notice.
        fleet.report(ns, "hamburg", Instant.now().minus(Duration.ofMinutes(25)).plusSeconds(2),
                List.of(FleetFixture.ready("sensor-collector", "r1")), List.of(FleetFixture.node("hamburg-01", true)));
        awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Ready);
        var offline = awaitCluster(ns, "hamburg", s -> s.phase() == EdgeClusterStatus.Phase.Offline);
        assertTrue(Conditions.find(offline.conditions(), "Connected").orElseThrow().getMessage()
                .startsWith("no hub recorded a sync since"));
    }

    @Test
    void aDeviceClaimedByTwoClustersStaysWithTheFirstAndBothSaySo() {
        var ns = "conflict";
        fleet.applyExamplesIn(ns, "00", "10", "20");
        awaitCluster(ns, "hamburg", s -> s.totalNodes() == 1);
        fleet.apply("""
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeCluster
                metadata: {name: hamburg-lab, namespace: conflict, creationTimestamp: "2099-01-01T00:00:00Z"}
                spec:
                  nodes: [{name: hamburg-01, role: server}, {name: ghost, role: agent}]
                """);
        var loser = awaitCluster(ns, "hamburg-lab", s -> reason(s.conditions(), "Provisioned").endsWith("NodeConflict"));
        assertEquals(0, loser.totalNodes());
        assertTrue(Conditions.find(loser.conditions(), "Provisioned").orElseThrow().getMessage()
                .contains("node hamburg-01 is also claimed by hamburg (which keeps it)"));
        var keeper = awaitCluster(ns, "hamburg", s -> reason(s.conditions(), "Provisioned").endsWith("NodeConflict"));
        assertEquals(1, keeper.totalNodes());
        assertEquals("hamburg", fleet.node(ns, "hamburg-01").getStatus().cluster().name());

        client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg-lab").delete();
        var clean = awaitCluster(ns, "hamburg", s -> reason(s.conditions(), "Provisioned").endsWith("SettingsRendered"));
        assertEquals(1, clean.totalNodes());
    }

    @Test
    void aDeletedDeviceLeavesItsClusterAndItsSettingsGo() {
        var ns = "leave";
        fleet.applyExamplesIn(ns, "00", "10", "20");
        awaitCluster(ns, "munich", s -> s.totalNodes() == 2);
        secret(ns, "munich-node-munich-02");

        client.resources(EdgeNode.class).inNamespace(ns).withName("munich-02").delete();
        var status = awaitCluster(ns, "munich", s -> s.totalNodes() == 1);
        assertEquals("MissingNodes", Conditions.find(status.conditions(), "Provisioned").orElseThrow().getReason(),
                "munich-02 is still listed in spec.nodes");
        await().atMost(WAIT).until(() -> client.secrets().inNamespace(ns).withName("munich-node-munich-02").get() == null);
    }

    @Test
    void aListedNodeThatDoesNotExistIsNamed() {
        fleet.apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: missing}
                ---
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeCluster
                metadata: {name: lab, namespace: missing}
                spec:
                  nodes: [{name: ghost, role: server}]
                """);
        var status = awaitCluster("missing", "lab", s -> reason(s.conditions(), "Provisioned").endsWith("MissingNodes"));
        assertEquals(EdgeClusterStatus.Phase.Pending, status.phase());
        assertTrue(Conditions.find(status.conditions(), "Provisioned").orElseThrow().getMessage()
                .contains("spec.nodes lists ghost, but no EdgeNode of that name exists in namespace missing"));
    }

    @Test
    void askingForRotationIssuesANewBootstrapToken() {
        var ns = "rotate";
        fleet.applyExamplesIn(ns, "00", "10", "20");
        var before = secret(ns, "hamburg-bootstrap-token").getMetadata().getAnnotations()
                .get(ClusterSecrets.TOKEN_HASH_ANNOTATION);
        // Edits carry the resourceVersion; retry when a status write came first.
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").edit(c -> {
                    c.getMetadata().getAnnotations().put(ClusterSecrets.ROTATE_ANNOTATION, "reimaged-2026-11-30");
                    return c;
                }));
        await().atMost(WAIT).untilAsserted(() -> {
            var annotations = client.secrets().inNamespace(ns).withName("hamburg-bootstrap-token").get()
                    .getMetadata().getAnnotations();
            assertNotEquals(before, annotations.get(ClusterSecrets.TOKEN_HASH_ANNOTATION));
            assertEquals("reimaged-2026-11-30", annotations.get(ClusterSecrets.ROTATION_ANNOTATION));
        });
    }

    @Test
    void aQuarantinedNodeSaysSo() {
        var ns = "quarantine";
        fleet.applyExamplesIn(ns, "00", "10");
        awaitNode(ns, "munich-02", s -> s.phase() == EdgeNodeStatus.Phase.Registered);
        // Edits carry the resourceVersion; retry when a status write came first.
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                client.resources(EdgeNode.class).inNamespace(ns).withName("munich-02").edit(n -> {
                    n.getMetadata().setGeneration(2L);
                    n.setSpec(new io.edgebridge.api.v1alpha1.EdgeNodeSpec(n.getSpec().serialNumber(), null,
                            n.getSpec().location(), true));
                    return n;
                }));
        var status = awaitNode(ns, "munich-02", s -> s.phase() == EdgeNodeStatus.Phase.Quarantined);
        assertEquals("False/Quarantined", reason(status.conditions(), "Ready"));
        assertNotNull(status.observedGeneration());
    }

    static String gunzip(String base64) throws Exception {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
