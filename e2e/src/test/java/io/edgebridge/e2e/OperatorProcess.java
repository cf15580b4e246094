package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The operator as it runs in production: its own process (the packaged Quarkus app), talking to a
 * real API server as the ServiceAccount of manifests/install, with exactly that RBAC, so a missing
 * permission fails the test.
 */
final class OperatorProcess implements AutoCloseable {

    static final String NAMESPACE = "edgebridge-system";
    /** A setting that is not handed to the operator: its maximum heap (a -Xmx value), 512m by default. */
    static final String MAX_HEAP = "test.max-heap";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** A busy operator answers late; one that never answers must not hang a benchmark's wait. */
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(10);

    private final Path workDir;
    private final Path kubeconfig;
    private final int httpPort;
    private final int hubPort;
    private Map<String, String> settings;
    /** Where the operator runs when not on this machine's loopback: the fleet benchmark's namespace. */
    private HubNetwork network;
    private LoggedProcess process;
    private String lastLog = "";
    private final HttpClient http = HttpClient.newHttpClient();
    private int starts;

    private OperatorProcess(Path workDir, Path kubeconfig, int httpPort, int hubPort, Map<String, String> settings) {
        this.workDir = workDir;
        this.kubeconfig = kubeconfig;
        this.httpPort = httpPort;
        this.hubPort = hubPort;
        this.settings = settings;
    }

    /** Installs the operator's ServiceAccount and RBAC into {@code central} and starts it there. */
    static OperatorProcess install(LocalControlPlane central, Path workDir) throws IOException {
        return install(central, workDir, Map.of());
    }

    /** @param settings extra environment, such as EDGEBRIDGE_HUB_LONG_POLL for tests that cut links */
    static OperatorProcess install(LocalControlPlane central, Path workDir, Map<String, String> settings)
            throws IOException {
        return install(central, workDir, settings, null);
    }

    /**
     * @param network null for loopback; else the operator runs in its namespace, reaching the API
     *     server (listening on all addresses) over the API link
     */
    static OperatorProcess install(LocalControlPlane central, Path workDir, Map<String, String> settings,
            HubNetwork network) throws IOException {
        var client = central.client();
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(NAMESPACE).endMetadata().build()).serverSideApply();
        for (var file : List.of("manifests/install/serviceaccount.yaml", "manifests/install/rbac.yaml")) {
            try (var in = Files.newInputStream(RepoPaths.root().resolve(file))) {
                for (HasMetadata item : client.load(in).items()) {
                    client.resource(item).inNamespace(NAMESPACE).serverSideApply();
                }
            }
        }
        var token = client.serviceAccounts().inNamespace(NAMESPACE).withName("edgebridge-operator")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        var admin = Files.readString(central.writeKubeconfig());
        var config = admin.replaceAll("token: .*", "token: " + token);
        if (network != null) {
            // The self-signed serving certificate names loopback only: the link address is not in it.
            config = config.replace("https://127.0.0.1:", "https://" + HubNetwork.API_SERVER_ADDRESS + ":")
                    .replaceAll("certificate-authority: .*", "insecure-skip-tls-verify: true");
        }
        var kubeconfig = Files.writeString(workDir.resolve("operator.kubeconfig"), config);
        var ports = LocalControlPlane.freeLoopbackPorts(2);
        var operator = new OperatorProcess(workDir, kubeconfig, ports.get(0), ports.get(1), settings);
        operator.network = network;
        operator.start();
        return operator;
    }

    static Path jar() {
        return RepoPaths.root().resolve("operator/target/quarkus-app/quarkus-run.jar");
    }

    void start() throws IOException {
        if (!Files.exists(jar())) {
            throw new IllegalStateException(jar() + " is missing: build the operator first (mvn package)");
        }
        var java = ProcessHandle.current().info().command().orElse("java");
        var env = new java.util.HashMap<>(settings);
        env.putAll(Map.of(
                "KUBECONFIG", kubeconfig.toString(),
                "QUARKUS_HTTP_PORT", Integer.toString(httpPort),
                "EDGEBRIDGE_HUB_PORT", Integer.toString(hubPort),
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"));
        var heap = env.remove(MAX_HEAP);
        var command = List.of(java, "-Xmx" + (heap == null ? "512m" : heap), "-jar", jar().toString());
        process = LoggedProcess.start("operator-" + (++starts), workDir,
                network == null ? command : network.wrap(command), env);
        try {
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                process.ensureRunning();
                var response = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + ":" + httpPort
                        + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200;
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException("the operator did not become ready:\n" + process.logTail(60), e);
        }
    }

    String hubUrl() {
        return "https://" + (network == null ? "localhost" : host()) + ":" + hubPort;
    }

    private String host() {
        return network == null ? "127.0.0.1" : HubNetwork.HUB_ADDRESS;
    }

    long pid() {
        return process.pid();
    }

    /**
     * A gauge or counter of the operator's metrics endpoint (Prometheus name, e.g.
     * {@code edgebridge_hub_status_writes_queued}), summed over its series.
     */
    double metric(String name) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + ":" + httpPort
                + "/q/metrics")).timeout(METRICS_TIMEOUT).build(), HttpResponse.BodyHandlers.ofLines());
        return response.body().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    int hubPort() {
        return hubPort;
    }

    /** Stops it and starts it again with {@code changes} to its settings (a rolling update). */
    void restart(Map<String, String> changes) throws IOException {
        var changed = new java.util.HashMap<>(settings);
        changed.putAll(changes);
        settings = changed;
        stop();
        start();
    }

    /**
     * Stops it as Kubernetes does: SIGTERM, then a kill after the grace period.
     *
     * @return whether it ended on its own within the grace period
     */
    boolean stop() {
        if (process == null) {
            return true;
        }
        var graceful = process.stop(Duration.ofSeconds(20));
        lastLog = process.logTail(40);
        process = null;
        return graceful;
    }

    /** The end of the log of the last run that was stopped. */
    String lastLog() {
        return lastLog;
    }

    String logTail(int lines) {
        return process == null ? "" : process.logTail(lines);
    }

    @Override
    public void close() {
        stop();
    }
}
