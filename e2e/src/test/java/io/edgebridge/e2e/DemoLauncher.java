package io.edgebridge.e2e;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.proxy.EdgeProxy;
import io.edgebridge.proxy.config.BootstrapSource;
import io.edgebridge.proxy.config.ProxySettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code make run} without a cluster: a central control plane with the operator, and one
 * simulated EVE site per example EdgeCluster (its own API server, a simulated kubelet, and a real
 * edge proxy), fed with manifests/examples. Prints progress until the fleet is ready, then how to
 * try it; Ctrl-C stops everything.
 */
public final class DemoLauncher {

    private static final Path HOME = RepoPaths.root().resolve(".cache/demo");
    private static final Path LINKS = HOME.resolve("links");
    private static final String FLEET = "retail-eu";

    private final Map<String, Site> sites = new LinkedHashMap<>();
    private LocalControlPlane central;
    private OperatorProcess operator;
    private String caBundle;
    private final Instant started = Instant.now();

    /** One simulated edge site: API server, kubelet stand-in, edge proxy (null while its link is down). */
    private static final class Site {
        LocalControlPlane plane;
        SimulatedKubelet kubelet;
        EdgeProxy proxy;
        String token;
    }

    public static void main(String[] args) throws Exception {
        var demo = new DemoLauncher();
        var stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("Stopping the demo ...");
            demo.close();
            stop.countDown();
        }, "demo-shutdown"));
        demo.run();
        stop.await();
    }

    private void run() throws Exception {
        deleteTree(HOME);
        Files.createDirectories(LINKS);
        say("EdgeBridge demo: a central control plane, the operator, and simulated EVE sites on this machine.");
        say("Starting the central control plane (kube-apiserver + etcd) ...");
        central = LocalControlPlane.start();
        EdgeBridgeCrds.install(central.client());
        say("Starting the operator (its own process, with the RBAC of manifests/install) ...");
        operator = OperatorProcess.install(central, Files.createDirectories(HOME.resolve("operator")));
        say("Applying manifests/examples: 3 EVE devices, 2 clusters (hamburg, munich), app sensor-collector ...");
        for (var file : RepoPaths.files("manifests/examples", "*.yaml")) {
            try (var in = Files.newInputStream(file)) {
                for (HasMetadata item : central.client().load(in).items()) {
                    central.client().resource(item).serverSideApply();
                }
            }
        }
        caBundle = decode(central.client().secrets().inNamespace(OperatorProcess.NAMESPACE).withName("edgebridge-ca")
                .get().getData().get("tls.crt"));
        for (var cluster : awaitProvisioned()) {
            startSite(cluster);
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
        while (true) {
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

    private void startSite(EdgeCluster cluster) throws IOException {
        var name = cluster.getMetadata().getName();
        say("Starting simulated site " + name + " (its own API server, a simulated kubelet, an edge proxy) ...");
        var site = new Site();
        site.plane = LocalControlPlane.start();
        site.kubelet = new SimulatedKubelet(site.plane.client(),
                cluster.getStatus().nodes().stream().map(n -> n.name()).toList());
        site.token = decode(central.client().secrets().inNamespace(FLEET).withName(name + "-bootstrap-token").get()
                .getData().get("token"));
        sites.put(name, site);
        connect(name);
    }

    private void connect(String name) {
        var site = sites.get(name);
        var identity = FLEET + "." + name;
        var settings = ProxySettings.defaults(identity, URI.create(operator.hubUrl()),
                        HOME.resolve("sites").resolve(name), BootstrapSource.of(identity, operator.hubUrl(), caBundle,
                                site.token))
                .withTimings(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30),
                        Duration.ofSeconds(2), Duration.ofSeconds(70));
        site.proxy = EdgeProxy.builder(settings).kubernetes(site.plane.client()).build();
        site.proxy.start();
    }

    /** A file {@code <site>.down} in the links folder takes that site's link down; removing it brings it back. */
    private void flipLinks() {
        for (var entry : sites.entrySet()) {
            boolean down = Files.exists(LINKS.resolve(entry.getKey() + ".down"));
            var site = entry.getValue();
            if (down && site.proxy != null) {
                say("Link of " + entry.getKey() + " is DOWN: its edge proxy keeps enforcing what it has.");
                site.proxy.close();
                site.proxy = null;
            } else if (!down && site.proxy == null) {
                say("Link of " + entry.getKey() + " is UP again.");
                connect(entry.getKey());
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
        for (var site : sites.values()) {
            if (site.proxy != null) {
                site.proxy.close();
            }
            site.kubelet.close();
            site.plane.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (central != null) {
            central.close();
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
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
