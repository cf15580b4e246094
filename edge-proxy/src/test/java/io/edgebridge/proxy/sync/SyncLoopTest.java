package io.edgebridge.proxy.sync;

import static io.edgebridge.proxy.testing.Bundles.bundle;
import static io.edgebridge.proxy.testing.Bundles.configMap;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.proxy.EdgeProxy;
import io.edgebridge.proxy.config.BootstrapSource;
import io.edgebridge.proxy.config.ProxySettings;
import io.edgebridge.proxy.testing.Bundles;
import io.edgebridge.proxy.testing.FakeHub;
import io.edgebridge.proxy.testing.InMemoryCluster;
import io.edgebridge.proxy.testing.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy against an HTTPS double of the hub, with an in-memory cluster. */
class SyncLoopTest {

    private static final String CLUSTER = "retail-eu.munich";
    private static final String TOKEN = "one-time-token";

    private final TestPki pki = new TestPki();
    private final List<AutoCloseable> running = new ArrayList<>();

    @TempDir
    Path stateDir;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void bootstrapsOnceThenAppliesAndReportsTheDesiredState() throws Exception {
        var hub = hub();
        hub.apps(bundle("shop", "r1", "retail", configMap("settings", Map.of("currency", "EUR"))));
        var cluster = new InMemoryCluster();
        var proxy = proxy(hub, cluster, new SimpleMeterRegistry());

        await().until(() -> cluster.configMap("retail", "settings").isPresent());
        assertEquals(1, hub.bootstraps());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                stateDir.resolve("identity/device.key"))));
        var shop = await().until(() -> lastReportedApp(hub, "shop"), app -> app != null && app.ready());
        assertEquals("r1", shop.revision());
        await().until(() -> proxy.health().ready() && proxy.health().connected());
        assertEquals(hub.stateHash(), proxy.health().appliedStateHash());

        proxy.close();
        var again = proxy(hub, new InMemoryCluster(), new SimpleMeterRegistry());
        await().until(() -> again.health().connected());
        assertEquals(1, hub.bootstraps(), "the stored identity is used; the one-time token is not needed again");
    }

    @Test
    void appliesDeltasAndPrunesWhatWasRemoved() {
        var hub = hub();
        var shopV1 = bundle("shop", "r1", "retail", configMap("a", Map.of()), configMap("b", Map.of()));
        var pos = bundle("pos", "r1", "retail", configMap("p", Map.of()));
        hub.apps(shopV1, pos);
        var cluster = new InMemoryCluster();
        cluster.put(Bundles.object("v1", "ConfigMap", "retail", "not-ours", Map.of()));
        proxy(hub, cluster, new SimpleMeterRegistry());
        await().until(() -> cluster.configMap("retail", "b").isPresent() && cluster.configMap("retail", "p").isPresent());

        var shopV2 = bundle("shop", "r2", "retail", configMap("a", Map.of("new", "yes")));
        hub.apps(shopV2);
        await().until(() -> cluster.configMap("retail", "b").isEmpty() && cluster.configMap("retail", "p").isEmpty());
        assertEquals("yes", cluster.configMap("retail", "a").orElseThrow().get("data", "new"));
        assertTrue(cluster.configMap("retail", "not-ours").isPresent(), "never applied by EdgeBridge: left alone");
        // Holding the whole state, the proxy names it by its hash instead of listing the apps.
        await().until(() -> hub.stateHash().equals(lastRequest(hub).request().stateHash()));
        assertNull(lastRequest(hub).request().known());
    }

    @Test
    void takesAStateOwedOverSeveralAnswers() {
        var hub = hub().bundlesPerAnswer(1);
        var shop = bundle("shop", "r1", "retail", configMap("a", Map.of()));
        var pos = bundle("pos", "r1", "retail", configMap("p", Map.of()));
        var scale = bundle("scale", "r1", "retail", configMap("s", Map.of()));
        hub.apps(shop, pos, scale);
        var cluster = new InMemoryCluster();
        var proxy = proxy(hub, cluster, new SimpleMeterRegistry());

        await().until(() -> proxy.health().connected() && hub.stateHash().equals(proxy.health().appliedStateHash()));
        assertTrue(cluster.configMap("retail", "a").isPresent() && cluster.configMap("retail", "p").isPresent()
                && cluster.configMap("retail", "s").isPresent());
        // After each partial answer the proxy listed what it held (a status report may resend a list).
        var lists = hub.syncs().stream().map(r -> r.request().known()).filter(Objects::nonNull).distinct().toList();
        assertEquals(List.of(Map.of(), Map.of("pos", pos.hash()), Map.of("pos", pos.hash(), "scale", scale.hash())),
                lists, hub.syncs().toString());
    }

    @Test
    void listsItsAppsWhenTheHubNoLongerKnowsTheStateHash() {
        var hub = hub();
        var shopV1 = bundle("shop", "r1", "retail", configMap("a", Map.of()));
        var pos = bundle("pos", "r1", "retail", configMap("p", Map.of()));
        hub.apps(shopV1, pos);
        var cluster = new InMemoryCluster();
        proxy(hub, cluster, new SimpleMeterRegistry());
        await().until(() -> cluster.configMap("retail", "p").isPresent()
                && hub.stateHash().equals(lastRequest(hub).request().stateHash()));

        hub.forget(); // a restarted hub: the hash means nothing to it
        hub.apps(bundle("shop", "r2", "retail", configMap("a", Map.of("v", "2"))));
        await().until(() -> cluster.configMap("retail", "p").isEmpty()
                && cluster.configMap("retail", "a").map(c -> c.get("data", "v")).isPresent());
        var syncs = hub.syncs();
        int refused = -1;
        for (int i = 0; i < syncs.size(); i++) {
            if (syncs.get(i).answeredWith() == 409) {
                refused = i;
            }
        }
        assertTrue(refused >= 0, "the hub did not know the state: " + syncs);
        var retry = syncs.get(refused + 1).request();
        assertEquals(Map.of("shop", shopV1.hash(), "pos", pos.hash()), retry.known(), "asked, the proxy lists its apps");
    }

    @Test
    void honoursRetryAfterOn429() {
        var hub = hub();
        hub.apps(bundle("shop", "r1", "retail", configMap("a", Map.of())));
        hub.throttleNext(1, 1);
        var cluster = new InMemoryCluster();
        proxy(hub, cluster, new SimpleMeterRegistry());

        await().until(() -> cluster.configMap("retail", "a").isPresent());
        var syncs = hub.syncs();
        assertEquals(429, syncs.get(0).answeredWith());
        var waited = Duration.between(syncs.get(0).at(), syncs.get(1).at());
        // The backoff cap here is 400 ms: only Retry-After explains a wait of a second.
        assertTrue(waited.toMillis() >= 950, "waited only " + waited);
    }

    @Test
    void keepsEnforcingWhileTheHubIsDown() {
        var hub = hub();
        hub.apps(bundle("shop", "r1", "retail", configMap("a", Map.of("currency", "EUR"))));
        var cluster = new InMemoryCluster();
        var registry = new SimpleMeterRegistry();
        var proxy = proxy(hub, cluster, registry);
        await().until(() -> cluster.configMap("retail", "a").isPresent() && proxy.health().connected());

        hub.close();
        await().until(() -> !proxy.health().connected());
        cluster.delete("v1", "ConfigMap", "retail", "a");
        await().until(() -> cluster.configMap("retail", "a").isPresent());

        var edited = cluster.configMap("retail", "a").orElseThrow();
        edited.setAdditionalProperty("data", Map.of("currency", "XXX"));
        cluster.put(edited);
        await().until(() -> "EUR".equals(cluster.configMap("retail", "a").orElseThrow().get("data", "currency")));
        assertTrue(proxy.health().alive() && proxy.health().ready());
        assertEquals(0.0, registry.get("edgebridge.proxy.connected").gauge().value());
    }

    @Test
    void enforcesTheStoredStateAfterARestartWithoutTheHub() {
        var hub = hub();
        hub.apps(bundle("shop", "r1", "retail", configMap("a", Map.of())));
        var first = proxy(hub, new InMemoryCluster(), new SimpleMeterRegistry());
        await().until(() -> first.health().ready());
        first.close();
        hub.close();

        var rebooted = new InMemoryCluster();
        var proxy = proxy(hub, rebooted, new SimpleMeterRegistry());
        await().until(() -> rebooted.configMap("retail", "a").isPresent());
        assertTrue(proxy.health().ready());
        assertFalse(proxy.health().connected());
    }

    @Test
    void neverAppliesABundleThatDoesNotVerify() {
        var hub = hub();
        var registry = new SimpleMeterRegistry();
        var cluster = new InMemoryCluster();
        hub.apps(bundle("shop", "r1", "retail", configMap("a", Map.of())));
        hub.tampered(bundle("evil", "r1", "retail", configMap("evil", Map.of())));
        proxy(hub, cluster, registry);

        await().until(() -> cluster.configMap("retail", "a").isPresent());
        await().until(() -> registry.get("edgebridge.proxy.bundles.rejected").counter().count() >= 2);
        assertTrue(cluster.configMap("retail", "evil").isEmpty());
        assertFalse(lastRequest(hub).request().known().containsKey("evil"));
        assertNull(lastRequest(hub).request().stateHash(), "the proxy does not claim the hub's state");
    }

    @Test
    void sendsStatusUntilAcknowledgedAndAgainWhenTheHubForgets() {
        var hub = hub();
        hub.apps(bundle("shop", "r1", "retail", configMap("a", Map.of())));
        proxy(hub, new InMemoryCluster(), new SimpleMeterRegistry());
        await().until(() -> lastReportedApp(hub, "shop") != null && lastReportedApp(hub, "shop").ready());
        long seq = hub.recordedSeq();
        await().until(() -> lastRequest(hub).request().status() == null);

        hub.forget();
        await().until(() -> hub.recordedSeq() >= seq);
        assertEquals(seq, hub.recordedSeq(), "the same report again, with its number");
    }

    @Test
    void aStatusChangeCutsTheLongPollShort() {
        var hub = hub().longPoll(Duration.ofSeconds(30));
        hub.apps(bundle("shop", "r1", "retail", configMap("a", Map.of())));
        var cluster = new InMemoryCluster();
        proxy(hub, cluster, new SimpleMeterRegistry());
        await().until(() -> lastReportedApp(hub, "shop") != null && lastReportedApp(hub, "shop").ready());
        // The hub now holds a sync for up to 30 s.
        long before = hub.recordedSeq();

        // Deleted behind the proxy's back: the app is not ready until restored, and the hub hears
        // of it long before the 30 s long-poll ends.
        cluster.delete("v1", "ConfigMap", "retail", "a");
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.recordedSeq() > before);
    }

    @Test
    void renewsTheCertificateWithANewKeyBeforeItExpires() throws Exception {
        var hub = hub().certificateValidity(Duration.ofSeconds(4));
        hub.apps(bundle("shop", "r1", "retail", configMap("a", Map.of())));
        var proxy = proxy(hub, new InMemoryCluster(), new SimpleMeterRegistry());
        await().until(() -> proxy.health().connected());
        var firstKey = Files.readString(stateDir.resolve("identity/device.key"));

        await().until(() -> hub.renewals() >= 1);
        await().until(() -> !firstKey.equals(Files.readString(stateDir.resolve("identity/device.key"))));
        int syncs = hub.syncs().size();
        await().until(() -> hub.syncs().size() > syncs + 1 && lastRequest(hub).answeredWith() == 200);
        assertEquals(1, hub.bootstraps(), "renewed, not bootstrapped again");
    }

    @Test
    void bootstrapsAgainWhenTheHubRefusesTheCertificate() {
        var hub = hub();
        hub.apps(bundle("shop", "r1", "retail", configMap("a", Map.of())));
        var proxy = proxy(hub, new InMemoryCluster(), new SimpleMeterRegistry());
        await().until(() -> proxy.health().connected());

        hub.refuseCertificatesUntilBootstrap();
        hub.withToken(TOKEN);
        await().until(() -> hub.bootstraps() == 2);
        await().until(() -> proxy.health().connected() && lastRequest(hub).answeredWith() == 200);
    }

    @Test
    void largeStatusTravelsGzipped() {
        var hub = hub();
        var apps = new ArrayList<AppBundle>();
        for (int i = 0; i < 40; i++) {
            apps.add(bundle("app-" + i, "r1", "retail", configMap("c-" + i, Map.of())));
        }
        hub.apps(apps.toArray(AppBundle[]::new));
        var cluster = new InMemoryCluster();
        proxy(hub, cluster, new SimpleMeterRegistry());
        await().until(() -> lastReportedApp(hub, "app-39") != null && lastReportedApp(hub, "app-39").ready());
        assertTrue(hub.gzippedRequests() > 0, "a status of 40 apps is above the gzip threshold");
    }

    private FakeHub hub() {
        var hub = new FakeHub(pki).withToken(TOKEN);
        running.add(hub);
        return hub;
    }

    private EdgeProxy proxy(FakeHub hub, InMemoryCluster cluster, SimpleMeterRegistry registry) {
        var settings = new ProxySettings(CLUSTER, URI.create(hub.url()), stateDir,
                BootstrapSource.of(CLUSTER, hub.url(), pki.caPem(), TOKEN),
                Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(500),
                Duration.ofMillis(150), Duration.ofSeconds(5), Duration.ofSeconds(40), "test");
        var proxy = EdgeProxy.builder(settings).cluster(cluster, cluster, cluster).meterRegistry(registry).build();
        running.add(proxy);
        proxy.start();
        return proxy;
    }

    private static FakeHub.Recorded lastRequest(FakeHub hub) {
        var syncs = hub.syncs();
        return syncs.get(syncs.size() - 1);
    }

    private static AppState lastReportedApp(FakeHub hub, String app) {
        return hub.syncs().stream().map(r -> r.request().status()).filter(Objects::nonNull)
                .reduce((a, b) -> b)
                .flatMap(status -> status.apps().stream().filter(a -> a.name().equals(app)).findFirst())
                .orElse(null);
    }
}
