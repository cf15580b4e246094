package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;

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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole fleet on this machine for end-to-end tests: a central API server with the operator as
 * its own process, and edge sites, each with its own API server, the components that run its
 * workloads (controller manager, scheduler, kwok as kubelet: {@link SiteWorkloads}), a faulty link
 * to the hub and a real edge proxy.
 */
final class TestFleet implements AutoCloseable {

    static final String NAMESPACE = "retail-eu";
    private static final Duration WAIT = Duration.ofSeconds(90);

    final LocalControlPlane central;
    final OperatorProcess operator;
    final Map<String, Site> sites = new LinkedHashMap<>();
    private final Path work;
    final String caBundle;
    /** How long a proxy waits for the hub; tests that blackhole links make it short. */
    Duration requestTimeout = Duration.ofSeconds(70);

    /** One edge site. */
    static final class Site implements AutoCloseable {
        final String name;
        final LocalControlPlane plane;
        final FaultyLink link;
        EdgeProxy proxy;

        Site(String name, LocalControlPlane plane, FaultyLink link) {
            this.name = name;
            this.plane = plane;
            this.link = link;
        }

        @Override
        public void close() {
            // The control plane stops the site's workload components with its API server.
            for (AutoCloseable closeable : new AutoCloseable[] {proxy, link, plane}) {
                closeQuietly(closeable);
            }
        }
    }

    /** Starts the central part and applies manifests/examples there. */
    TestFleet(Path work, Map<String, String> operatorSettings) throws IOException {
        this(work, operatorSettings, true);
    }

    /** @param applyExamples whether to apply manifests/examples (else the test does, as a user would) */
    TestFleet(Path work, Map<String, String> operatorSettings, boolean applyExamples) throws IOException {
        this.work = work;
        var started = System.nanoTime();
        central = LocalControlPlane.start();
        EdgeBridgeCrds.install(central.client());
        var centralUp = System.nanoTime();
        operator = OperatorProcess.install(central, Files.createDirectories(work.resolve("operator")), operatorSettings);
        System.out.printf("[fleet] central API server with CRDs up in %d ms, operator ready %d ms later%n",
                (centralUp - started) / 1_000_000, (System.nanoTime() - centralUp) / 1_000_000);
        if (applyExamples) {
            for (var file : RepoPaths.files("manifests/examples", "*.yaml")) {
                try (var in = Files.newInputStream(file)) {
                    for (HasMetadata item : central.client().load(in).items()) {
                        central.client().resource(item).serverSideApply();
                    }
                }
            }
        }
        caBundle = decode(await().atMost(WAIT).until(() -> central.client().secrets()
                .inNamespace(OperatorProcess.NAMESPACE).withName("edgebridge-ca").get(), Objects::nonNull)
                .getData().get("tls.crt"));
    }

    /** Starts an edge site for the EdgeCluster {@code name}, with its devices as K3s nodes, and its edge proxy. */
    Site addSite(String name, List<String> nodes) throws IOException {
        var site = startSite(name, nodes);
        connect(site);
        return site;
    }

    /** Starts an edge site without its edge proxy: an API server whose nodes run Pods, and its link. */
    Site startSite(String name, List<String> nodes) throws IOException {
        var started = System.nanoTime();
        var plane = LocalControlPlane.start();
        var site = new Site(name, plane, new FaultyLink(operator.hubPort()));
        sites.put(name, site);
        var planeUp = System.nanoTime();
        SiteWorkloads.start(plane, nodes);
        var done = System.nanoTime();
        System.out.printf("[fleet] site %s up in %d ms: API server and etcd %d ms, then controllers, scheduler, "
                + "kwok and %d node(s) ready %d ms%n", name, (done - started) / 1_000_000,
                (planeUp - started) / 1_000_000, nodes.size(), (done - planeUp) / 1_000_000);
        return site;
    }

    /** Starts (again) the site's edge proxy, with the state it left in its state directory. */
    void connect(Site site) {
        var token = bootstrapToken(site.name);
        var identity = NAMESPACE + "." + site.name;
        var hubUrl = "https://localhost:" + site.link.port();
        var settings = ProxySettings.defaults(identity, URI.create(hubUrl), work.resolve("sites").resolve(site.name),
                        BootstrapSource.of(identity, hubUrl, caBundle, token))
                .withTimings(Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(10),
                        Duration.ofSeconds(1), requestTimeout);
        site.proxy = EdgeProxy.builder(settings).kubernetes(site.plane.client()).build();
        site.proxy.start();
    }

    /** The site's one-time bootstrap token, as its registration manifest carries it. */
    String bootstrapToken(String site) {
        return decode(await().atMost(WAIT).until(() -> central.client().secrets().inNamespace(NAMESPACE)
                .withName(site + "-bootstrap-token").get(), Objects::nonNull).getData().get("token"));
    }

    @Override
    public void close() {
        var started = System.nanoTime();
        // Each site stops on its own (several seconds: its proxy, then five processes in turn).
        sites.values().parallelStream().forEach(TestFleet::closeQuietly);
        var sitesDown = System.nanoTime();
        closeQuietly(operator);
        var operatorDown = System.nanoTime();
        closeQuietly(central);
        System.out.printf("[fleet] stopped in %d ms: %d site(s) %d ms, operator %d ms, central %d ms%n",
                (System.nanoTime() - started) / 1_000_000, sites.size(), (sitesDown - started) / 1_000_000,
                (operatorDown - sitesDown) / 1_000_000, (System.nanoTime() - operatorDown) / 1_000_000);
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // keep closing the rest
        }
    }
}
