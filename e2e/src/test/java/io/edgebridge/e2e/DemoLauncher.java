package io.edgebridge.e2e;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code make run} without a cluster: a central control plane with the operator, and one
 * simulated EVE site per example EdgeCluster (its own API server, controller manager, scheduler
 * and kwok as the kubelet of its nodes, and a real edge proxy), fed with manifests/examples.
 * Prints progress until the fleet is ready, then how to try it; Ctrl-C stops everything.
 */
public final class DemoLauncher {

    private static final Path HOME = RepoPaths.root().resolve(".cache/demo");
    private static final Path LINKS = HOME.resolve("links");
    private static final String FLEET = "retail-eu";

    private TestFleet fleet;
    private LocalControlPlane central;
    private final Map<String, Boolean> linkDown = new LinkedHashMap<>();
    private final Instant started = Instant.now();
    private volatile boolean stopping;

    public static void main(String[] args) throws Exception {
        QuietLogging.atInfo();
        var demo = new DemoLauncher();
        var stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("Stopping the demo ...");
            demo.stopping = true;
            demo.close();
            stop.countDown();
        }, "demo-shutdown"));
        try {
            demo.run();
        } catch (RuntimeException e) {
            if (!demo.stopping) {
                throw e;
            }
        }
        stop.await();
    }

    private void run() throws Exception {
        deleteTree(HOME);
        Files.createDirectories(LINKS);
        say("EdgeBridge demo: a central control plane, the operator, and simulated EVE sites on this machine.");
        say("Starting the central control plane (kube-apiserver + etcd) and the operator (its own process, with");
        say("the RBAC of manifests/install), then applying manifests/examples: 3 EVE devices, 2 clusters");
        say("(hamburg, munich) and the app sensor-collector ...");
        fleet = new TestFleet(HOME, Map.of());
        central = fleet.central;
        for (var cluster : awaitProvisioned()) {
            var name = cluster.getMetadata().getName();
            say("Starting simulated site " + name + " (API server, controller manager, scheduler, kwok as kubelet, a link, an edge proxy) ...");
            fleet.addSite(name, cluster.getStatus().nodes().stream().map(n -> n.name()).toList());
            linkDown.put(name, false);
        }
        var kubeconfig = Files.copy(central.writeKubeconfig(), HOME.resolve("kubeconfig"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        watchProgressUntilReady();
        say("");
        say("The fleet is ready. Try it (in another terminal):");
        say("  export KUBECONFIG=" + kubeconfig);
        say("  kubectl get edge -n " + FLEET);
        say("  kubectl describe edgeapp sensor-collector -n " + FLEET);
        say("  # take munich's link down, and bring it back:");
        say("  touch " + LINKS.resolve("munich.down") + "   # then: rm " + LINKS.resolve("munich.down"));
        say("  # roll out a new version, wave by wave (canary: hamburg, then the stores):");
        say("  kubectl -n " + FLEET + " patch edgeapp sensor-collector --type=json -p "
                + "'[{\"op\":\"replace\",\"path\":\"/spec/resources/1/spec/template/spec/containers/0/image\","
                + "\"value\":\"ghcr.io/edgebridge/sensor-collector:1.5.0\"}]'");
        say("Progress keeps showing here; Ctrl-C stops everything.");
        while (!stopping) {
            flipLinks();
            printProgress(false);
            Thread.sleep(1000);
        }
    }

    private List<EdgeCluster> awaitProvisioned() throws InterruptedException {
        while (true) {
            var clusters = central.client().resources(EdgeCluster.class).inNamespace(FLEET).list().getItems();
            if (!clusters.isEmpty() && clusters.stream().allMatch(c -> c.getStatus() != null
                    && c.getStatus().nodes() != null && !c.getStatus().nodes().isEmpty())) {
                clusters.sort(Comparator.comparing(c -> c.getMetadata().getName()));
                return clusters;
            }
            Thread.sleep(500);
        }
    }

    /** A file {@code <site>.down} in the links folder takes that site's link down; removing it brings it back. */
    private void flipLinks() {
        for (var entry : fleet.sites.entrySet()) {
            boolean down = Files.exists(LINKS.resolve(entry.getKey() + ".down"));
            if (down != linkDown.get(entry.getKey())) {
                linkDown.put(entry.getKey(), down);
                entry.getValue().link.mode(down ? FaultyLink.Mode.DOWN : FaultyLink.Mode.UP);
                say(down ? "Link of " + entry.getKey() + " is DOWN: its edge proxy keeps enforcing what it has."
                        : "Link of " + entry.getKey() + " is UP again.");
            }
        }
    }

    private void watchProgressUntilReady() throws InterruptedException {
        while (!printProgress(true)) {
            Thread.sleep(1000);
        }
    }

    private String lastLine = "";

    /** Prints a progress line when it changed; true once every site is connected and the app is available. */
    private boolean printProgress(boolean untilReady) {
        var clusters = central.client().resources(EdgeCluster.class).inNamespace(FLEET).list().getItems();
        var app = central.client().resources(EdgeApp.class).inNamespace(FLEET).withName("sensor-collector").get();
        var connected = clusters.stream().filter(c -> c.getStatus() != null && c.getStatus().conditions() != null
                && c.getStatus().conditions().stream().anyMatch(k -> k.getType().equals("Connected")
                        && k.getStatus().equals("True"))).count();
        var siteStates = clusters.stream().map(c -> c.getMetadata().getName() + " "
                        + (c.getStatus() == null ? "?" : c.getStatus().phase()))
                .collect(Collectors.joining(", "));
        String appLine = "sensor-collector: not yet planned";
        boolean available = false;
        if (app != null && app.getStatus() != null && app.getStatus().summary() != null) {
            var status = app.getStatus();
            var waves = status.rollout() == null ? "" : status.rollout().waves().stream()
                    .map(w -> w.name() + " " + w.ready() + "/" + w.targeted()).collect(Collectors.joining(", "));
            appLine = "sensor-collector " + status.phase() + " ready " + status.display().ready() + " (revision "
                    + status.revision() + "; waves: " + waves + ")";
            available = status.phase() == io.edgebridge.api.v1alpha1.EdgeAppStatus.Phase.Available;
        }
        var line = "sites connected " + connected + "/" + clusters.size() + " [" + siteStates + "] | " + appLine;
        if (!line.equals(lastLine)) {
            say(String.format("[%4ds] %s", Duration.between(started, Instant.now()).toSeconds(), line));
            lastLine = line;
        }
        return connected == clusters.size() && available;
    }

    private void close() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.toList());
            all.sort(Comparator.reverseOrder());
            for (var path : all) {
                Files.deleteIfExists(path);
            }
        }
    }
}
