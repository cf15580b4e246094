package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site behind a link that fails the ways edge links fail: cut (resets), blackholed (half-open,
 * bytes vanish), and slow, thin and flaky all at once. Desired state changes while the link is bad;
 * once it heals the site converges and its status is right.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final String FLEET = "retail-eu";
    static final String APP = "sensor-collector";

    @TempDir
    static Path work;

    static TestFleet fleet;
    static LocalControlPlane central;
    static LocalControlPlane hamburg;
    static FaultyLink link;

    @BeforeAll
    static void startFleet() throws Exception {
        // A short long-poll and request timeout, so a request that vanished in a blackhole is retried soon.
        fleet = new TestFleet(work, Map.of("EDGEBRIDGE_HUB_LONG_POLL", "4s"));
        fleet.requestTimeout = Duration.ofSeconds(8);
        var site = fleet.addSite("hamburg", List.of("hamburg-01"));
        central = fleet.central;
        hamburg = site.plane;
        link = site.link;
        await().atMost(WAIT).until(() -> level().equals("info"));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** The collector's log level on the edge, as applied there. */
    static String level() {
        var config = hamburg.client().configMaps().inNamespace("sensors").withName("collector-config").get();
        if (config == null) {
            return "";
        }
        return config.getData().getOrDefault("level", "info");
    }

    /** Changes what the site must run and returns the app's new revision once the operator made it. */
    static String setLevel(String level) {
        var before = central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP).get().getStatus()
                .revision();
        central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP).edit(app -> {
            ((Map<String, Object>) app.getSpec().resources().get(0).getAdditionalProperties().get("data"))
                    .put("level", level);
            return app;
        });
        return await().atMost(WAIT).until(() -> central.client().resources(EdgeApp.class).inNamespace(FLEET)
                .withName(APP).get().getStatus().revision(), r -> !Objects.equals(r, before));
    }

    static void assertConverged(String level, String revision) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(level, level()));
        await().atMost(WAIT).untilAsserted(() -> {
            var apps = central.client().resources(EdgeCluster.class).inNamespace(FLEET).withName("hamburg").get()
                    .getStatus().apps();
            assertTrue(apps.stream().anyMatch(a -> a.name().equals(APP) && revision.equals(a.revision())
                    && Boolean.TRUE.equals(a.ready())), "the hub knows what the site runs: " + apps);
        });
    }

    @Test
    @Order(1)
    void aCutLinkHealsAndTheSiteConverges() {
        link.mode(FaultyLink.Mode.DOWN);
        var revision = setLevel("debug");
        assertEquals("info", level(), "nothing reaches the site while its link is down");
        link.mode(FaultyLink.Mode.UP);
        assertConverged("debug", revision);
    }

    @Test
    @Order(2)
    void aBlackholedLinkHealsAndTheSiteConverges() {
        link.mode(FaultyLink.Mode.BLACKHOLE);
        var revision = setLevel("trace");
        assertEquals("debug", level(), "nothing reaches the site through a blackhole");
        link.mode(FaultyLink.Mode.UP);
        assertConverged("trace", revision);
    }

    @Test
    @Order(3)
    void aSlowThinFlakyLinkStillDelivers() {
        link.latency(Duration.ofMillis(150), Duration.ofMillis(150));
        link.bandwidth(32 * 1024);
        link.resets(0.05);
        var revision = setLevel("warn");
        assertConverged("warn", revision);
        link.latency(Duration.ZERO, Duration.ZERO);
        link.bandwidth(0);
        link.resets(0);
    }

    @Test
    @Order(4)
    void anAppTheEdgeCannotApplyShowsTheEdgesError() {
        central.client().resource(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal("""
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeApp
                metadata: {name: widgets, namespace: retail-eu}
                spec:
                  placement: {clusters: [hamburg]}
                  resources:
                    - apiVersion: widgets.example.com/v1
                      kind: Widget
                      metadata: {name: w1}
                """, EdgeApp.class)).create();
        var status = await().atMost(WAIT).until(() -> central.client().resources(EdgeApp.class).inNamespace(FLEET)
                .withName("widgets").get().getStatus(), s -> s != null && s.summary() != null
                        && s.summary().failed() == 1);
        var issue = status.notReady().get(0);
        assertEquals("hamburg", issue.cluster());
        assertEquals("Failed", issue.reason());
        assertTrue(issue.message().contains("Widget"), "the edge's own error: " + issue.message());
        assertEquals("True", status.conditions().stream().filter(c -> c.getType().equals("Degraded")).findFirst()
                .orElseThrow().getStatus());
    }

    @Test
    @Order(5)
    void anAppDeletedWhileTheSiteIsCutOffGoesWhenTheLinkReturns() {
        link.mode(FaultyLink.Mode.DOWN);
        central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP).delete();
        await().atMost(WAIT).until(() -> central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP)
                .get() == null);
        assertEquals("warn", level(), "still running while the site is cut off");
        link.mode(FaultyLink.Mode.UP);
        await().atMost(WAIT).until(() -> hamburg.client().configMaps().inNamespace("sensors")
                .withName("collector-config").get() == null);
        assertEquals(null, hamburg.client().apps().deployments().inNamespace("sensors").withName(APP).get());
    }

}
