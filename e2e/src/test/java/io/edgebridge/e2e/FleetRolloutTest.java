package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
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
 * The example fleet, two sites, as a platform team would try it: {@code kubectl apply -f
 * manifests/examples/} brings every site's app up (really: the sites' controllers, schedulers and
 * kubelets run it) and kubectl shows it ready, a new
 * version goes through the waves while one site is cut off (which catches up when it returns),
 * a rollback goes the same way, and an operator killed mid-rollout resumes where it was.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetRolloutTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final String APP = "sensor-collector";
    static final String IMAGE_PATH = "/spec/resources/1/spec/template/spec/containers/0/image";

    @TempDir
    static Path work;

    static TestFleet fleet;
    static Path kubeconfig;

    @BeforeAll
    static void startFleet() throws Exception {
        // Nothing applied yet: the first test does, with kubectl. The sites wait for their clusters.
        fleet = new TestFleet(work, Map.of(), false);
        fleet.startSite("hamburg", List.of("hamburg-01"));
        fleet.startSite("munich", List.of("munich-01", "munich-02"));
        kubeconfig = fleet.central.writeKubeconfig();
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static EdgeAppStatus status() {
        var app = fleet.central.client().resources(EdgeApp.class).inNamespace(TestFleet.NAMESPACE).withName(APP).get();
        return app == null ? null : app.getStatus();
    }

    static String imageOn(String site) {
        var deployment = fleet.sites.get(site).plane.client().apps().deployments().inNamespace("sensors")
                .withName(APP).get();
        return deployment == null ? null : deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage();
    }

    static String kubectl(String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    static String setImage(String image) throws Exception {
        var before = status().revision();
        kubectl("-n", TestFleet.NAMESPACE, "patch", "edgeapp", APP, "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"" + IMAGE_PATH + "\",\"value\":\"" + image + "\"}]");
        return await().atMost(WAIT).until(() -> status().revision(), r -> !Objects.equals(r, before));
    }

    @Test
    @Order(1)
    void kubectlApplyOfTheExamplesBringsTheFleetUp() throws Exception {
        var applied = kubectl("apply", "-f", RepoPaths.root().resolve("manifests/examples") + "/");
        for (var object : List.of("namespace/retail-eu", "edgenode.edgebridge.io/munich-02",
                "edgecluster.edgebridge.io/hamburg", "edgeapp.edgebridge.io/sensor-collector")) {
            assertTrue(applied.contains(object + " created"), applied);
        }
        // Each site's edge proxy enrols with the one-time token the operator made for its cluster.
        fleet.sites.values().forEach(fleet::connect);

        kubectl("-n", TestFleet.NAMESPACE, "wait", "--for=condition=Available", "edgeapp/" + APP, "--timeout=120s");
        // Available allows maxUnavailable (25%, so one of two) sites to lag; the READY column waits for both.
        kubectl("-n", TestFleet.NAMESPACE, "wait", "--for=jsonpath={.status.display.ready}=2/2", "edgeapp/" + APP,
                "--timeout=120s");
        // The cluster's phase follows the apps its proxy reported, written by the hub and then folded in by the
        // cluster reconciler: it may turn Ready a moment after the app does.
        kubectl("-n", TestFleet.NAMESPACE, "wait", "--for=jsonpath={.status.phase}=Ready", "edgecluster/munich",
                "--timeout=60s");
        var table = kubectl("get", "edge", "-n", TestFleet.NAMESPACE);
        assertTrue(table.lines().anyMatch(l -> l.contains("edgeapp.edgebridge.io/" + APP) && l.contains("2/2")
                && l.contains("Available")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("edgecluster.edgebridge.io/munich") && l.contains("2/2")
                && l.contains("Ready")), table);
        assertEquals("ghcr.io/edgebridge/sensor-collector:1.4.2", imageOn("munich"));

        // Really running there: the site's scheduler placed the Pods on its nodes, its kubelet runs them.
        var pods = fleet.sites.get("munich").plane.client().pods().inNamespace("sensors").list().getItems();
        assertEquals(2, pods.size(), "munich's override asks for two replicas");
        for (var pod : pods) {
            assertEquals("Running", pod.getStatus().getPhase());
            assertTrue(List.of("munich-01", "munich-02").contains(pod.getSpec().getNodeName()), pod.getSpec().getNodeName());
            assertEquals("muc-0042", pod.getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("STORE_ID")).findFirst().orElseThrow().getValue());
        }
    }

    @Test
    @Order(2)
    void aNewVersionGoesThroughTheWavesWhileASiteIsCutOff() throws Exception {
        var munich = fleet.sites.get("munich");
        munich.link.mode(FaultyLink.Mode.DOWN);
        var revision = setImage("ghcr.io/edgebridge/sensor-collector:1.5.0");
        await().atMost(WAIT).until(() -> "ghcr.io/edgebridge/sensor-collector:1.5.0".equals(imageOn("hamburg")));
        var waves = await().atMost(WAIT).until(FleetRolloutTest::status, s -> revision.equals(s.revision())
                && s.rollout().waves().get(1).released() == 1);
        assertEquals("ghcr.io/edgebridge/sensor-collector:1.4.2", imageOn("munich"), "cut off: still the old one");

        munich.link.mode(FaultyLink.Mode.UP);
        await().atMost(WAIT).until(() -> "ghcr.io/edgebridge/sensor-collector:1.5.0".equals(imageOn("munich")));
        var done = await().atMost(WAIT).until(FleetRolloutTest::status, s -> s.summary().updated() == 2
                && s.summary().ready() == 2 && s.phase() == EdgeAppStatus.Phase.Available);
        assertEquals(revision, done.revision());
        assertTrue(waves.rollout().waves().get(0).name().equals("canary"));
    }

    @Test
    @Order(3)
    void anOperatorKilledMidRolloutResumesWhereItWas() throws Exception {
        // A pause between the waves keeps the rollout half done long enough to kill the operator.
        kubectl("-n", TestFleet.NAMESPACE, "patch", "edgeapp", APP, "--type=merge", "-p",
                "{\"spec\":{\"rollout\":{\"pauseBetweenWaves\":\"15s\"}}}");
        var revision = setImage("ghcr.io/edgebridge/sensor-collector:1.4.2");
        await().atMost(WAIT).until(() -> "ghcr.io/edgebridge/sensor-collector:1.4.2".equals(imageOn("hamburg")));
        await().atMost(WAIT).until(FleetRolloutTest::status, s -> s.rollout().nextWaveAt() != null);
        fleet.operator.stop();
        assertEquals("ghcr.io/edgebridge/sensor-collector:1.5.0", imageOn("munich"), "the stores wave has not begun");

        fleet.operator.start();
        await().atMost(WAIT).until(() -> "ghcr.io/edgebridge/sensor-collector:1.4.2".equals(imageOn("munich")));
        var done = await().atMost(WAIT).until(FleetRolloutTest::status, s -> revision.equals(s.revision())
                && s.phase() == EdgeAppStatus.Phase.Available && s.summary().updated() == 2);
        assertEquals(2, done.summary().ready());
    }
}
