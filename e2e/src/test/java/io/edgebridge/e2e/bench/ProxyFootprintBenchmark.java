package io.edgebridge.e2e.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.e2e.BenchFleet;
import io.edgebridge.proxy.sync.HubClient;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code proxy_rss_mib}: resident memory of one real edge-proxy process (the packaged Quarkus app),
 * idle after it synced. Starts the central control plane with the operator and manifests/examples,
 * one bare edge site (hamburg: an API server and a simulated kubelet), and then the edge proxy as
 * its own {@code java -jar quarkus-run.jar} process, configured as manifests/edge/edge-proxy.yaml
 * configures its container: the same environment (JVM flags in {@code JAVA_TOOL_OPTIONS}
 * included), the bootstrap Secret as files, and the JVM told the container's memory limit
 * ({@code -XX:MaxRAM}, which is what it reads from the cgroup in the container). Once the proxy
 * applied the example app and the hub recorded its report, it idles; memory is read from
 * /proc/&lt;pid&gt;/status when it is stable, and written to {@code <bench.dir>/proxy.json}.
 *
 * <p>System properties: {@code bench.dir} (default &lt;repo&gt;/target/bench), {@code bench.idle.seconds}
 * (least idle time before reading, default 150: a drift re-apply (2 min) and two long-polls),
 * {@code bench.proxy.jvm} (JVM flags instead of the manifest's, for trying flags),
 * {@code bench.proxy.env} (extra environment, {@code K=V;K=V}), {@code bench.proxy.nmt=true}
 * (native memory tracking summary into the bench folder), {@code bench.large=false} (skip the check
 * that the proxy, restarted, takes the largest state it accepts), {@code bench.large.mib} (the size
 * of that state instead of nearly all the proxy accepts), {@code bench.large.shape=blob}
 * (one big string per ConfigMap instead of many small keys).
 */
public final class ProxyFootprintBenchmark {

    static final String SITE = "hamburg";
    static final String APP = "sensor-collector";
    static final Path MANIFEST = Path.of("manifests", "edge", "edge-proxy.yaml");
    static final String JVM_OPTIONS_VARIABLE = "JAVA_TOOL_OPTIONS";
    private static final long MIB = 1024 * 1024;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration READING_INTERVAL = Duration.ofSeconds(10);
    private static final int STABLE_READINGS = 3;
    private static final long STABLE_WITHIN_KIB = 1024;

    private final Path repo = BenchFleet.repositoryRoot();
    private final Path benchDir = Path.of(System.getProperty("bench.dir", repo.resolve("target/bench").toString()))
            .toAbsolutePath();
    private final Path work = benchDir.resolve("proxy-work");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private BenchFleet fleet;
    private Process proxy;
    private int httpPort;
    private Path logFile;

    public static void main(String[] args) throws Exception {
        io.edgebridge.e2e.QuietLogging.atInfo();
        var bench = new ProxyFootprintBenchmark();
        var hook = new Thread(bench::close, "proxy-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int exit = 0;
        try {
            bench.run();
        } catch (Throwable e) {
            System.err.println("proxy footprint benchmark failed: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            bench.close();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        System.exit(exit);
    }

    /** The edge-proxy container of the install manifest: its environment and memory limit. */
    record ContainerSpec(Map<String, String> env, long memoryLimitBytes, long memoryRequestBytes) {

        String jvmOptions() {
            return env.getOrDefault(JVM_OPTIONS_VARIABLE, "");
        }
    }

    static ContainerSpec readManifest(Path manifest) throws IOException {
        var yaml = Files.readString(manifest);
        var serialization = new KubernetesSerialization();
        Deployment deployment = null;
        for (var document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            HasMetadata item = serialization.unmarshal(document);
            if (item instanceof Deployment d) {
                deployment = d;
            }
        }
        if (deployment == null) {
            throw new IllegalStateException("no Deployment in " + manifest);
        }
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("edge-proxy")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no edge-proxy container in " + manifest));
        var env = new LinkedHashMap<String, String>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValue() != null) {
                env.put(variable.getName(), variable.getValue());
            }
        }
        var resources = container.getResources();
        return new ContainerSpec(env, bytes(resources.getLimits().get("memory")),
                bytes(resources.getRequests().get("memory")));
    }

    private static long bytes(Quantity quantity) {
        return quantity == null ? 0 : Quantity.getAmountInBytes(quantity).longValueExact();
    }

    void run() throws Exception {
        if (!Files.exists(jar())) {
            throw new IllegalStateException(jar() + " is missing: build the edge proxy first (mvn package)");
        }
        var container = readManifest(repo.resolve(MANIFEST));
        var sweep = System.getProperty("bench.proxy.sweep");
        var variants = sweep == null
                ? List.of(new Variant("manifest", System.getProperty("bench.proxy.jvm", container.jvmOptions()).trim(),
                        extraEnvironment(System.getProperty("bench.proxy.env", ""))))
                : Variant.parse(Files.readAllLines(Path.of(sweep)));
        deleteTree(work);
        Files.createDirectories(work);

        say("Starting the central control plane, the operator (manifests/examples applied) and edge site " + SITE
                + " ...");
        fleet = BenchFleet.start(work.resolve("fleet"));
        var nodes = await().atMost(START_TIMEOUT).until(this::siteNodes, n -> !n.isEmpty());
        fleet.addBareSite(SITE, nodes);

        var results = new LinkedHashMap<Variant, Map<String, Number>>();
        for (var variant : variants) {
            results.put(variant, measure(variant, container, results.size()));
        }
        if (sweep == null) {
            writeFigures(results.values().iterator().next());
        } else {
            var table = new StringBuilder("| variant | JVM flags | env | RSS MiB | anon | file | heap used | threads |\n"
                    + "|---|---|---|---|---|---|---|---|\n");
            results.forEach((v, f) -> table.append(String.format("| %s | `%s` | `%s` | %s | %s | %s | %s | %s |%n",
                    v.label(), v.jvmOptions(), v.env(), f.get("proxy_rss_mib"), f.get("proxy_rss_anon_mib"),
                    f.get("proxy_rss_file_mib"), f.get("proxy_heap_used_mib"), f.get("proxy_threads"))));
            Files.createDirectories(benchDir);
            Files.writeString(benchDir.resolve("proxy-sweep.md"), table);
            say(table.toString());
        }
    }

    /** A set of JVM flags and environment to run the proxy with. */
    record Variant(String label, String jvmOptions, Map<String, String> env) {

        /** Lines {@code label | JVM flags | K=V;K=V}; blank lines and # comments are skipped. */
        static List<Variant> parse(List<String> lines) {
            var variants = new ArrayList<Variant>();
            for (var line : lines) {
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                var parts = line.split("\\|", -1);
                variants.add(new Variant(parts[0].strip(), parts.length > 1 ? parts[1].strip() : "",
                        extraEnvironment(parts.length > 2 ? parts[2] : "")));
            }
            return variants;
        }
    }

    private Path jar() {
        return repo.resolve("edge-proxy/target/quarkus-app/quarkus-run.jar");
    }

    /**
     * Starts a proxy as the manifest's container runs it; returns at once. The first start of run
     * {@code run} gets a fresh state directory and bootstrap token; a restart keeps both, as a pod
     * restarted on the same volume does. {@code gcLog}: also log collections there.
     */
    private Path launch(Variant variant, ContainerSpec container, int run, boolean restart, Path gcLog)
            throws IOException {
        var dir = Files.createDirectories(work.resolve("proxy-" + run));
        var env = new LinkedHashMap<>(container.env());
        env.remove(JVM_OPTIONS_VARIABLE);
        if (!variant.jvmOptions().isEmpty()) {
            env.put(JVM_OPTIONS_VARIABLE, variant.jvmOptions());
        }
        env.put("EDGEBRIDGE_PROXY_STATE_DIR", Files.createDirectories(dir.resolve("state")).toString());
        env.put("EDGEBRIDGE_PROXY_BOOTSTRAP_DIR", (restart ? dir.resolve("bootstrap")
                : writeBootstrapSecret(dir.resolve("bootstrap"), run)).toString());
        httpPort = freePort();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // In the pod the client finds the API server and its ServiceAccount token and CA without a
        // kubeconfig file; here the same three things are given, and no kubeconfig is read.
        var access = fleet.siteAccess(SITE);
        // (The Fabric8 client's own variables: Quarkus fixes its api-server-url at build time.)
        env.put("KUBERNETES_MASTER", access.serverUrl());
        env.put("KUBERNETES_CERTS_CA_FILE", access.caCertFile());
        env.put("KUBERNETES_AUTH_TOKEN", access.token());
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");

        env.putAll(variant.env());
        boolean nmt = Boolean.getBoolean("bench.proxy.nmt");

        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // In the container the JVM sizes itself by the cgroup limit; here it would see the whole machine.
        if (container.memoryLimitBytes() > 0 && !"false".equals(System.getProperty("bench.proxy.maxram"))) {
            command.add("-XX:MaxRAM=" + container.memoryLimitBytes());
        }
        if (nmt) {
            command.add("-XX:NativeMemoryTracking=summary");
        }
        if (gcLog != null) {
            command.add("-Xlog:gc:file=" + gcLog);
        }
        command.addAll(List.of("-jar", jar().toString()));
        say("[" + variant.label() + "] starting the edge proxy: " + JVM_OPTIONS_VARIABLE + "=\""
                + variant.jvmOptions() + "\" " + variant.env() + " " + String.join(" ", command.subList(1,
                command.size())));
        var log = dir.resolve(restart ? "edge-proxy-restart.log" : "edge-proxy.log");
        logFile = log;
        // The folder of quarkus-run.jar, as in the image (its WORKDIR): relative paths in the flags resolve alike.
        var builder = new ProcessBuilder(command).directory(jar().getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("KUBECONFIG");
        builder.environment().putAll(env);
        proxy = builder.start();
        return log;
    }

    /** Starts a proxy with a fresh state directory and bootstrap token, lets it sync and idle, reads its memory. */
    private Map<String, Number> measure(Variant variant, ContainerSpec container, int run) throws Exception {
        var log = launch(variant, container, run, false, null);
        var started = Instant.now();
        boolean nmt = Boolean.getBoolean("bench.proxy.nmt");

        var applied = awaitSynced(log, run == 0);
        var synced = Instant.now();
        say("[" + variant.label() + "] the proxy (pid " + proxy.pid() + ") bootstrapped, applied state " + applied
                + " and reported it in " + Duration.between(started, synced).toSeconds() + " s; letting it idle ...");

        var idle = Duration.ofSeconds(Long.getLong("bench.idle.seconds", 150));
        var readings = new ArrayList<Memory>();
        await("stable resident memory").atMost(idle.plus(Duration.ofMinutes(5))).pollDelay(Duration.ZERO)
                .pollInterval(READING_INTERVAL).until(() -> {
                    ensureRunning(log);
                    readings.add(Memory.read(proxy.pid()));
                    return Duration.between(synced, Instant.now()).compareTo(idle) >= 0 && stable(readings);
                });
        var memory = readings.get(readings.size() - 1);
        var heap = heapUsedBytes();
        if (nmt) {
            var summary = jcmd(proxy.pid(), "VM.native_memory", "summary");
            Files.createDirectories(benchDir);
            var out = benchDir.resolve("proxy-nmt-" + run + ".txt");
            Files.writeString(out, "# " + variant + "\n" + summary);
            Files.writeString(benchDir.resolve("proxy-threads-" + run + ".txt"), jcmd(proxy.pid(), "Thread.print"));
            // After the reading: a class histogram collects the heap first.
            Files.writeString(benchDir.resolve("proxy-histogram-" + run + ".txt"),
                    jcmd(proxy.pid(), "GC.class_histogram"));
            say("Native memory summary and class histogram written to " + out + " and beside it");
        }

        var figures = new LinkedHashMap<String, Number>();
        figures.put("proxy_rss_mib", mib(memory.rssKib() * 1024));
        figures.put("proxy_rss_anon_mib", mib(memory.anonKib() * 1024));
        figures.put("proxy_rss_file_mib", mib(memory.fileKib() * 1024));
        figures.put("proxy_rss_shmem_mib", mib(memory.shmemKib() * 1024));
        figures.put("proxy_peak_rss_mib", mib(memory.peakKib() * 1024));
        if (heap >= 0) {
            figures.put("proxy_heap_used_mib", mib(heap));
        }
        figures.put("proxy_threads", memory.threads());
        figures.put("proxy_idle_s", Duration.between(synced, Instant.now()).toSeconds());
        figures.put("proxy_memory_limit_mib", mib(container.memoryLimitBytes()));
        say(String.format("[%s] proxy_rss_mib %.1f (anon %.1f, file %.1f, peak %.1f, heap used %s, %d threads) idle"
                        + " %d s, flags: %s", variant.label(), figures.get("proxy_rss_mib").doubleValue(),
                figures.get("proxy_rss_anon_mib").doubleValue(), figures.get("proxy_rss_file_mib").doubleValue(),
                figures.get("proxy_peak_rss_mib").doubleValue(),
                heap >= 0 ? String.format("%.1f MiB", mib(heap).doubleValue()) : "n/a", memory.threads(),
                figures.get("proxy_idle_s").longValue(),
                variant.jvmOptions().isEmpty() ? "(none)" : variant.jvmOptions()));
        say("[" + variant.label() + "] VmRSS MiB every " + READING_INTERVAL.toSeconds() + " s: " + readings.stream()
                .map(r -> mib(r.rssKib() * 1024).toString()).collect(Collectors.joining(" ")));
        if (!"false".equals(System.getProperty("bench.large"))) {
            stopProxy(log);
            figures.putAll(deliverLarge(largeStateBytes(variant.jvmOptions()), variant, container, run));
        }
        stopProxy(logFile);
        return figures;
    }

    /**
     * How large a state to deliver: {@code bench.large.mib} if given, else 97 % of the largest
     * response the proxy accepts with the variant's -Xmx ({@link HubClient#maxResponseBytes}); the
     * rest is the response's envelope, signatures and the example app.
     */
    static long largeStateBytes(String jvmOptions) {
        var mib = Integer.getInteger("bench.large.mib", 0);
        if (mib > 0) {
            return mib * MIB;
        }
        var xmx = java.util.regex.Pattern.compile("-Xmx(\\d+)([kKmMgG]?)").matcher(jvmOptions);
        if (!xmx.find()) {
            throw new IllegalStateException("no -Xmx in the proxy's JVM options (" + jvmOptions + "): give "
                    + "-Dbench.large.mib=N or -Dbench.large=false");
        }
        long heap = Long.parseLong(xmx.group(1)) * switch (xmx.group(2).toLowerCase()) {
            case "k" -> 1024L;
            case "m" -> MIB;
            case "g" -> 1024 * MIB;
            default -> 1L;
        };
        return HubClient.maxResponseBytes(heap) * 97L / 100;
    }

    /**
     * The largest state the proxy must take: apps of about {@code targetBytes} in all (ConfigMaps of
     * 900 KiB, near the 1 MiB a ConfigMap may hold, of many small keys: the shape that costs the
     * most heap per byte once parsed) made while the proxy is down; then it is started again on its
     * state directory, as after a reboot, and gets them all in one sync response. Checks that it
     * applies every one and stays up; returns its peak resident memory and the most heap any
     * collection left in use.
     */
    private Map<String, Number> deliverLarge(long targetBytes, Variant variant, ContainerSpec container, int run)
            throws IOException, InterruptedException {
        int perApp = 900 * 1024;
        var random = new java.util.Random(42);
        var serialization = new KubernetesSerialization();
        boolean fields = !"blob".equals(System.getProperty("bench.large.shape"));
        var resources = new ArrayList<GenericKubernetesResource>();
        // Names of this run only: an app deleted and made again under its old name is another story.
        var prefix = "bench-large-" + run + "-";
        long total = 0;
        while (targetBytes - total > 64 * 1024 || resources.isEmpty()) {
            int i = resources.size();
            // The last app fills up what is left.
            int size = (int) Math.min(perApp, targetBytes - total);
            Map<String, String> data;
            if (fields) {
                data = new java.util.TreeMap<>();
                for (int k = 0; k < size / 32; k++) {
                    data.put(String.format("key-%06d", k), Long.toHexString(random.nextLong()));
                }
            } else {
                var blob = new byte[size * 3 / 4];
                random.nextBytes(blob);
                data = Map.of("blob", Base64.getEncoder().encodeToString(blob));
            }
            var app = Map.of("apiVersion", "edgebridge.io/v1alpha1", "kind", "EdgeApp",
                    "metadata", Map.of("name", prefix + i, "namespace", fleet.namespace()),
                    "spec", Map.of("placement", Map.of("clusters", List.of(SITE)), "targetNamespace", "bench-large",
                            "resources", List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                                    "metadata", Map.of("name", "blob-" + i),
                                    "data", data))));
            var resource = serialization.convertValue(app, GenericKubernetesResource.class);
            total += serialization.asJson(resource).length();
            resources.add(resource);
        }
        int apps = resources.size();
        say(String.format("[%s] large state: %d apps, %.1f MiB of JSON in all, for %s; delivered in one sync response"
                + " to the proxy, restarted ...", variant.label(), apps, total / (double) MIB, SITE));
        for (var resource : resources) {
            fleet.central().resource(resource).createOr(existing -> existing.update());
        }
        resources.clear();
        // Released to the site (strategy All): the hub will hand them all out in one answer.
        await("the large apps to be released").atMost(START_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> fleet.central().resources(EdgeApp.class).inNamespace(fleet.namespace()).list().getItems()
                        .stream().filter(a -> a.getMetadata().getName().startsWith(prefix))
                        .filter(a -> a.getStatus() != null && a.getStatus().summary() != null
                                && Integer.valueOf(1).equals(a.getStatus().summary().targeted())
                                && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration()))
                        .count() == apps);
        var gcLog = work.resolve("proxy-" + run).resolve("gc-restart.log");
        var log = launch(variant, container, run, true, gcLog);
        var started = Instant.now();
        try {
            await("the proxy to apply " + apps + " large apps").atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                        ensureRunning(log);
                        return fleet.site(SITE).configMaps().inNamespace("bench-large").list().getItems().size()
                                == apps;
                    });
            awaitSynced(log, run == 0);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the proxy did not apply the large state:\n" + tail(log, 30), e);
        }
        var after = Memory.read(proxy.pid());
        long heapPeak = maxHeapAfterGcKib(gcLog);
        if (Boolean.getBoolean("bench.proxy.nmt")) {
            Files.writeString(benchDir.resolve("proxy-histogram-large-" + run + ".txt"),
                    jcmd(proxy.pid(), "GC.class_histogram"));
        }
        say(String.format("[%s] applied %.1f MiB in %d s: peak RSS %.1f MiB, RSS now %.1f MiB, most heap in use after"
                        + " a collection %s", variant.label(), total / (double) MIB,
                Duration.between(started, Instant.now()).toSeconds(), mib(after.peakKib() * 1024).doubleValue(),
                mib(after.rssKib() * 1024).doubleValue(), heapPeak < 0 ? "n/a" : mib(heapPeak * 1024) + " MiB"));
        stopProxy(log);
        // Gone again, here and on the site, for the next variant.
        for (int i = 0; i < apps; i++) {
            fleet.central().resources(EdgeApp.class).inNamespace(fleet.namespace()).withName(prefix + i)
                    .delete();
        }
        fleet.site(SITE).configMaps().inNamespace("bench-large").delete();
        await("the large state to be gone from the site").atMost(START_TIMEOUT).until(() ->
                fleet.site(SITE).configMaps().inNamespace("bench-large").list().getItems().isEmpty());
        var figures = new LinkedHashMap<String, Number>();
        figures.put("proxy_large_state_mib", mib(total));
        figures.put("proxy_large_peak_rss_mib", mib(after.peakKib() * 1024));
        figures.put("proxy_large_rss_after_mib", mib(after.rssKib() * 1024));
        if (heapPeak >= 0) {
            figures.put("proxy_large_heap_after_gc_max_mib", mib(heapPeak * 1024));
        }
        return figures;
    }

    /** The largest "used after" of the collections in a {@code -Xlog:gc} file ("12M->8M(30M)"), in KiB. */
    static long maxHeapAfterGcKib(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return -1;
        }
        var pattern = java.util.regex.Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
        long max = -1;
        for (var line : Files.readAllLines(gcLog)) {
            var m = pattern.matcher(line);
            if (m.find()) {
                long value = Long.parseLong(m.group(3));
                long kib = switch (m.group(4)) {
                    case "K" -> value;
                    case "M" -> value * 1024;
                    default -> value * 1024 * 1024;
                };
                max = Math.max(max, kib);
            }
        }
        return max;
    }

    /** Once the proxy is connected, has applied a state, and the hub recorded that state and the app ready. */
    /**
     * @param recorded also wait until the hub recorded the applied state. Only for the first proxy of
     *     the run: the hub ignores the reports of a re-bootstrapped proxy, whose status sequence
     *     numbers start again below the ones it already saw for the cluster.
     */
    private String awaitSynced(Path log, boolean recorded) {
        try {
            return await("the proxy to apply the example app and report it").atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                        ensureRunning(log);
                        var check = readiness();
                        var data = check.path("checks").path(0).path("data");
                        var hash = data.path("appliedStateHash").asText(null);
                        if (!check.path("status").asText().equals("UP") || !data.path("connected").asBoolean()
                                || hash == null) {
                            return null;
                        }
                        if (fleet.site(SITE).configMaps().inNamespace("sensors").withName("collector-config")
                                .get() == null) {
                            return null;
                        }
                        if (!recorded) {
                            return hash;
                        }
                        var status = fleet.central().resources(EdgeCluster.class).inNamespace(fleet.namespace())
                                .withName(SITE).get().getStatus();
                        boolean reported = status != null && status.proxy() != null
                                && hash.equals(status.proxy().appliedStateHash()) && status.apps() != null
                                && status.apps().stream().anyMatch(a -> a.name().equals(APP)
                                && Boolean.TRUE.equals(a.ready()));
                        return reported ? hash : null;
                    }, h -> h != null);
        } catch (RuntimeException e) {
            String readiness;
            String status;
            try {
                readiness = readiness().toString();
            } catch (Exception unreadable) {
                readiness = unreadable.toString();
            }
            try {
                status = new KubernetesSerialization().asJson(fleet.central().resources(EdgeCluster.class)
                        .inNamespace(fleet.namespace()).withName(SITE).get().getStatus());
            } catch (RuntimeException unreadable) {
                status = unreadable.toString();
            }
            throw new IllegalStateException("the edge proxy did not sync:\n" + tail(log, 40) + "\n--- readiness: "
                    + readiness + "\n--- cluster status: " + status + "\n--- operator ---\n"
                    + fleet.operatorLogTail(20), e);
        }
    }

    private List<String> siteNodes() {
        var cluster = fleet.central().resources(EdgeCluster.class).inNamespace(fleet.namespace()).withName(SITE)
                .get();
        if (cluster == null || cluster.getStatus() == null || cluster.getStatus().nodes() == null) {
            return List.of();
        }
        return cluster.getStatus().nodes().stream().map(n -> n.name()).toList();
    }

    /**
     * The bootstrap Secret of the registration manifest, as Kubernetes mounts it: one file per key.
     * Every run after the first asks the operator for a new token (the annotation an admin uses to
     * re-provision a device), as a token works once.
     */
    private Path writeBootstrapSecret(Path dir, int run) throws IOException {
        String token;
        if (run == 0) {
            token = fleet.bootstrapToken(SITE);
        } else {
            var rotation = "bench-" + run;
            fleet.central().resources(EdgeCluster.class).inNamespace(fleet.namespace()).withName(SITE)
                    .edit(c -> {
                        var annotations = new LinkedHashMap<String, String>();
                        if (c.getMetadata().getAnnotations() != null) {
                            annotations.putAll(c.getMetadata().getAnnotations());
                        }
                        annotations.put("edgebridge.io/rotate-bootstrap-token", rotation);
                        c.getMetadata().setAnnotations(annotations);
                        return c;
                    });
            var secret = await("a new bootstrap token").atMost(START_TIMEOUT).until(() -> fleet.central().secrets()
                    .inNamespace(fleet.namespace()).withName(SITE + "-bootstrap-token").get(), s -> s != null
                    && rotation.equals(s.getMetadata().getAnnotations().get("edgebridge.io/rotation")));
            token = new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cluster"), fleet.identity(SITE));
        Files.writeString(dir.resolve("hubUrl"), fleet.hubUrl());
        Files.writeString(dir.resolve("ca.crt"), fleet.caBundle());
        Files.writeString(dir.resolve("token"), token);
        return dir;
    }

    private static Map<String, String> extraEnvironment(String spec) {
        var extra = new LinkedHashMap<String, String>();
        spec = spec.trim();
        for (var pair : spec.isEmpty() ? new String[0] : spec.split(";")) {
            var equals = pair.indexOf('=');
            extra.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return extra;
    }

    private JsonNode readiness() throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    /** Heap in use from the proxy's Prometheus metrics, or -1 when it has none. */
    private long heapUsedBytes() {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            boolean found = false;
            for (var line : response.body().lines().toList()) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? (long) sum : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static boolean stable(List<Memory> readings) {
        if (readings.size() < STABLE_READINGS) {
            return false;
        }
        var last = readings.subList(readings.size() - STABLE_READINGS, readings.size());
        long min = last.stream().mapToLong(Memory::rssKib).min().orElseThrow();
        long max = last.stream().mapToLong(Memory::rssKib).max().orElseThrow();
        return max - min <= STABLE_WITHIN_KIB;
    }

    /** What /proc/&lt;pid&gt;/status says about a process's memory, in KiB. */
    record Memory(long rssKib, long anonKib, long fileKib, long shmemKib, long peakKib, int threads) {

        static Memory read(long pid) throws IOException {
            var fields = new LinkedHashMap<String, Long>();
            for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                var colon = line.indexOf(':');
                if (colon > 0) {
                    var value = line.substring(colon + 1).trim().split("\\s+")[0];
                    if (value.matches("\\d+")) {
                        fields.put(line.substring(0, colon), Long.parseLong(value));
                    }
                }
            }
            return new Memory(fields.get("VmRSS"), fields.get("RssAnon"), fields.get("RssFile"),
                    fields.get("RssShmem"), fields.get("VmHWM"), fields.get("Threads").intValue());
        }
    }

    static BigDecimal mib(long bytes) {
        return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(MIB), 1, RoundingMode.HALF_UP);
    }

    private void writeFigures(Map<String, Number> figures) throws IOException {
        Files.createDirectories(benchDir);
        var out = benchDir.resolve("proxy.json");
        var text = figures.entrySet().stream().map(e -> "  \"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
        Files.writeString(out, text);
        say("Wrote " + out);
    }

    private void ensureRunning(Path log) {
        if (!proxy.isAlive()) {
            throw new IllegalStateException("the edge proxy exited with code " + proxy.exitValue() + ":\n"
                    + tail(log, 40));
        }
    }

    private void stopProxy(Path log) throws InterruptedException {
        if (proxy == null || !proxy.isAlive()) {
            return;
        }
        proxy.destroy();
        if (!proxy.waitFor(20, TimeUnit.SECONDS)) {
            say("The edge proxy did not stop within 20 s of SIGTERM; killing it.\n" + tail(log, 20));
            proxy.destroyForcibly().waitFor();
        }
    }

    private synchronized void close() {
        try {
            stopProxy(logFile);
        } catch (InterruptedException e) {
            proxy.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }

    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        var java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        var jcmd = java.resolveSibling("jcmd");
        var args = new ArrayList<String>();
        args.add(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd");
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        var process = new ProcessBuilder(args).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    private static String tail(Path log, int lines) {
        try {
            var all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (var file : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    static void say(String line) {
        System.out.println(line);
    }
}
