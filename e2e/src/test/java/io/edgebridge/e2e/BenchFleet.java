package io.edgebridge.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end harness as benchmarks in other packages use it: the central control plane with
 * the operator as its own process and manifests/examples applied ({@link TestFleet}), and bare
 * edge sites (an API server with the workload controllers and kwok, no in-JVM proxy) for a benchmark to run a
 * real edge-proxy process against.
 */
public final class BenchFleet implements AutoCloseable {

    private final TestFleet fleet;

    private BenchFleet(TestFleet fleet) {
        this.fleet = fleet;
    }

    /** Starts the central control plane and the operator, and applies manifests/examples. */
    public static BenchFleet start(Path work) throws IOException {
        return new BenchFleet(new TestFleet(work, Map.of()));
    }

    /** The repository's root folder (from the {@code basedir} system property: the e2e module). */
    public static Path repositoryRoot() {
        return RepoPaths.root();
    }

    /** Starts edge site {@code name} (API server, controllers, scheduler, kwok); no proxy runs for it yet. */
    public void addBareSite(String name, List<String> nodes) throws IOException {
        fleet.startSite(name, nodes);
    }

    /** A cluster-admin kubeconfig for the site's API server, as the proxy's ServiceAccount would have. */
    public Path siteKubeconfig(String site) throws IOException {
        return fleet.sites.get(site).plane.writeKubeconfig();
    }

    /**
     * What a pod's ServiceAccount gives the proxy's Kubernetes client: the site API server's URL,
     * the CA file that signs its certificate, and a bearer token (here a cluster admin's).
     */
    public record SiteAccess(String serverUrl, String caCertFile, String token) {
    }

    public SiteAccess siteAccess(String site) {
        var config = site(site).getConfiguration();
        var token = config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
        return new SiteAccess(config.getMasterUrl(), config.getCaCertFile(), token);
    }

    public KubernetesClient site(String site) {
        return fleet.sites.get(site).plane.client();
    }

    public KubernetesClient central() {
        return fleet.central.client();
    }

    /** The hub's address, reached directly (no faulty link). */
    public String hubUrl() {
        return fleet.operator.hubUrl();
    }

    /** PEM of the CA that signs the hub's certificate. */
    public String caBundle() {
        return fleet.caBundle;
    }

    /** {@code <namespace>.<name>} of the site's EdgeCluster, as the registration manifest names it. */
    public String identity(String site) {
        return TestFleet.NAMESPACE + "." + site;
    }

    public String namespace() {
        return TestFleet.NAMESPACE;
    }

    /** The site's one-time bootstrap token, waiting until the operator made it. */
    public String bootstrapToken(String site) {
        return fleet.bootstrapToken(site);
    }

    public String operatorLogTail(int lines) {
        return fleet.operator.logTail(lines);
    }

    @Override
    public void close() {
        fleet.close();
    }
}
