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
 * its own process, and edge sites, each with its own API server, a simulated kubelet, a faulty
 * link to the hub and a real edge proxy.
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
        final SimulatedKubelet kubelet;
        final FaultyLink link;
        EdgeProxy proxy;

        Site(String name, LocalControlPlane plane, SimulatedKubelet kubelet, FaultyLink link) {
            this.name = name;
            this.plane = plane;
            this.kubelet = kubelet;
            this.link = link;
        }

        @Override
        public void close() {
            for (AutoCloseable closeable : new AutoCloseable[] {proxy, link, kubelet, plane}) {
                closeQuietly(closeable);
            }
        }
    }

    /** Starts the central part and applies manifests/examples there. */
    TestFleet(Path work, Map<String, String> operatorSettings) throws IOException {
        this.work = work;
        central = LocalControlPlane.start();
        EdgeBridgeCrds.install(central.client());
        operator = OperatorProcess.install(central, Files.createDirectories(work.resolve("operator")), operatorSettings);
        for (var file : RepoPaths.files("manifests/examples", "*.yaml")) {
            try (var in = Files.newInputStream(file)) {
                for (HasMetadata item : central.client().load(in).items()) {
                    central.client().resource(item).serverSideApply();
                }
            }
        }
        caBundle = decode(await().atMost(WAIT).until(() -> central.client().secrets()
                .inNamespace(OperatorProcess.NAMESPACE).withName("edgebridge-ca").get(), Objects::nonNull)
                .getData().get("tls.crt"));
    }

    /** Starts an edge site for the EdgeCluster {@code name}, with its devices as K3s nodes. */
    Site addSite(String name, List<String> nodes) throws IOException {
        var plane = LocalControlPlane.start();
        var site = new Site(name, plane, new SimulatedKubelet(plane.client(), nodes), new FaultyLink(operator.hubPort()));
        sites.put(name, site);
        connect(site);
        return site;
    }

    /** Starts (again) the site's edge proxy, with the state it left in its state directory. */
    void connect(Site site) {
        var token = bootstrapToken(site.name);
        var identity = NAMESPACE + "." + site.name;
        var hubUrl = "https://localhost:" + site.link.port();
        var settings = ProxySettings.defaults(identity, URI.create(hubUrl), work.resolve("sites").resolve(site.name),
                        BootstrapSource.of(identity, hubUrl, caBundle, token))
                .withTimings(Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(10),
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
        sites.values().forEach(TestFleet::closeQuietly);
        closeQuietly(operator);
        closeQuietly(central);
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
