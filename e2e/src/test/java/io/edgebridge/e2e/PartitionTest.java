package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
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
 * Sites behind links that fail the ways edge links fail: cut (resets), blackholed (half-open,
 * bytes vanish), and slow, thin and flaky all at once; one site at a time, and two at once. Desired
 * state changes while the links are bad; once they heal every site converges and its status is
 * right.
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
    static TestFleet.Site munich;

    @BeforeAll
    static void startFleet() throws Exception {
        // A short long-poll and request timeout, so a request that vanished in a blackhole is retried soon.
        fleet = new TestFleet(work, Map.of("EDGEBRIDGE_HUB_LONG_POLL", "4s"));
        fleet.requestTimeout = Duration.ofSeconds(8);
        var site = fleet.addSite("hamburg", List.of("hamburg-01"));
        munich = fleet.addSite("munich", List.of("munich-01", "munich-02"));
        central = fleet.central;
        hamburg = site.plane;
        link = site.link;
        await().atMost(WAIT).until(() -> level().equals("info") && level(munich.plane).equals("info"));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** The collector's log level on the edge, as applied there. */
    static String level() {
        return level(hamburg);
    }

    static String level(LocalControlPlane site) {
        var config = site.client().configMaps().inNamespace("sensors").withName("collector-config").get();
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
        assertConverged("hamburg", hamburg, level, revision);
    }

    static void assertConverged(String name, LocalControlPlane site, String level, String revision) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(level, level(site)));
        await().atMost(WAIT).untilAsserted(() -> {
            var apps = central.client().resources(EdgeCluster.class).inNamespace(FLEET).withName(name).get()
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

    /** The collector's Deployment on a site: its generation and the Pods running it. */
    static String workload(LocalControlPlane site) {
        var deployment = site.client().apps().deployments().inNamespace("sensors").withName(APP).get();
        var pods = site.client().pods().inNamespace("sensors").list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
        return "generation " + deployment.getMetadata().getGeneration() + ", pods " + pods;
    }

    @Test
    @Order(4)
    void twoSitesCutOffAtOnceBothConvergeAndNothingIsLost() {
        await().atMost(WAIT).until(() -> level(munich.plane).equals("warn"));
        var hamburgWorkload = workload(hamburg);
        var munichWorkload = workload(munich.plane);
        link.mode(FaultyLink.Mode.BLACKHOLE);
        munich.link.mode(FaultyLink.Mode.DOWN);

        setLevel("error");
        var revision = setLevel("fatal"); // changed twice while cut off: only the latest matters
        assertEquals("warn", level(), "hamburg keeps what it has");
        assertEquals("warn", level(munich.plane), "munich keeps what it has");
        // Meanwhile munich's status changes too: a device joins its K3s cluster while nobody can hear.
        munich.plane.client().nodes().resource(SiteWorkloads.node("munich-03")).create();
        await().atMost(WAIT).until(() -> SiteWorkloads.schedulable(munich.plane.client().nodes()
                .withName("munich-03").get()));

        link.mode(FaultyLink.Mode.UP);
        munich.link.mode(FaultyLink.Mode.UP);
        assertConverged("hamburg", hamburg, "fatal", revision);
        assertConverged("munich", munich.plane, "fatal", revision);
        var status = await().atMost(WAIT).until(() -> appStatus(), s -> revision.equals(s.revision())
                && s.summary().updated() == 2 && s.summary().ready() == 2 && s.summary().offline() == 0);
        assertEquals(EdgeAppStatus.Phase.Available, status.phase());
        await().atMost(WAIT).untilAsserted(() -> assertTrue(central.client().resources(EdgeCluster.class)
                .inNamespace(FLEET).withName("munich").get().getStatus().reportedNodes().stream()
                .anyMatch(n -> n.name().equals("munich-03") && Boolean.TRUE.equals(n.ready())),
                "what changed at munich while it was cut off is reported once it is back"));
        // Only the configuration changed: the workloads were not rolled or restarted by re-applies.
        assertEquals(hamburgWorkload, workload(hamburg));
        assertEquals(munichWorkload, workload(munich.plane));
    }

    static EdgeAppStatus appStatus() {
        return central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP).get().getStatus();
    }

    @Test
    @Order(5)
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
    @Order(6)
    void anAppDeletedWhileTheSiteIsCutOffGoesWhenTheLinkReturns() {
        link.mode(FaultyLink.Mode.DOWN);
        central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP).delete();
        await().atMost(WAIT).until(() -> central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(APP)
                .get() == null);
        assertEquals("fatal", level(), "still running while the site is cut off");
        link.mode(FaultyLink.Mode.UP);
        // The proxy deletes the app's objects one after another (the ConfigMap before the Deployment).
        await().atMost(WAIT).until(() -> hamburg.client().configMaps().inNamespace("sensors")
                .withName("collector-config").get() == null
                && hamburg.client().apps().deployments().inNamespace("sensors").withName(APP).get() == null);
    }

}
