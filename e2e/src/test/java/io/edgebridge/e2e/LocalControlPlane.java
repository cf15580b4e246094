package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver as built by {@code make
 * controlplane}, on free loopback ports, with their state and logs in a fresh directory. Closing
 * it stops both; so does the JVM's exit, so an aborted run leaves no servers behind.
 */
final class LocalControlPlane implements AutoCloseable {

    /** Folder holding etcd and kube-apiserver; e2e/pom.xml points it at .cache/bin. */
    static final String BIN_PROPERTY = "edgebridge.controlplane.bin";
    /** Folder for the control planes' directories; e2e/pom.xml points it into target/. */
    static final String WORK_PROPERTY = "edgebridge.controlplane.work";

    private static final String LOOPBACK = "127.0.0.1";
    // Generous: a cold kube-apiserver on a loaded 2-core machine needs 5 to 15 s.
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 40;

    private final Path dir;
    private final Path bin;
    private final List<LoggedProcess> processes = new ArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopProcesses, "stop-local-control-plane");
    private ControlPlaneCredentials credentials;
    private String serverUrl;
    private KubernetesClient client;

    private final String bindAddress;

    private LocalControlPlane(Path dir, Path bin, String bindAddress) {
        this.dir = dir;
        this.bin = bin;
        this.bindAddress = bindAddress;
    }

    /** Starts a control plane from the {@linkplain #binaries() configured binaries}. */
    static LocalControlPlane start() {
        return start(binaries());
    }

    /** The folder named by the {@value #BIN_PROPERTY} system property, else .cache/bin of the repository. */
    static Path binaries() {
        var configured = System.getProperty(BIN_PROPERTY);
        return configured != null ? Path.of(configured) : RepoPaths.root().resolve(".cache/bin");
    }

    static LocalControlPlane start(Path bin) {
        return start(bin, LOOPBACK);
    }

    /**
     * @param bindAddress where the API server listens; clients on this machine use loopback, a
     *     process in another network namespace (the benchmark's operator) needs 0.0.0.0
     */
    static LocalControlPlane start(Path bin, String bindAddress) {
        for (var binary : List.of("etcd", "kube-apiserver")) {
            if (!Files.isExecutable(bin.resolve(binary))) {
                throw new IllegalStateException("No " + binary + " in " + bin.toAbsolutePath().normalize()
                        + ": run make controlplane (it builds kube-apiserver and etcd there, once)");
            }
        }
        LocalControlPlane plane;
        try {
            var workRoot = Path.of(System.getProperty(WORK_PROPERTY, System.getProperty("java.io.tmpdir")));
            var dir = Files.createTempDirectory(Files.createDirectories(workRoot), "controlplane-");
            plane = new LocalControlPlane(dir, bin, bindAddress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            plane.boot();
            return plane;
        } catch (Exception e) {
            plane.close();
            throw new IllegalStateException(plane.startupFailure(e), e);
        }
    }

    KubernetesClient client() {
        return client;
    }

    String serverUrl() {
        return serverUrl;
    }

    /** The Kubernetes version the binaries were built as, from the stamp make controlplane writes. */
    String builtVersion() throws IOException {
        return Files.readString(bin.resolve("VERSION")).trim().split("\\s+")[0];
    }

    /** Writes a kubeconfig for the cluster admin, for kubectl and other tools. */
    Path writeKubeconfig() throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), credentials.kubeconfig(serverUrl, servingCertificate()));
    }

    /** Whether etcd or kube-apiserver still runs; false once closed. */
    boolean isRunning() {
        synchronized (processes) {
            return processes.stream().anyMatch(LoggedProcess::isAlive);
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException jvmAlreadyExiting) {
            // The hook is running or about to; it stops the processes.
        }
        if (client != null) {
            client.close();
        }
        stopProcesses();
        // etcd preallocates tens of MB; the logs are small and worth keeping for a failed test.
        deleteRecursively(dir.resolve("etcd"));
    }

    private void boot() throws Exception {
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        credentials = ControlPlaneCredentials.create(dir);
        var ports = freeLoopbackPorts(3);
        var etcdUrl = "http://" + LOOPBACK + ":" + ports.get(0);
        var etcdPeerUrl = "http://" + LOOPBACK + ":" + ports.get(1);
        serverUrl = "https://" + LOOPBACK + ":" + ports.get(2);

        var etcd = launch("etcd", List.of(
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=" + etcdPeerUrl,
                "--initial-advertise-peer-urls=" + etcdPeerUrl,
                "--initial-cluster=default=" + etcdPeerUrl,
                // Test data need not survive a power cut; fsync costs seconds on slow disks.
                "--unsafe-no-fsync"));
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        awaitStartup("etcd to report healthy", etcd, () -> answersOk(http, etcdUrl + "/health", null));

        var apiServer = launch("kube-apiserver", List.of(
                "--etcd-servers=" + etcdUrl,
                "--bind-address=" + bindAddress,
                "--advertise-address=" + LOOPBACK,
                "--secure-port=" + ports.get(2),
                "--cert-dir=" + dir.resolve("certs"),
                // No Service and Endpoints for the API server itself: nothing in the cluster calls it.
                "--endpoint-reconciler-type=none",
                "--service-cluster-ip-range=10.96.0.0/24",
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + credentials.serviceAccountPublicKey(),
                "--service-account-signing-key-file=" + credentials.serviceAccountKey(),
                "--token-auth-file=" + credentials.tokenFile(),
                "--authorization-mode=Node,RBAC"));
        // The server writes its self-signed certificate before it listens.
        awaitStartup("kube-apiserver to write its serving certificate", apiServer,
                () -> Files.exists(servingCertificate()) && Files.size(servingCertificate()) > 0);
        var https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(trusting(servingCertificate())).build();
        awaitStartup("kube-apiserver to report ready", apiServer,
                () -> answersOk(https, serverUrl + "/readyz", credentials.adminToken()));

        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(writeKubeconfig())))
                .build();
    }

    private LoggedProcess launch(String binary, List<String> args) throws IOException {
        return launch(binary, args, Map.of());
    }

    /**
     * Starts another component of this control plane from the same binaries folder, logging into
     * its directory. It is stopped with the control plane (before the API server and etcd).
     */
    LoggedProcess launch(String binary, List<String> args, Map<String, String> env) throws IOException {
        var executable = bin.resolve(binary);
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("No " + binary + " in " + bin.toAbsolutePath().normalize()
                    + ": run make controlplane (it builds the test control plane there, once)");
        }
        var command = new ArrayList<String>();
        command.add(executable.toAbsolutePath().toString());
        command.addAll(args);
        var process = LoggedProcess.start(binary, dir, command, env);
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    /** This control plane's folder: its state, logs and kubeconfig. */
    Path dir() {
        return dir;
    }

    private static void awaitStartup(String what, LoggedProcess process, Callable<Boolean> ready) {
        await(what).atMost(STARTUP_TIMEOUT).pollInterval(POLL_INTERVAL).until(() -> {
            process.ensureRunning();
            return ready.call();
        });
    }

    private static boolean answersOk(HttpClient http, String url, String bearerToken) {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Path servingCertificate() {
        return dir.resolve("certs").resolve("apiserver.crt");
    }

    private static SSLContext trusting(Path pemCertificates) throws IOException, GeneralSecurityException {
        var store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (var in = Files.newInputStream(pemCertificates)) {
            var index = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("apiserver-" + index++, certificate);
            }
        }
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        var tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    /** Holds all sockets open until every port is chosen, so the ports differ from each other. */
    static List<Integer> freeLoopbackPorts(int count) throws IOException {
        var sockets = new ArrayList<ServerSocket>();
        try {
            for (var i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK)));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (var socket : sockets) {
                socket.close();
            }
        }
    }

    private void stopProcesses() {
        synchronized (processes) {
            // The API server's clients (controllers, scheduler, kwok) all at once: each takes a second
            // or two to wind down. Then kube-apiserver, then etcd: without etcd it hangs in its shutdown.
            for (var i = processes.size() - 1; i >= 2; i--) {
                processes.get(i).terminate();
            }
            for (var i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).stop(STOP_GRACE);
            }
        }
    }

    private String startupFailure(Throwable cause) {
        var logs = new StringBuilder();
        synchronized (processes) {
            for (var process : processes) {
                logs.append("\n--- ").append(process.name()).append(" log, last ").append(LOG_TAIL_LINES)
                        .append(" lines ---\n").append(process.logTail(LOG_TAIL_LINES));
            }
        }
        return "The local control plane did not start: " + cause.getMessage() + "\nLogs are in " + dir + logs;
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (var file : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
