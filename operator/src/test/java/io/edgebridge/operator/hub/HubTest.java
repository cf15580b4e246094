package io.edgebridge.operator.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.NodeState;
import io.edgebridge.api.sync.v1.SignedBundle;
import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.api.sync.v1.SyncPaths;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.api.sync.v1.SyncResponse;
import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.EdgeNodeSpec;
import io.edgebridge.operator.FleetFixture;
import io.edgebridge.operator.cluster.ClusterSecrets;
import io.edgebridge.operator.cluster.RegistrationManifest;
import io.edgebridge.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub in the operator, against a mock API server, driven by a minimal proxy client. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HubTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Inject
    HubServer hub;

    @Inject
    StatusRecorder recorder;

    @Inject
    DesiredStates desired;

    @Inject
    HubConfig hubConfig;

    FleetFixture fleet() {
        return new FleetFixture(client);
    }

    /** A fresh copy of the example fleet, so one-time tokens and state are the test's own. */
    String fleetIn(String namespace) {
        fleet().applyExamplesIn(namespace, "00", "10", "20", "30");
        return namespace;
    }

    String token(String namespace, String cluster) {
        var secret = await().atMost(WAIT).until(() -> client.secrets().inNamespace(namespace)
                .withName(ClusterSecrets.bootstrapTokenName(cluster)).get(), java.util.Objects::nonNull);
        return new String(Base64.getDecoder().decode(secret.getData().get(ClusterSecrets.TOKEN_KEY)),
                StandardCharsets.UTF_8);
    }

    String ca() {
        var secret = await().atMost(WAIT).until(() -> client.secrets().inNamespace("edgebridge-system")
                .withName("edgebridge-ca").get(), java.util.Objects::nonNull);
        return new String(Base64.getDecoder().decode(secret.getData().get("tls.crt")), StandardCharsets.US_ASCII);
    }

    TestProxy proxy(String namespace, String cluster) throws Exception {
        return new TestProxy(namespace + "." + cluster, hub.port(), ca());
    }

    TestProxy bootstrapped(String namespace, String cluster) throws Exception {
        var proxy = proxy(namespace, cluster);
        var answer = proxy.bootstrap(token(namespace, cluster));
        assertEquals(200, answer.status(), answer.body());
        return proxy;
    }

    /** Hamburg's proxy, synced once and Connected, in a cluster that counts as offline after 2 s of silence. */
    TestProxy connectedWithOfflineAfterOf2s(String ns) throws Exception {
        client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").edit(c -> {
            c.getMetadata().setGeneration(2L);
            c.setSpec(new io.edgebridge.api.v1alpha1.EdgeClusterSpec(c.getSpec().nodeSelector(), c.getSpec().nodes(),
                    c.getSpec().k3s(), c.getSpec().network(),
                    new io.edgebridge.api.v1alpha1.EdgeClusterSpec.Connectivity("2s", null), c.getSpec().paused()));
            return c;
        });
        var proxy = bootstrapped(ns, "hamburg");
        proxy.syncOk(new SyncRequest(Map.of(), null, null, report(1, List.of())));
        await().atMost(WAIT).until(() -> Conditions.isTrue(client.resources(EdgeCluster.class).inNamespace(ns)
                .withName("hamburg").get().getStatus().conditions(), "Connected"));
        return proxy;
    }

    /**
     * A pace of next to no writes on a clock of the test's, its one write of a burst taken: a write
     * waits (and {@link #waiting} counts down) until the test lets it go with {@link #release}.
     */
    static final class HeldPace {
        final java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final StatusWritePace pace;

        HeldPace() throws InterruptedException {
            var clock = new java.util.concurrent.atomic.AtomicLong();
            pace = new StatusWritePace(1e-6, clock::get, wait -> {
                waiting.countDown();
                release.await();
                clock.addAndGet(wait.toNanos());
            });
            pace.awaitTurn();
        }
    }

    static StatusReport report(long seq, List<AppState> apps) {
        return new StatusReport(seq, "0.1.0", "v1.33.4+k3s1", null, null, apps,
                List.of(new NodeState("hamburg-01", true, "v1.33.4+k3s1", null, Map.of("cpu", "4"))));
    }

    /** Syncs like a proxy until a bundle of {@code app} arrives; returns that response. */
    static SyncResponse syncUntilDelivered(TestProxy proxy, String app, StatusReport status) {
        var known = new HashMap<String, String>();
        var state = new String[] {null, null};
        return await().atMost(WAIT).until(() -> {
            var response = proxy.syncOk(new SyncRequest(known, state[0], state[1], status));
            state[0] = response.stateHash();
            state[1] = response.epoch();
            response.changed().forEach(b -> known.put(b.bundle().app(), b.bundle().hash()));
            return response;
        }, r -> r.changed().stream().anyMatch(b -> b.bundle().app().equals(app)));
    }

    @Test
    void aBootstrapTokenIsTradedForACertificateExactlyOnce() throws Exception {
        var ns = fleetIn("hub-bootstrap");
        var token = token(ns, "hamburg");
        assertEquals(401, proxy(ns, "hamburg").bootstrap("not-the-token").status());
        assertEquals(401, proxy(ns, "munich").bootstrap(token).status(), "a token works for its own cluster only");

        var proxy = proxy(ns, "hamburg");
        var answer = proxy.bootstrap(token);
        assertEquals(200, answer.status(), answer.body());
        assertEquals("close", answer.raw().headers().firstValue("connection").orElse(null));
        var certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new java.io.ByteArrayInputStream(proxy.certificate.certificate().getBytes(StandardCharsets.US_ASCII)));
        assertTrue(certificate.getSubjectX500Principal().getName().contains("CN=hub-bootstrap.hamburg"));
        assertEquals(proxy.keys.getPublic(), certificate.getPublicKey(), "the device's own key is certified");
        assertNotNull(proxy.certificate.bundleSigningKey());

        assertEquals(401, proxy(ns, "hamburg").bootstrap(token).status(), "a used token is worth nothing");
        var again = proxy.bootstrap(token);
        assertEquals(200, again.status(), "the same device (same key) asking again, its answer lost: " + again.body());
        assertEquals(proxy.keys.getPublic(), CertificateFactory.getInstance("X.509").generateCertificate(
                new java.io.ByteArrayInputStream(proxy.certificate.certificate().getBytes(StandardCharsets.US_ASCII)))
                .getPublicKey());

        var munichToken = token(ns, "munich");
        client.secrets().inNamespace(ns).withName("munich-bootstrap-token").edit(secret -> {
            secret.getMetadata().getAnnotations().put(ClusterSecrets.EXPIRES_ANNOTATION, "2020-01-01T00:00:00Z");
            return secret;
        });
        assertEquals(401, proxy(ns, "munich").bootstrap(munichToken).status(), "an expired token is worth nothing");
        assertNotNull(client.secrets().inNamespace(ns).withName("hamburg-bootstrap-token").get().getMetadata()
                .getAnnotations().get(ClusterSecrets.USED_ANNOTATION));
    }

    @Test
    void answersAreGzippedOnlyAboveAKilobyte() throws Exception {
        var ns = fleetIn("hub-gzip");
        var proxy = bootstrapped(ns, "hamburg");
        var state = syncUntilDelivered(proxy, "sensor-collector", report(1, List.of()));

        var bundles = proxy.syncAcceptingGzip(new SyncRequest(Map.of(), null, state.epoch(), null));
        assertEquals(200, bundles.statusCode());
        assertEquals(java.util.Optional.of("gzip"), bundles.headers().firstValue("Content-Encoding"));
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bundles.body()))) {
            var json = in.readAllBytes();
            assertTrue(json.length > HubResponses.COMPRESS_ABOVE_BYTES, "the bundles: " + json.length + " bytes");
            assertTrue(TestProxy.JSON.readValue(json, SyncResponse.class).changed().stream()
                    .anyMatch(b -> b.bundle().app().equals("sensor-collector")));
        }

        var small = proxy.syncAcceptingGzip(new SyncRequest(null, "0000000000000000", state.epoch(), null));
        assertEquals(409, small.statusCode());
        assertEquals(java.util.Optional.empty(), small.headers().firstValue("Content-Encoding"),
                "a small answer goes as it is");
        assertTrue(new String(small.body(), StandardCharsets.UTF_8).contains("send the known apps"));
    }

    @Test
    void syncDeliversSignedBundlesThenHoldsWhileNothingChanges() throws Exception {
        var ns = fleetIn("hub-sync");
        var proxy = bootstrapped(ns, "hamburg");
        var delivered = syncUntilDelivered(proxy, "sensor-collector", report(1, List.of()));

        var signed = delivered.changed().get(0);
        assertTrue(verifies(signed, proxy.certificate.bundleSigningKey()), "the hub signs bundles");
        var bundle = signed.bundle();
        assertEquals("sensors", bundle.targetNamespace());
        assertEquals(List.of("ConfigMap", "Deployment"), bundle.resources().stream().map(r -> r.getKind()).toList());
        assertEquals(1, delivered.ack());

        var tampered = new SignedBundle(new io.edgebridge.api.sync.v1.AppBundle(bundle.app(), bundle.revision(),
                bundle.hash(), "kube-system", bundle.resources()), signed.signature());
        assertTrue(!verifies(tampered, proxy.certificate.bundleSigningKey()), "a changed bundle fails verification");

        long start = System.nanoTime();
        var idle = proxy.sync(new SyncRequest(null, delivered.stateHash(), delivered.epoch(), null));
        var held = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(204, idle.status(), "nothing new and nothing to acknowledge: no body at all");
        assertEquals("", idle.body());
        assertTrue(held.compareTo(Duration.ofSeconds(5)) >= 0, "an idle sync is held (long-poll): " + held);

        var unknown = proxy.sync(new SyncRequest(null, "0000000000000000", delivered.epoch(), null));
        assertEquals(409, unknown.status(), "a state hash the hub never named: it asks for the list");

        var stale = proxy.syncOk(new SyncRequest(Map.of("sensor-collector", bundle.hash(), "retired-app", "0123"),
                delivered.stateHash(), delivered.epoch(), null));
        assertEquals(List.of("retired-app"), stale.removed());
        assertEquals(List.of(), stale.changed(), "only what differs travels");
    }

    @Test
    void aHeldSyncIsWokenWhenTheAppChanges() throws Exception {
        var ns = fleetIn("hub-wake");
        var proxy = bootstrapped(ns, "hamburg");
        var delivered = syncUntilDelivered(proxy, "sensor-collector", report(1, List.of()));
        var first = delivered.changed().get(0).bundle();

        var held = heldSync(proxy, delivered);
        client.resources(EdgeApp.class).inNamespace(ns).withName("sensor-collector").edit(app -> {
            app.getMetadata().setGeneration(2L);
            var config = app.getSpec().resources().get(0);
            ((Map<String, Object>) config.getAdditionalProperties().get("data")).put("level", "debug");
            return app;
        });
        var woken = held.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).as(SyncResponse.class);
        assertEquals(1, woken.changed().size(), "the held sync answered with the new revision, not at its timeout");
        assertTrue(!woken.changed().get(0).bundle().revision().equals(first.revision()));
    }

    @Test
    void quarantiningANodeEndsItsClustersHeldSyncAtOnce() throws Exception {
        var ns = fleetIn("hub-quarantine-held");
        var proxy = bootstrapped(ns, "hamburg");
        var delivered = syncUntilDelivered(proxy, "sensor-collector", report(1, List.of()));
        var held = heldSync(proxy, delivered);
        quarantine(ns, "hamburg-01", true);
        // Without the wake the hold would end with 204 at the long-poll's end.
        var answer = held.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(403, answer.status(), answer.body());
        assertTrue(answer.body().contains("quarantined"), answer.body());
    }

    @Test
    void aClusterOwedMoreThanOneAnswerHoldsGetsItOverSeveral() throws Exception {
        var ns = fleetIn("hub-split");
        // Three bundles of about 30 KB for hamburg; the test profile's answers hold 64 KiB.
        var names = List.of("big-a", "big-b", "big-c");
        for (var name : names) {
            fleet().apply("""
                    apiVersion: edgebridge.io/v1alpha1
                    kind: EdgeApp
                    metadata: {name: %s, namespace: %s}
                    spec:
                      placement: {clusters: [hamburg]}
                      targetNamespace: big
                      resources:
                        - apiVersion: v1
                          kind: ConfigMap
                          metadata: {name: data}
                          data: {blob: "%s"}
                    """.formatted(name, ns, "x".repeat(30_000)));
        }
        for (var name : names) {
            await().atMost(WAIT).until(() -> {
                var app = client.resources(EdgeApp.class).inNamespace(ns).withName(name).get();
                return app.getStatus() != null && app.getStatus().rollout() != null;
            });
        }
        var proxy = bootstrapped(ns, "hamburg");

        var first = proxy.syncOk(new SyncRequest(Map.of(), null, null, report(1, List.of())));
        var firstApps = first.changed().stream().map(b -> b.bundle().app()).toList();
        assertEquals(null, first.stateHash(), "a partial answer names no state: " + firstApps);
        assertTrue(firstApps.stream().filter(names::contains).count() <= 2, "at most 64 KiB: " + firstApps);

        // As the proxy does: with no state hash it sends what it holds, and gets the rest.
        var known = new HashMap<String, String>();
        first.changed().forEach(b -> known.put(b.bundle().app(), b.bundle().hash()));
        var rest = proxy.syncOk(new SyncRequest(known, null, first.epoch(), null));
        rest.changed().forEach(b -> known.put(b.bundle().app(), b.bundle().hash()));
        assertNotNull(rest.stateHash(), "the second answer completes the state");
        assertTrue(known.keySet().containsAll(names), "every app arrived: " + known.keySet());
        assertTrue(rest.changed().stream().noneMatch(b -> firstApps.contains(b.bundle().app())),
                "nothing is sent twice");
    }

    @Test
    void statusIsRecordedLevelBasedAndStaleReportsAreIgnored() throws Exception {
        var ns = fleetIn("hub-status");
        var proxy = bootstrapped(ns, "hamburg");
        var ready = List.of(new AppState("sensor-collector", "r-new", "h1", true, false, null));
        var response = proxy.syncOk(new SyncRequest(Map.of(), null, null, report(5, ready)));
        assertEquals(5, response.ack());
        await().atMost(WAIT).untilAsserted(() -> {
            var status = client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").get().getStatus();
            assertEquals("r-new", status.apps().get(0).revision());
            assertEquals("v1.33.4+k3s1", status.k3sVersion());
            assertNotNull(status.lastSeen());
            assertTrue(Conditions.isTrue(status.conditions(), "Connected"));
        });

        // A newer report right after the last write waits out the write interval, then lands.
        var newer = List.of(new AppState("sensor-collector", "r-newer", "h2", true, false, null));
        proxy.syncOk(new SyncRequest(Map.of(), response.stateHash(), response.epoch(), report(6, newer)));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("r-newer", client.resources(EdgeCluster.class)
                .inNamespace(ns).withName("hamburg").get().getStatus().apps().get(0).revision()));

        var late = List.of(new AppState("sensor-collector", "r-old", "h0", false, false, "late"));
        assertEquals(6, proxy.syncOk(new SyncRequest(Map.of(), response.stateHash(), "other-epoch",
                report(3, late))).ack(), "an older report is acknowledged and ignored");
        var status = client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").get().getStatus();
        assertEquals("r-newer", status.apps().get(0).revision());

        // Once written, the status holds the report: the hub keeps only its hash and what runs where.
        var cluster = client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").get();
        await().atMost(WAIT).until(() -> !recorder.holdsUnwrittenReport(cluster));
        assertEquals(Map.of("sensor-collector", "r-newer"), recorder.runningRevisions(cluster));
        // The same content again (a newer sequence number) is no change: nothing to write, nothing held.
        assertEquals(7, proxy.syncOk(new SyncRequest(Map.of(), response.stateHash(), response.epoch(),
                report(7, newer))).ack());
        assertTrue(!recorder.holdsUnwrittenReport(cluster), "an unchanged report is not held for writing");
    }

    @Test
    void clustersRunningTheSameRevisionsShareWhatTheHubKeepsOfThem() throws Exception {
        var ns = fleetIn("hub-running");
        var hamburg = bootstrapped(ns, "hamburg");
        var munich = bootstrapped(ns, "munich");
        // Each report is deserialized afresh: equal revisions arrive as strings of their own.
        hamburg.syncOk(new SyncRequest(Map.of(), null, null,
                report(1, List.of(new AppState("sensor-collector", "r-1", "h1", true, false, null)))));
        munich.syncOk(new SyncRequest(Map.of(), null, null,
                report(1, List.of(new AppState("sensor-collector", "r-1", "h1", true, false, null)))));

        var running = recorder.runningRevisions(client.resources(EdgeCluster.class).inNamespace(ns)
                .withName("hamburg").get());
        assertEquals(Map.of("sensor-collector", "r-1"), running);
        assertSame(running, recorder.runningRevisions(client.resources(EdgeCluster.class).inNamespace(ns)
                .withName("munich").get()));
    }

    @Test
    void planningAStateAgainKeepsTheContentsHeldSyncsShare() {
        var ns = fleetIn("hub-states");
        var cluster = await().atMost(WAIT).until(() -> client.resources(EdgeCluster.class).inNamespace(ns)
                .withName("hamburg").get(), java.util.Objects::nonNull);
        var first = desired.plan(cluster, Map.of());
        var kept = desired.contents(first.stateHash()).orElseThrow();

        var again = desired.plan(cluster, Map.of());
        assertEquals(first.stateHash(), again.stateHash());
        assertSame(kept, desired.contents(again.stateHash()).orElseThrow());
    }

    @Test
    void statusWritesWaitTheirTurnUnderTheReplicasPace() throws Exception {
        var ns = fleetIn("hub-paced");
        var proxy = bootstrapped(ns, "hamburg");
        var first = List.of(new AppState("sensor-collector", "r-first", "h1", true, false, null));
        var response = proxy.syncOk(new SyncRequest(Map.of(), null, null, report(1, first)));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("r-first", client.resources(EdgeCluster.class)
                .inNamespace(ns).withName("hamburg").get().getStatus().apps().get(0).revision()));

        var held = new HeldPace();
        var waiting = held.waiting;
        var release = held.release;
        recorder.pace(held.pace);
        try {
            var second = List.of(new AppState("sensor-collector", "r-second", "h2", true, false, null));
            proxy.syncOk(new SyncRequest(Map.of(), response.stateHash(), response.epoch(), report(2, second)));
            assertTrue(waiting.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
                    "the report's write waits for its turn");
            var cluster = client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").get();
            assertEquals("r-first", cluster.getStatus().apps().get(0).revision());
            assertTrue(recorder.holdsUnwrittenReport(cluster));
            release.countDown();
            await().atMost(WAIT).untilAsserted(() -> assertEquals("r-second", client.resources(EdgeCluster.class)
                    .inNamespace(ns).withName("hamburg").get().getStatus().apps().get(0).revision()));
        } finally {
            release.countDown();
            recorder.pace(StatusWritePace.of(hubConfig.statusWritesPerSecond()));
        }
    }

    @Test
    void reportsCountAfreshUnderANewCertificate() throws Exception {
        var ns = fleetIn("hub-reprovisioned");
        var proxy = bootstrapped(ns, "hamburg");
        var old = List.of(new AppState("sensor-collector", "r-old", "h1", true, false, null));
        assertEquals(40, proxy.syncOk(new SyncRequest(Map.of(), null, null, report(40, old))).ack());

        // A device set up afresh (or a proxy whose state was lost) comes with a new certificate and counts from 1.
        proxy.renew();
        var fresh = List.of(new AppState("sensor-collector", "r-fresh", "h2", true, false, null));
        assertEquals(1, proxy.syncOk(new SyncRequest(Map.of(), null, null, report(1, fresh))).ack());
        await().atMost(WAIT).untilAsserted(() -> assertEquals("r-fresh", client.resources(EdgeCluster.class)
                .inNamespace(ns).withName("hamburg").get().getStatus().apps().get(0).revision()));
    }

    @Test
    void proxiesAreServedByBoringSsl() {
        // Every test here then runs mutual TLS through it: certificates, refusals, renewals.
        assertEquals(HubConfig.TlsEngine.OPENSSL, hub.tlsEngine(), "netty-tcnative loads on this platform");
    }

    @Test
    void aProxyJvmWithTheManifestsTlsSettingsHandshakesWithTheHub(@TempDir Path dir) throws Exception {
        // The proxy's manifest restricts its JVM's key exchange (one key share per handshake, not two).
        var tlsSettings = RegistrationManifest.proxyTlsProperties();
        assertTrue(tlsSettings.containsKey("jdk.tls.namedGroups"), tlsSettings.toString());
        var caFile = Files.writeString(dir.resolve("ca.crt"), ca());
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        tlsSettings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TlsProbe.class.getName(),
                Integer.toString(hub.port()), caFile.toString()));
        var probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, probe.exitValue(), output);
        assertTrue(output.contains("TLSv1.3"), output);
    }

    @Test
    void theHubClosesTheConnectionOfABootstrapAnswer() throws Exception {
        try (var socket = TestProxy.trusting(ca()).getSocketFactory().createSocket("localhost", hub.port())) {
            // Below the hub's idle timeout (36 s in tests): only a close ends the read this early.
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + SyncPaths.BOOTSTRAP + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            var answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
        }
    }

    @Test
    void aBootstrapRefusedAsTooLargeStillClosesItsConnection() throws Exception {
        var chunk = " ".repeat(64 * 1024);
        for (boolean declared : new boolean[] {true, false}) {
            try (var socket = TestProxy.trusting(ca()).getSocketFactory().createSocket("localhost", hub.port())) {
                // Below the hub's idle timeout (36 s in tests): only a close ends the read this early.
                socket.setSoTimeout(10_000);
                var out = socket.getOutputStream();
                int chunks = hubConfig.maxRequestBytes() / chunk.length() + 2;
                out.write(("POST " + SyncPaths.BOOTSTRAP + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\n"
                        + (declared ? "Content-Length: " + (long) chunks * chunk.length() : "Transfer-Encoding: chunked")
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < chunks; i++) {
                    out.write(((declared ? "" : Integer.toHexString(chunk.length()) + "\r\n") + chunk
                            + (declared ? "" : "\r\n")).getBytes(StandardCharsets.US_ASCII));
                }
                if (!declared) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                var answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 413"), (declared ? "declared: " : "chunked: ") + answer);
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"),
                        "the answer says so: " + answer);
            }
        }
    }

    @Test
    void aClientThatNeverFinishesItsHandshakeIsClosedAtTheHandshakeTimeout() throws Exception {
        // The test profile's 2 s, not Vert.x's 10 s default: the hub applies its own setting.
        try (var silent = new Socket(InetAddress.getLoopbackAddress(), hub.port())) {
            silent.setSoTimeout(8_000);
            assertEquals(-1, silent.getInputStream().read(), "the hub closes the connection");
        }
    }

    @Test
    void connectionsToSilentPeersAreClosedByTheKernel() {
        // Linux's native transport, which sets TCP_USER_TIMEOUT (the partition tests cut real links).
        assertTrue(hub.closesSilentConnections(), "epoll transport in use");
    }

    @Test
    void everyRequestProvesItsIdentity() throws Exception {
        var ns = fleetIn("hub-identity");
        var hamburg = bootstrapped(ns, "hamburg");
        var anonymous = proxy(ns, "hamburg");
        assertEquals(401, anonymous.sync(new SyncRequest(Map.of(), null, null, null)).status());

        var impostor = hamburg.post(io.edgebridge.api.sync.v1.SyncPaths.sync(ns + ".munich"),
                new SyncRequest(Map.of(), null, null, null));
        assertEquals(403, impostor.status(), "a certificate acts for its own cluster only");

        quarantine(ns, "hamburg-01", true);
        await().atMost(WAIT).until(() -> hamburg.sync(new SyncRequest(Map.of(), null, null, null)).status() == 403);
        quarantine(ns, "hamburg-01", false);
        await().atMost(WAIT).until(() -> hamburg.sync(new SyncRequest(Map.of(), null, null, null)).status() == 200);

        client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").delete();
        await().atMost(WAIT).until(() -> hamburg.sync(new SyncRequest(Map.of(), null, null, null)).status() == 403);
    }

    @Test
    void aProxyRenewsItsCertificateWithItsCurrentOne() throws Exception {
        var ns = fleetIn("hub-renew");
        var proxy = bootstrapped(ns, "hamburg");
        var renewed = proxy.post(io.edgebridge.api.sync.v1.SyncPaths.renew(ns + ".hamburg"),
                new io.edgebridge.api.sync.v1.RenewRequest(proxy.csr()));
        assertEquals(200, renewed.status(), renewed.body());
        assertEquals("close", renewed.raw().headers().firstValue("connection").orElse(null),
                "the next calls come with the new certificate, on a connection of their own");
        var certificate = renewed.as(io.edgebridge.api.sync.v1.CertificateResponse.class);
        assertTrue(!certificate.certificate().equals(proxy.certificate.certificate()), "a fresh certificate");
        assertEquals(401, proxy(ns, "hamburg").post(io.edgebridge.api.sync.v1.SyncPaths.renew(ns + ".hamburg"),
                new io.edgebridge.api.sync.v1.RenewRequest(proxy.csr())).status(), "renewal needs a certificate");
    }

    @Test
    void aRestartedHubWritesNoLastSeenThatIsNotDue() throws Exception {
        var ns = fleetIn("hub-restart");
        var proxy = bootstrapped(ns, "hamburg");
        var delivered = syncUntilDelivered(proxy, "sensor-collector", report(1, List.of()));
        var written = await().atMost(WAIT).until(() -> client.resources(EdgeCluster.class).inNamespace(ns)
                .withName("hamburg").get(), c -> c.getStatus() != null && c.getStatus().lastSeen() != null
                        && Conditions.isTrue(c.getStatus().conditions(), "Connected")
                        && !recorder.holdsUnwrittenReport(c));
        await().atMost(WAIT).until(() -> recorder.queuedWrites() == 0);
        var before = client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").get();

        // Past the second lastSeen was written at: a write now would change it.
        var lastSeen = java.time.Instant.parse(before.getStatus().lastSeen());
        await().atMost(WAIT).until(() -> java.time.Instant.now().isAfter(lastSeen.plusSeconds(1)));
        // A replica that never served the cluster, as after a restart, sees it sync again.
        recorder.forget(written);
        var held = heldSync(proxy, delivered);
        await().during(java.time.Duration.ofSeconds(3)).atMost(WAIT).until(() -> before.getStatus().lastSeen()
                .equals(client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").get()
                        .getStatus().lastSeen()));
        held.cancel(true);
    }

    @Test
    void aProxyThatStopsSyncingIsMarkedOfflineWhenItsOfflineAfterPasses() throws Exception {
        var ns = fleetIn("hub-gone");
        connectedWithOfflineAfterOf2s(ns);
        // The proxy goes silent: the hub that served it writes the disconnect.
        var status = await().atMost(WAIT).until(() -> client.resources(EdgeCluster.class).inNamespace(ns)
                .withName("hamburg").get().getStatus(), s -> s.disconnectedAt() != null
                        && !Conditions.isTrue(s.conditions(), "Connected"));
        assertEquals(io.edgebridge.api.v1alpha1.EdgeClusterStatus.Phase.Offline, status.phase());
    }

    @Test
    void aDisconnectWaitingForItsTurnIsDroppedWhenTheProxySyncsAgain() throws Exception {
        var ns = fleetIn("hub-back");
        var proxy = connectedWithOfflineAfterOf2s(ns);
        var response = proxy.syncOk(new SyncRequest(Map.of(), null, null, report(1, List.of())));
        var disconnects = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var held = new HeldPace();
        var waiting = held.waiting;
        var release = held.release;
        recorder.pace(held.pace);
        try (var watch = client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg")
                .watch(new io.fabric8.kubernetes.client.Watcher<EdgeCluster>() {
                    @Override
                    public void eventReceived(Action action, EdgeCluster cluster) {
                        if (cluster.getStatus() != null && cluster.getStatus().disconnectedAt() != null) {
                            disconnects.add(cluster.getStatus().disconnectedAt());
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                })) {
            // Silent past offlineAfter: the hub's disconnect write waits for its turn...
            assertTrue(waiting.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            // ...while the proxy comes back.
            proxy.syncOk(new SyncRequest(Map.of(), response.stateHash(), response.epoch(), report(2, List.of())));
            release.countDown();
            var cluster = client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").get();
            await().atMost(WAIT).until(() -> !recorder.holdsUnwrittenReport(cluster) && recorder.queuedWrites() == 0);
            assertEquals(List.of(), disconnects, "a proxy that synced again was never marked disconnected");
            assertTrue(Conditions.isTrue(client.resources(EdgeCluster.class).inNamespace(ns).withName("hamburg").get()
                    .getStatus().conditions(), "Connected"));
        } finally {
            release.countDown();
            recorder.pace(StatusWritePace.of(hubConfig.statusWritesPerSecond()));
        }
    }

    @Test
    void malformedAndOversizedRequestsAreRefusedWith4xx() throws Exception {
        var ns = fleetIn("hub-bad");
        var proxy = bootstrapped(ns, "hamburg");
        assertEquals(400, proxy.post(io.edgebridge.api.sync.v1.SyncPaths.sync(ns + ".hamburg"),
                "{not json".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(400, proxy.post(io.edgebridge.api.sync.v1.SyncPaths.BOOTSTRAP,
                "{\"cluster\":\"no-dot\",\"token\":\"x\"}".getBytes(StandardCharsets.UTF_8)).status());
        var huge = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertEquals(413, proxy.post(io.edgebridge.api.sync.v1.SyncPaths.sync(ns + ".hamburg"), huge).status());
    }

    @Test
    void gzippedBodiesAreReadUnpackedAndLimitedUnpacked() throws Exception {
        var ns = fleetIn("hub-gzip-in");
        var proxy = bootstrapped(ns, "hamburg");
        var sync = TestProxy.JSON.writeValueAsBytes(new SyncRequest(Map.of(), null, null, report(1, List.of())));
        var answer = proxy.postGzipped(io.edgebridge.api.sync.v1.SyncPaths.sync(ns + ".hamburg"), sync);
        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.as(SyncResponse.class).changed().stream().anyMatch(b -> b.bundle().app().equals(
                "sensor-collector")));

        // A few kilobytes on the wire that unpack to two megabytes: counted unpacked.
        var bomb = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(bomb, (byte) ' ');
        var refused = proxy.postGzipped(io.edgebridge.api.sync.v1.SyncPaths.sync(ns + ".hamburg"), bomb);
        assertEquals(413, refused.status());
        assertTrue(refused.body().contains("larger than"), refused.body());

        // Another coding: the proxy sends plain JSON after a 415.
        var brotli = proxy.postEncoded(io.edgebridge.api.sync.v1.SyncPaths.sync(ns + ".hamburg"), sync, "br");
        assertEquals(415, brotli.status());
        var broken = proxy.postEncoded(io.edgebridge.api.sync.v1.SyncPaths.sync(ns + ".hamburg"), sync, "gzip");
        assertEquals(400, broken.status(), "plain JSON said to be gzip");
    }

    @Test
    void pathsAndMethodsTheHubDoesNotServeAreRefused() throws Exception {
        var ns = fleetIn("hub-paths");
        var proxy = bootstrapped(ns, "hamburg");
        var empty = "{}".getBytes(StandardCharsets.UTF_8);
        assertEquals(404, proxy.post("/sync/v1/clusters/" + ns + ".hamburg/status", empty).status());
        assertEquals(404, proxy.post("/sync/v1/clusters/" + ns + "/hamburg/sync", empty).status());
        assertEquals(404, proxy.post("/", empty).status());
        var get = proxy.call("GET", io.edgebridge.api.sync.v1.SyncPaths.sync(ns + ".hamburg"));
        assertEquals(405, get.status());
        assertEquals(java.util.Optional.of("POST"), get.raw().headers().firstValue("Allow"));
        // The hub still serves this proxy.
        assertEquals(200, proxy.sync(new SyncRequest(Map.of(), null, null, null)).status());
    }

    /** An idle sync (only the state hash: the hub knows what it stands for), once the hub holds it. */
    CompletableFuture<TestProxy.Answer> heldSync(TestProxy proxy, SyncResponse delivered) {
        var held = CompletableFuture.supplyAsync(() -> {
            try {
                return proxy.sync(new SyncRequest(null, delivered.stateHash(), delivered.epoch(), null));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(WAIT).until(() -> hubWaiting() > 0);
        return held;
    }

    void quarantine(String ns, String node, boolean on) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                client.resources(EdgeNode.class).inNamespace(ns).withName(node).edit(n -> {
                    n.setSpec(new EdgeNodeSpec(n.getSpec().serialNumber(), n.getSpec().deviceId(),
                            n.getSpec().location(), on));
                    return n;
                }));
    }

    @Inject
    Waiters waiters;

    int hubWaiting() {
        return waiters.size();
    }

    static boolean verifies(SignedBundle signed, String publicKeyPem) throws Exception {
        var der = Base64.getMimeDecoder().decode(publicKeyPem.replaceAll("-----[A-Z ]+-----", ""));
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        var signature = Signature.getInstance(SignedBundle.ALGORITHM);
        signature.initVerify(key);
        signature.update(CanonicalJson.bytes(signed.bundle()));
        return signature.verify(Base64.getDecoder().decode(signed.signature()));
    }
}
