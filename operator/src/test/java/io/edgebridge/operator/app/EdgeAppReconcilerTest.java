package io.edgebridge.operator.app;

import static io.edgebridge.operator.FleetFixture.failed;
import static io.edgebridge.operator.FleetFixture.ready;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
import io.edgebridge.operator.FleetFixture;
import io.edgebridge.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The EdgeApp reconciler against a mock API server, with the hub's reports played by the test. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class EdgeAppReconcilerTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    FleetFixture fleet;

    @BeforeEach
    void setUp() {
        fleet = new FleetFixture(client);
    }

    EdgeAppStatus awaitStatus(String namespace, String app, java.util.function.Predicate<EdgeAppStatus> until) {
        return await().atMost(WAIT).until(() -> fleet.app(namespace, app).getStatus(),
                status -> status != null && until.test(status));
    }

    static String condition(EdgeAppStatus status, String type) {
        return Conditions.find(status.conditions(), type).map(c -> c.getStatus() + "/" + c.getReason()).orElse("-");
    }

    @Test
    void theExampleFleetRollsOutThroughTwoWavesWhileOneSiteIsOffline() {
        var ns = "retail-eu";
        fleet.applyExamples("00", "10", "20");
        // Hamburg (canary) is online; Munich (stores) has never connected.
        fleet.report(ns, "hamburg", Instant.now(), List.of(), List.of());
        await().atMost(WAIT).until(() -> Conditions.isTrue(fleet.cluster(ns, "hamburg").getStatus().conditions(),
                "Connected"));
        fleet.applyExamples("30");

        var first = awaitStatus(ns, "sensor-collector", s -> s.rollout() != null
                && s.rollout().waves().get(0).released() == 1 && s.summary().offline() == 1);
        var revision = first.revision();
        assertEquals("canary", first.rollout().waves().get(0).name());
        assertEquals(0, first.rollout().waves().get(1).released(), "stores wait for the canary");
        assertEquals("True/RolloutInProgress", condition(first, "Progressing"));

        fleet.report(ns, "hamburg", Instant.now(), List.of(ready("sensor-collector", revision)), List.of());
        var done = awaitStatus(ns, "sensor-collector", s -> s.phase() == EdgeAppStatus.Phase.Available);
        assertEquals(1, done.rollout().waves().get(1).released(), "the offline site is released for its return");
        assertEquals("1/2", done.display().ready());
        assertEquals(1, done.summary().offline());
        assertEquals("True/ClustersReady", condition(done, "Available"));
        assertEquals("False/RolloutComplete", condition(done, "Progressing"));
        assertEquals("munich", done.notReady().get(0).cluster());
        assertEquals("Offline", done.notReady().get(0).reason());

        // Munich returns and catches up.
        fleet.report(ns, "munich", Instant.now(), List.of(ready("sensor-collector", revision)), List.of());
        var caughtUp = awaitStatus(ns, "sensor-collector", s -> s.summary().ready() == 2);
        assertEquals(0, caughtUp.summary().offline());
        assertEquals(List.of(), caughtUp.notReady());
        assertEquals(1L, caughtUp.observedGeneration());
    }

    @Test
    void aSpecChangeIsANewRevisionKeptInAControllerRevision() {
        fleet.apply(fleetYaml("rev", 1) + app("rev", "web", "nginx:1.27", "maxUnavailable: 1"));
        fleet.report("rev", "site-0", Instant.now(), List.of(), List.of());
        var first = awaitStatus("rev", "web", s -> s.rollout() != null);
        fleet.report("rev", "site-0", Instant.now(), List.of(ready("web", first.revision())), List.of());
        awaitStatus("rev", "web", s -> s.phase() == EdgeAppStatus.Phase.Available);

        client.resources(EdgeApp.class).inNamespace("rev").withName("web").edit(app -> {
            app.getMetadata().setGeneration(2L);
            var resources = app.getSpec().resources();
            ((java.util.Map<String, Object>) ((java.util.List<?>) ((java.util.Map<String, Object>)
                    ((java.util.Map<String, Object>) ((java.util.Map<String, Object>) resources.get(0)
                            .getAdditionalProperties().get("spec")).get("template")).get("spec")).get("containers"))
                    .get(0)).put("image", "nginx:1.28");
            return app;
        });
        var second = awaitStatus("rev", "web", s -> !first.revision().equals(s.revision()));
        assertEquals(first.revision(), second.rollout().previousRevision());
        assertEquals("True/RolloutInProgress", condition(second, "Progressing"));
        await().atMost(WAIT).untilAsserted(() -> {
            var revisions = client.resources(ControllerRevision.class).inNamespace("rev").list().getItems();
            assertEquals(2, revisions.size());
            for (var revision : revisions) {
                assertEquals("web", revision.getMetadata().getOwnerReferences().get(0).getName(),
                        "revisions go with their app");
            }
        });
    }

    @Test
    void failuresOverTheBudgetHaltTheRolloutAndDegradeTheApp() {
        fleet.apply(fleetYaml("fail", 3));
        for (int i = 0; i < 3; i++) {
            fleet.report("fail", "site-" + i, Instant.now(), List.of(), List.of());
        }
        for (int i = 0; i < 3; i++) {
            var site = "site-" + i;
            await().atMost(WAIT).until(() -> Conditions.isTrue(fleet.cluster("fail", site).getStatus().conditions(),
                    "Connected"));
        }
        fleet.apply(app("fail", "web", "nginx:1.27", """
                strategy: Waves
                    waves: [{name: all-sites, clusterSelector: {}}]
                    maxUnavailable: 1"""));
        var first = awaitStatus("fail", "web", s -> s.rollout() != null && s.rollout().waves().get(0).released() == 1
                && s.summary().offline() == 0);
        var released = first.rollout().waves().get(0).releasedUpTo();
        var victim = List.of("site-0", "site-1", "site-2").stream()
                .filter(c -> io.edgebridge.operator.plan.TargetCluster.orderKeyOf(c).equals(released))
                .findFirst().orElseThrow();
        fleet.report("fail", victim, Instant.now(), List.of(failed("web", first.revision(),
                "ImagePullBackOff: nginx:1.27 not found")), List.of());

        var degraded = awaitStatus("fail", "web", s -> s.phase() == EdgeAppStatus.Phase.Degraded);
        assertEquals("True/FailureBudgetExceeded", condition(degraded, "Degraded"));
        assertEquals("False/RolloutHalted", condition(degraded, "Progressing"));
        assertTrue(Conditions.find(degraded.conditions(), "Degraded").orElseThrow().getMessage()
                .contains(victim + "; first error: ImagePullBackOff"));
        assertEquals(1, degraded.rollout().waves().get(0).released(), "no further cluster gets the failing revision");
        assertEquals("Failed", degraded.notReady().get(0).reason());
    }

    @Test
    void anOverrideThatBreaksTheAppIsReportedNotRetried() {
        fleet.apply(fleetYaml("bad", 1) + app("bad", "web", "nginx:1.27", "maxUnavailable: 1").replace(
                "  rollout:", "  overrides: [{clusterSelector: {matchLabels: {fleet: bad}}, "
                        + "replicas: [{name: webserver, count: 2}]}]\n  rollout:"));
        var status = awaitStatus("bad", "web", s -> s.phase() == EdgeAppStatus.Phase.Degraded);
        assertEquals("True/InvalidSpec", condition(status, "Degraded"));
        var message = Conditions.find(status.conditions(), "Degraded").orElseThrow().getMessage();
        assertTrue(message.contains("overrides[0].replicas: the app has no Deployment, StatefulSet or ReplicaSet "
                + "named webserver"), message);
        assertEquals(null, status.rollout(), "nothing is released");
        await().atMost(WAIT).untilAsserted(() -> assertTrue(client.v1().events().inNamespace("bad").list().getItems()
                .stream().anyMatch(e -> "InvalidSpec".equals(e.getReason()) && "web".equals(e.getInvolvedObject()
                        .getName()))));
    }

    @Test
    void anAppTooLargeToShipIsRefusedWithWhatToDo() {
        // Passes the API server (its request limit is 3 MiB, etcd's 1.5 MiB), but not the hub's 1 MiB limit.
        var blob = "x".repeat(1024 * 1024);
        fleet.apply(fleetYaml("big", 1) + """
                ---
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeApp
                metadata: {name: maps, namespace: big, generation: 1}
                spec:
                  placement:
                    clusterSelector: {matchLabels: {fleet: big}}
                  resources:
                    - apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: firmware}
                      data: {image.bin: "%s"}
                """.formatted(blob));
        var status = awaitStatus("big", "maps", s -> s.phase() == EdgeAppStatus.Phase.Degraded);
        assertEquals("True/InvalidSpec", condition(status, "Degraded"));
        var message = Conditions.find(status.conditions(), "Degraded").orElseThrow().getMessage();
        assertTrue(message.matches("(?s).*the app renders to 1,048,[0-9]{3} bytes, more than the 1,048,576 bytes that "
                + "are shipped to an edge site \\(edgebridge.operator.max-bundle-bytes\\): split it into smaller "
                + "EdgeApps.*"), message);
        assertEquals(null, status.rollout(), "nothing is released");
        assertEquals(List.of(), client.resources(ControllerRevision.class).inNamespace("big").list().getItems(),
                "no revision is kept for what cannot be shipped");
        await().atMost(WAIT).untilAsserted(() -> assertTrue(client.v1().events().inNamespace("big").list().getItems()
                .stream().anyMatch(e -> "InvalidSpec".equals(e.getReason()) && e.getMessage().contains("renders to"))));
    }

    @Test
    void aSelectorMatchingNothingSaysSo() {
        fleet.apply(fleetYaml("none", 1) + app("none", "web", "nginx:1.27", "maxUnavailable: 1")
                .replace("clusterSelector: {matchLabels: {fleet: none}}", "clusterSelector: {matchLabels: {fleet: typo}}"));
        var status = awaitStatus("none", "web", s -> s.phase() == EdgeAppStatus.Phase.Pending);
        assertEquals("False/NoTargets", condition(status, "Available"));
        assertEquals("0/0", status.display().ready());
        assertNotNull(status.revision());
        assertNotEquals("", Conditions.find(status.conditions(), "Available").orElseThrow().getMessage());
        await().atMost(WAIT).untilAsserted(() -> assertTrue(client.v1().events().inNamespace("none").list().getItems()
                .stream().anyMatch(e -> "NoTargets".equals(e.getReason()))));
    }

    static String fleetYaml(String namespace, int clusters) {
        var yaml = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + namespace + "}\n");
        for (int i = 0; i < clusters; i++) {
            yaml.append("""
                    ---
                    apiVersion: edgebridge.io/v1alpha1
                    kind: EdgeCluster
                    metadata: {name: site-%d, namespace: %s, labels: {fleet: %s}}
                    spec:
                      nodeSelector: {matchLabels: {site: site-%d}}
                    """.formatted(i, namespace, namespace, i));
        }
        return yaml.toString();
    }

    static String app(String namespace, String name, String image, String rollout) {
        return """
                ---
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeApp
                metadata: {name: %s, namespace: %s, generation: 1}
                spec:
                  placement:
                    clusterSelector: {matchLabels: {fleet: %s}}
                  resources:
                    - apiVersion: apps/v1
                      kind: Deployment
                      metadata: {name: web}
                      spec:
                        template:
                          spec:
                            containers: [{name: web, image: "%s"}]
                  rollout:
                    %s
                """.formatted(name, namespace, namespace, image, rollout);
    }
}
