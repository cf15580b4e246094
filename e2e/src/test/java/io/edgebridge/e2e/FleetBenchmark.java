package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;

import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.operator.identity.CertificateAuthority;
import io.edgebridge.operator.identity.CertificateIssuer;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.edgebridge.proxy.sync.HubClient;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import io.edgebridge.operator.cluster.RegistrationManifest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * {@code make bench}: the fleet benchmark. A real central API server holds the fleet, the operator
 * runs as its own process (in a network namespace, so the edge link can be cut at the packet
 * level), and N simulated edge proxies in this JVM sync with its hub over mutual TLS. Measures
 * fan-out, heal after a partition, idle cost (bytes, API writes, hub heap) and sync throughput;
 * writes {@code fleet.json} and {@code fanout.png} into the bench directory.
 */
public final class FleetBenchmark {

    static final String FLEET = "bench";
    /** Proxies in this JVM (for the wire probe and the throughput clients); the rest run in worker processes. */
    private static final int LOCAL_PROXIES = 16;
    /**
     * Per worker process: a process may open 20,000 files here, and while proxies enroll each holds
     * two JDK HttpClients (the bootstrap's, released only by a GC, and the sync's), three files each:
     * 5,000 per process ran out of files at 4,149.
     */
    private static final int PROXIES_PER_WORKER = 3000;
    private static final String SUBSET_LABEL = "bench.edgebridge.io/subset";
    private static final String WARM_UP_APP = "warmup";
    /**
     * lastSeen refresh of the idle stage: short, so that every cluster's refreshes show within
     * minutes; the figure is then scaled to the production interval, which the other stages run with.
     */
    private static final Duration IDLE_LAST_SEEN_INTERVAL = Duration.ofMinutes(1);
    private static final Duration PRODUCTION_LAST_SEEN_INTERVAL = Duration.ofMinutes(20);
    /** The hub's long-poll (its default; the benchmark keeps it): how often an idle proxy syncs. */
    private static final Duration LONG_POLL = Duration.ofSeconds(55);

    private final int clusters;
    private final int subset;
    private final Duration cut;
    private final Path benchDir;
    private final Path work;
    private final Map<String, Number> results = new LinkedHashMap<>();
    /** app -> revision -> cluster -> when it first held it. */
    /** app -> revision -> cluster -> when its proxy had the answer and when it held it. */
    private final Map<String, Map<String, Map<String, Holding>>> holds = new ConcurrentHashMap<>();

    private record Holding(String cluster, long sentAt, long receivedAt, long handledAt, long heldAt) {
    }
    private final Map<String, List<Long>> fanoutSamples = new LinkedHashMap<>();

    private boolean closed;
    private java.util.Optional<CpuGroups> cpuGroups = java.util.Optional.empty();
    private LocalControlPlane central;
    private HubNetwork network;
    private OperatorProcess operator;
    /** The operator's lastSeen refresh interval now: the production one, but in the idle stage. */
    private Duration lastSeenInterval = PRODUCTION_LAST_SEEN_INTERVAL;
    private final List<SimulatedProxy> proxies = new ArrayList<>();
    private final List<FleetWorker.Handle> workers = new ArrayList<>();
    private final ScheduledExecutorService loop = Executors.newScheduledThreadPool(2, daemon("proxy-loop"));
    /** Event loops of the in-process proxies' hub clients, as in each worker. */
    private final Vertx proxyLoops = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProxyMetrics metrics = new ProxyMetrics(registry, "bench");

    private FleetBenchmark(int clusters, Duration cut, Path benchDir, Path work) {
        this.clusters = clusters;
        this.subset = Math.min(1000, clusters);
        this.cut = cut;
        this.benchDir = benchDir;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        QuietLogging.atInfo();
        // This JVM's proxies (wire probe, throughput clients) use TLS as the proxy's manifest configures it.
        RegistrationManifest.proxyTlsProperties().forEach(System::setProperty);
        var clusters = Integer.getInteger("bench.clusters", 10_000);
        var cut = Duration.ofSeconds(Long.getLong("bench.cut-seconds", 60));
        var benchDir = Path.of(System.getProperty("bench.dir", "target/bench"));
        var work = Path.of(System.getProperty("bench.work", "/dev/shm/edgebridge-bench"));
        if (!HubNetwork.available()) {
            System.err.println("The fleet benchmark needs root and iproute2 (ip netns) to cut the edge link; skipped.");
            return;
        }
        var bench = new FleetBenchmark(clusters, cut, benchDir, work);
        // Ctrl-C: the operator process and the network namespace must not outlive the benchmark.
        Runtime.getRuntime().addShutdownHook(new Thread(bench::close, "stop-fleet-benchmark"));
        try {
            bench.run();
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        deleteRecursively(work);
        Files.createDirectories(benchDir);
        System.setProperty(LocalControlPlane.WORK_PROPERTY, work.resolve("controlplane").toString());
        long started = System.nanoTime();
        cpuGroups = CpuGroups.create();
        step("Starting the central API server, the hub's network namespace and the operator");
        central = LocalControlPlane.start(LocalControlPlane.binaries(), "0.0.0.0");
        EdgeBridgeCrds.install(central.client());
        network = HubNetwork.create();
        var settings = new HashMap<String, String>();
        if (Boolean.getBoolean("bench.profile")) {
            // JFR of the whole run, for finding what to make faster (jfr print --events jdk.ExecutionSample ...).
            settings.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile");
        }
        settings.putAll(Map.of(
                OperatorProcess.MAX_HEAP, "4g",
                "EDGEBRIDGE_HUB_SERVER_NAMES", "localhost,127.0.0.1," + HubNetwork.HUB_ADDRESS,
                // Throughput is measured with many requests per identity; one proxy syncs once per long-poll.
                "EDGEBRIDGE_HUB_REQUESTS_PER_SECOND", "100000",
                "EDGEBRIDGE_HUB_REQUEST_BURST", "100000",
                "EDGEBRIDGE_OPERATOR_LAST_SEEN_INTERVAL", lastSeenInterval.toSeconds() + "s",
                "QUARKUS_LOG_LEVEL", "WARN"));
        operator = OperatorProcess.install(central, Files.createDirectories(work.resolve("operator")), settings,
                network);
        if (cpuGroups.isPresent()) {
            int moved = cpuGroups.get().adoptControlPlane();
            step("CPU: the control plane (%d processes: API server, etcd, operator) and the simulated fleet share"
                    + " the cores equally when both are busy (cgroups; -Dbench.cpu-groups=false: by thread)", moved);
        }
        results.put("cpu_groups", cpuGroups.isPresent() ? 1 : 0);
        createFleet();
        var tokens = bootstrapTokens();
        var caBundle = caBundle();
        step("Fleet of %d clusters provisioned in %d s", clusters, Duration.ofNanos(System.nanoTime() - started).toSeconds());

        // Heap per cluster is the slope between half and all of the fleet connected: what the first
        // connection costs once (classes, TLS, caches) is not per cluster.
        int half = clusters / 2;
        connectProxies(tokens, caBundle, 0, half);
        awaitQuiet();
        long heapHalf = JvmHeap.usedAfterGc(operator.pid());
        long nativeHalf = JvmHeap.residentOutsideHeap(operator.pid());
        var classesHalf = JvmHeap.histogram(operator.pid());
        connectProxies(tokens, caBundle, half, clusters);
        awaitQuiet();
        long heapAll = JvmHeap.usedAfterGc(operator.pid());
        long nativeAll = JvmHeap.residentOutsideHeap(operator.pid());
        var classesAll = JvmHeap.histogram(operator.pid());
        step("Operator heap growth by class per proxy (instances), %d more proxies: %s", clusters - half,
                JvmHeap.growth(classesHalf, classesAll, 40, clusters - half));
        // Live bytes by the class histogram: used heap after a full collection also counts the unused
        // tails of G1's humongous regions, which moved this slope by several KB from run to run.
        results.put("hub_heap_bytes_per_cluster", Math.max(0,
                (JvmHeap.totalBytes(classesAll) - JvmHeap.totalBytes(classesHalf)) / (clusters - half)));
        results.put("hub_heap_used_bytes_per_cluster", Math.max(0, (heapAll - heapHalf) / (clusters - half)));
        results.put("hub_heap_mib_idle_" + clusters, heapAll >> 20);
        // The hub's TLS (BoringSSL) keeps its per-connection state outside the Java heap: counted here.
        results.put("hub_native_bytes_per_cluster", Math.max(0, (nativeAll - nativeHalf) / (clusters - half)));
        step("Operator heap after GC: %d MiB with %d proxies connected, %d MiB with %d", heapHalf >> 20, half,
                heapAll >> 20, clusters);

        results.put("fleet_clusters", clusters);
        // Written after every stage: a later stage that fails leaves the figures measured before it.
        saveResults();
        // -Dbench.skip=idle,throughput,... leaves stages out when looking into one; "heal" leaves out the
        // fleet-wide fan-out too, whose app the heal changes.
        var skip = List.of(System.getProperty("bench.skip", "").split(","));
        if (!skip.contains("warmup")) {
            warmUp();
        }
        if (!skip.contains("fanout-subset") || clusters == subset) {
            measureFanout("fanout-" + subset, Map.of(SUBSET_LABEL, "yes"), subset, "fanout_p99_ms_" + subset);
        }
        if (clusters > subset && !skip.contains("heal")) {
            measureFanout("fanout-" + clusters, Map.of("fleet", FLEET), clusters, "fanout_p99_ms_" + clusters);
        }
        FanoutChart.write(benchDir.resolve("fanout.png"), fanoutSamples);
        saveResults();
        profileDump("after-fanout");
        awaitQuiet();
        if (!skip.contains("throughput")) {
            measureThroughput();
            saveResults();
        }
        profileDump("after-throughput");
        if (!skip.contains("heal")) {
            measureHeal("fanout-" + (clusters > subset ? clusters : subset));
            saveResults();
        }
        if (!skip.contains("idle")) {
            restartForIdle();
            measureIdle();
            saveResults();
        }
        measureConnectionHeap();
        saveResults();
        step("Done in %d s: %s", Duration.ofNanos(System.nanoTime() - started).toSeconds(), results);
    }

    /**
     * What of the heap per cluster is the connection (TLS, HTTP, the held sync) rather than the
     * fleet's objects: the heap freed when every proxy goes away.
     */
    private void measureConnectionHeap() throws Exception {
        awaitQuiet();
        long connected = JvmHeap.usedAfterGc(operator.pid());
        long nativeConnected = JvmHeap.residentOutsideHeap(operator.pid());
        var classesConnected = JvmHeap.histogram(operator.pid());
        step("Stopping every proxy: the heap their connections held");
        proxies.forEach(SimulatedProxy::close);
        for (var worker : workers) {
            worker.close();
        }
        workers.clear();
        // Closed sockets end the held syncs; give the event loops a moment to see every one.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(() -> operator.metric("edgebridge_hub_waiting_syncs") == 0
                        && operator.metric("edgebridge_hub_connections") == 0);
        long disconnected = JvmHeap.usedAfterGc(operator.pid());
        long nativeDisconnected = JvmHeap.residentOutsideHeap(operator.pid());
        var classesDisconnected = JvmHeap.histogram(operator.pid());
        step("Operator heap freed by class per proxy (instances), %d proxies gone: %s", clusters,
                JvmHeap.growth(classesDisconnected, classesConnected, 40, clusters));
        results.put("hub_heap_bytes_per_connection", Math.max(0,
                (JvmHeap.totalBytes(classesConnected) - JvmHeap.totalBytes(classesDisconnected)) / clusters));
        results.put("hub_heap_used_bytes_per_connection", Math.max(0, (connected - disconnected) / clusters));
        // Freed native memory may stay with the allocator rather than return to the system: a floor.
        results.put("hub_native_bytes_per_connection", Math.max(0, (nativeConnected - nativeDisconnected) / clusters));
        step("Operator heap after GC: %d MiB with %d proxies connected, %d MiB after they left", connected >> 20,
                clusters, disconnected >> 20);
    }

    /** Seconds between two lastSeen refreshes of an idle cluster: the first long-poll past the interval. */
    private static double refreshPeriod(Duration interval) {
        double longPoll = LONG_POLL.toSeconds();
        return Math.ceil(interval.toSeconds() / longPoll) * longPoll;
    }

    private void saveResults() throws IOException {
        BenchFiles.writeJson(benchDir.resolve("fleet.json"), results);
    }

    /** With -Dbench.profile=true: the operator's flight recording so far, for {@code jfr print}. */
    private void profileDump(String name) throws Exception {
        if (Boolean.getBoolean("bench.profile")) {
            JvmHeap.jcmd(operator.pid(), "JFR.dump filename=" + benchDir.toAbsolutePath().resolve("operator-" + name + ".jfr"));
        }
    }

    private void createFleet() throws Exception {
        var client = central.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(FLEET).endMetadata().build())
                .serverSideApply();
        step("Creating %d EdgeNodes and %d EdgeClusters", clusters, clusters);
        parallel(clusters, i -> () -> client.resource(node(i)).create());
        parallel(clusters, i -> () -> client.resource(cluster(i)).create());
    }

    private static GenericKubernetesResource node(int i) {
        return Serialization.unmarshal("""
                {"apiVersion":"edgebridge.io/v1alpha1","kind":"EdgeNode",
                 "metadata":{"name":"n-%1$05d","namespace":"%2$s","labels":{"site":"s-%1$05d"}},
                 "spec":{"serialNumber":"BENCH-%1$05d","location":{"site":"s-%1$05d"}}}
                """.formatted(i, FLEET), GenericKubernetesResource.class);
    }

    private GenericKubernetesResource cluster(int i) {
        return Serialization.unmarshal("""
                {"apiVersion":"edgebridge.io/v1alpha1","kind":"EdgeCluster",
                 "metadata":{"name":"c-%1$05d","namespace":"%2$s","labels":{"fleet":"%2$s","%3$s":"%4$s"}},
                 "spec":{"nodes":[{"name":"n-%1$05d","role":"server"}]}}
                """.formatted(i, FLEET, SUBSET_LABEL, i < subset ? "yes" : "no"), GenericKubernetesResource.class);
    }

    private Map<String, String> bootstrapTokens() {
        step("Waiting for the operator to issue %d bootstrap tokens", clusters);
        Map<String, String> tokens = new HashMap<>();
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(5)).until(() -> {
            for (var secret : central.client().secrets().inNamespace(FLEET).list().getItems()) {
                var name = secret.getMetadata().getName();
                if (name.endsWith("-bootstrap-token") && secret.getData() != null && secret.getData().get("token") != null) {
                    tokens.put(name.substring(0, name.length() - "-bootstrap-token".length()),
                            TestFleet.decode(secret.getData().get("token")));
                }
            }
            return tokens.size() >= clusters;
        });
        return tokens;
    }

    private String caBundle() {
        return TestFleet.decode(central.client().secrets().inNamespace(OperatorProcess.NAMESPACE)
                .withName("edgebridge-ca").get().getData().get("tls.crt"));
    }

    private void connectProxies(Map<String, String> tokens, String caBundle, int from, int to) throws Exception {
        step("Bootstrapping and connecting edge proxies %d to %d", from, to - 1);
        long started = System.nanoTime();
        var hub = URI.create(operator.hubUrl());
        int localTo = Math.min(to, LOCAL_PROXIES);
        for (int i = from; i < localTo; i++) {
            var name = "c-%05d".formatted(i);
            proxies.add(new SimulatedProxy(FLEET + "." + name, "n-%05d".formatted(i), hub, caBundle, tokens.get(name),
                    work.resolve("proxies").resolve(name), metrics, proxyLoops, loop, this::held));
        }
        var caFile = Files.writeString(work.resolve("ca.crt"), caBundle);
        var tokensFile = work.resolve("tokens.txt");
        Files.write(tokensFile, tokens.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
        for (int start = Math.max(from, LOCAL_PROXIES); start < to; start += PROXIES_PER_WORKER) {
            int end = Math.min(to, start + PROXIES_PER_WORKER);
            workers.add(FleetWorker.Handle.start(hub, caFile, tokensFile, start, end, work.resolve("proxies"),
                    this::held, work.resolve("worker-" + start + ".log")));
        }
        parallel(proxies.size(), i -> () -> {
            var proxy = proxies.get(i);
            if (proxy.held().epoch() == null) {
                await().atMost(Duration.ofMinutes(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions().until(() -> {
                            proxy.enroll();
                            return true;
                        });
                proxy.start();
            }
        });
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> connected() >= to);
        results.put("connect_per_s", round((to - from) / seconds(System.nanoTime() - started), 1));
        step("%d proxies enrolled and synced in %.1f s", to - from, seconds(System.nanoTime() - started));
    }

    private long connected() {
        return proxies.stream().filter(p -> p.held().epoch() != null).count()
                + workers.stream().mapToLong(w -> w.connected.get()).sum();
    }

    private long completedSyncs() {
        return proxies.stream().mapToLong(SimulatedProxy::completedSyncs).sum()
                + workers.stream().mapToLong(w -> w.syncs.get()).sum();
    }

    /** Waits until the connect-time (or rollout-time) status writes are over. */
    private void awaitQuiet() {
        step("Waiting for status writes to settle");
        var apiMetrics = new ApiServerMetrics(central.client());
        // Settled: no more writes per 10 s than the lastSeen refreshes make, with some slack.
        long refreshesPer10s = clusters * 10 / lastSeenInterval.toSeconds();
        try {
            awaitQuiet(apiMetrics, refreshesPer10s);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // The figures that follow do not depend on it; a stage that loads an already busy control
            // plane says so in its own lines.
            step("Status writes did not settle within 10 minutes (%s); going on", e.getMessage());
        }
    }

    private void awaitQuiet(ApiServerMetrics apiMetrics, long refreshesPer10s) {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(10)).ignoreExceptions()
                .until(new java.util.concurrent.Callable<>() {
            long last = -1;
            int polls;

            @Override
            public Boolean call() throws Exception {
                long now = apiMetrics.writes();
                double queued = operator.metric("edgebridge_hub_status_writes_queued");
                // The write rate alone can look settled while the hub's writers are behind.
                boolean settled = last >= 0 && now - last <= refreshesPer10s * 3 / 2 + 5 && queued == 0;
                if (!settled && ++polls % 6 == 0) {
                    step("  not settled: %d API writes in 10 s (at most %d), %.0f status writes queued",
                            last < 0 ? 0 : now - last, refreshesPer10s * 3 / 2 + 5, queued);
                }
                last = now;
                return settled;
            }
        });
    }

    /**
     * The operator again, as a rolling update would restart it, with the idle stage's short lastSeen
     * refresh; its status writes unpaced, so that the reconnected fleet's first writes settle in a
     * minute rather than queue behind the refreshes (pacing changes when a write is made, not how
     * many an idle cluster costs). The proxies come back on their own.
     */
    private void restartForIdle() throws Exception {
        step("Idle fleet: restarting the operator with a %d s lastSeen refresh (production: %d min) and unpaced"
                + " status writes", IDLE_LAST_SEEN_INTERVAL.toSeconds(), PRODUCTION_LAST_SEEN_INTERVAL.toMinutes());
        long syncsBefore = completedSyncs();
        operator.restart(Map.of("EDGEBRIDGE_OPERATOR_LAST_SEEN_INTERVAL", IDLE_LAST_SEEN_INTERVAL.toSeconds() + "s",
                "EDGEBRIDGE_HUB_STATUS_WRITES_PER_SECOND", "0"));
        lastSeenInterval = IDLE_LAST_SEEN_INTERVAL;
        if (cpuGroups.isPresent()) {
            cpuGroups.get().adoptControlPlane();
        }
        long restarted = System.nanoTime();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions()
                // A few are always between two long-polls.
                .until(() -> operator.metric("edgebridge_hub_waiting_syncs") >= clusters * 0.99);
        step("Idle fleet: 99%% of %d proxies held by the restarted operator after %d s (%d syncs meanwhile)",
                clusters, Duration.ofNanos(System.nanoTime() - restarted).toSeconds(), completedSyncs() - syncsBefore);
        awaitQuiet();
    }

    /**
     * Idle, with the apps held: API writes over two refresh periods (each cluster refreshes twice in
     * it, whatever its phase: after the restart the fleet's refreshes come in waves), bytes of one
     * idle round trip.
     */
    private void measureIdle() throws Exception {
        var apiMetrics = new ApiServerMetrics(central.client());
        var window = Duration.ofMillis(Math.round(refreshPeriod(IDLE_LAST_SEEN_INTERVAL) * 2000));
        step("Idle fleet: measuring for %d s", window.toSeconds());
        long writesBefore = apiMetrics.writes();
        var byResourceBefore = apiMetrics.writesByResource();
        long syncsBefore = completedSyncs();
        double bodyBytesBefore = bodyBytes();
        var probe = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return IdleWireProbe.measure(proxies.get(0), URI.create(operator.hubUrl()), 2);
            } catch (Exception e) {
                throw new IllegalStateException("idle wire probe: " + e.getMessage(), e);
            }
        });
        long t0 = System.nanoTime();
        await().atMost(window.plusMinutes(1)).pollDelay(window).until(() -> true);
        double elapsed = seconds(System.nanoTime() - t0);
        long writes = apiMetrics.writes() - writesBefore;
        var byResource = ApiServerMetrics.difference(byResourceBefore, apiMetrics.writesByResource());
        long syncs = completedSyncs() - syncsBefore;
        // Leader election renews its Lease whatever the fleet size: a cost per operator, not per cluster.
        long fixed = byResource.entrySet().stream().filter(e -> e.getKey().endsWith(" leases"))
                .mapToLong(Map.Entry::getValue).sum();
        double perCluster = (writes - fixed) / elapsed / clusters * 1000;
        double perOperator = fixed / elapsed;
        results.put("api_writes_per_s_per_1000_idle_at_1m_refresh", round(perCluster, 2));
        results.put("api_writes_per_s_operator_fixed", round(perOperator, 2));
        // Per cluster, the idle writes are lastSeen refreshes. A refresh rides on the first sync after
        // the interval, and an idle proxy syncs once per long-poll: the benchmark's 1 min is a refresh
        // every 110 s, the default 20 min one every 1,210 s. Writes per refresh, measured, times the
        // default's refresh rate; then the fixed writes (leases: the operator's and the API server's
        // own) spread over this fleet.
        double benchPeriod = refreshPeriod(IDLE_LAST_SEEN_INTERVAL);
        double writesPerRefresh = (writes - fixed) / (double) clusters / (elapsed / benchPeriod);
        results.put("api_writes_per_refresh_per_cluster", round(writesPerRefresh, 3));
        results.put("api_writes_per_s_per_1000_idle", round(writesPerRefresh * 1000
                / refreshPeriod(PRODUCTION_LAST_SEEN_INTERVAL) + perOperator * 1000 / clusters, 3));
        results.put("idle_syncs_measured", syncs);
        results.put("idle_body_bytes_per_sync", syncs == 0 ? 0 : round((bodyBytes() - bodyBytesBefore) / syncs, 1));
        results.putAll(IdleWireProbe.asResults(probe.get(5, TimeUnit.MINUTES)));
        step("Idle: %d API writes in %.0f s (%s), %d syncs", writes, elapsed, byResource, syncs);
    }

    /**
     * CPU time every simulated proxy spent verifying and merging answers so far; waits for a
     * progress report of each worker read after this call, which counts everything held by then.
     */
    private long fleetMergeCpuNanos() {
        var reports = workers.stream().map(w -> w.reportsRead.get()).toList();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (int i = 0; i < workers.size(); i++) {
                if (workers.get(i).reportsRead.get() <= reports.get(i)) {
                    return false;
                }
            }
            return true;
        });
        return SimulatedProxy.mergeCpuNanos() + workers.stream().mapToLong(w -> w.mergeCpuNanos.get()).sum();
    }

    /** Request and response bodies all simulated proxies exchanged with the hub so far. */
    private double bodyBytes() {
        return registry.get("edgebridge.proxy.sent").counter().count()
                + registry.get("edgebridge.proxy.received").counter().count()
                + workers.stream().mapToLong(w -> w.bodyBytes.get()).sum();
    }

    private void measureThroughput() throws Exception {
        step("Throughput: idle sync round trips against the hub and a bare endpoint");
        var clients = new ArrayList<HubClient>();
        for (int i = 0; i < Math.min(16, proxies.size()); i++) {
            clients.add(proxies.get(i).newClient());
        }
        var sample = proxies.get(0).held();
        // A stale epoch makes the hub answer at once (with nothing to change) instead of holding the request.
        var hubRps = Throughput.measure(clients.size(), Duration.ofSeconds(20), k -> clients.get(k).sync(
                proxies.get(k).cluster(), new SyncRequest(null, proxies.get(k).held().stateHash(), "stale", null)));
        results.put("hub_sync_rps", round(hubRps, 0));
        var tls = Files.createDirectories(work.resolve("bare-endpoint"));
        issueHubAddressCertificate(tls.resolve("tls.crt"), tls.resolve("tls.key"));
        try (var bare = BareEndpoint.start(sample, network, tls.resolve("tls.crt"), tls.resolve("tls.key"))) {
            var bareClients = new ArrayList<HubClient>();
            for (int i = 0; i < clients.size(); i++) {
                bareClients.add(proxies.get(i).newClient(bare.uri()));
            }
            var baseline = Throughput.measure(clients.size(), Duration.ofSeconds(20), k -> bareClients.get(k).sync(
                    proxies.get(k).cluster(), new SyncRequest(null, sample.stateHash(), "stale", null)));
            results.put("baseline_rps", round(baseline, 0));
            bareClients.forEach(HubClient::close);
        }
        // Their connections would otherwise stay open at the hub into the stages that follow.
        clients.forEach(HubClient::close);
        step("Throughput: hub %s/s, bare endpoint %s/s", results.get("hub_sync_rps"), results.get("baseline_rps"));
    }

    /** A server certificate for the hub's address from the hub's own CA (read from its Secret). */
    private void issueHubAddressCertificate(Path certificate, Path key) throws Exception {
        var secret = central.client().secrets().inNamespace(OperatorProcess.NAMESPACE).withName("edgebridge-ca").get();
        var caPem = TestFleet.decode(secret.getData().get("tls.crt"));
        var caCert = io.edgebridge.proxy.identity.Pem.certificates(caPem).get(0);
        PrivateKey caKey;
        try (var parser = new PEMParser(new StringReader(TestFleet.decode(secret.getData().get("tls.key"))))) {
            var parsed = parser.readObject();
            var converter = new JcaPEMKeyConverter();
            caKey = parsed instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) parsed);
        }
        var issued = new CertificateIssuer(new CertificateAuthority.Loaded(caCert, caKey, caPem))
                .issueServer(List.of(HubNetwork.HUB_ADDRESS), Duration.ofDays(1));
        Files.writeString(certificate, CertificateAuthority.pem(issued.certificate()));
        Files.writeString(key, io.edgebridge.proxy.identity.Pem.encode(issued.keyPair().getPrivate()));
    }

    /**
     * One fan-out to the whole fleet before any is measured, as a benchmark discards its first
     * iteration: here thousands of simulated proxies share one JVM and its JIT, so the first bundles
     * a worker verifies and merges run cold, one after another - a cost no device pays for its
     * neighbours. The operator's paths warm up too. The app stays (each proxy then holds one more).
     */
    private void warmUp() throws Exception {
        step("Warm-up: one fan-out to all %d clusters, not measured", clusters);
        long t0 = System.currentTimeMillis();
        central.client().resource(app(WARM_UP_APP, Map.of("fleet", FLEET), "1.0.0")).create();
        var revision = awaitRevision(WARM_UP_APP, null);
        awaitHolders(WARM_UP_APP, revision, clusters, Duration.ofMinutes(10));
        step("Warm-up: all %d proxies held it after %d ms", clusters, System.currentTimeMillis() - t0);
        awaitQuiet();
    }

    private void measureFanout(String app, Map<String, String> selector, int targets, String key) throws Exception {
        step("Fan-out: %s to %d clusters", app, targets);
        collectFleetGarbage();
        var cpuBefore = ProcessCpu.snapshot();
        var apiMetrics = new ApiServerMetrics(central.client());
        var writesBefore = apiMetrics.writesByResource();
        long mergeBefore = fleetMergeCpuNanos();
        long t0 = System.currentTimeMillis();
        central.client().resource(app(app, selector, "1.0.0")).create();
        var revision = awaitRevision(app, null);
        long statusAt = System.currentTimeMillis() - t0;
        awaitHolders(app, revision, targets, Duration.ofMinutes(10));
        step("Fan-out to %d: CPU used meanwhile: %s", targets, ProcessCpu.difference(cpuBefore, ProcessCpu.snapshot()));
        // The API server shares the control plane's CPU with the hub: which writes it served meanwhile.
        step("Fan-out to %d: API writes meanwhile: %s", targets,
                ApiServerMetrics.difference(writesBefore, apiMetrics.writesByResource()));
        double mergeSeconds = (fleetMergeCpuNanos() - mergeBefore) / 1e9;
        results.put("fanout_fleet_merge_cpu_s_" + targets, round(mergeSeconds, 2));
        step("Fan-out to %d: of the fleet's CPU, %.1f s verifying and merging answers (%.2f ms a proxy)", targets,
                mergeSeconds, mergeSeconds * 1000 / targets);
        var holdings = holds.get(app).get(revision).values();
        var latencies = holdings.stream().map(h -> h.heldAt() - t0).sorted().toList();
        var received = holdings.stream().map(h -> h.receivedAt() - t0).sorted().toList();
        var handled = holdings.stream().map(h -> h.handledAt() - t0).sorted().toList();
        fanoutSamples.put(targets + " clusters", latencies);
        results.put(key, percentile(latencies, 0.99));
        results.put(key.replace("p99", "p50"), percentile(latencies, 0.50));
        results.put(key.replace("p99", "max"), latencies.get(latencies.size() - 1));
        // Where the time goes: the operator's rollout status, the hub's answers arriving, the proxies' verifying.
        results.put(key.replace("fanout_p99", "fanout_status"), statusAt);
        results.put(key.replace("fanout_p99", "fanout_received_p99"), percentile(received, 0.99));
        step("Fan-out to %d: p50 %d ms, p99 %d ms, max %d ms (status with the revision seen at %d ms; answers read:"
                + " first %d, p50 %d, p99 %d ms; taken up by the proxies' loops: p50 %d, p99 %d ms)", targets,
                percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.get(latencies.size() - 1), statusAt,
                received.get(0), percentile(received, 0.5), percentile(received, 0.99), percentile(handled, 0.5),
                percentile(handled, 0.99));
        holdings.stream().sorted(java.util.Comparator.comparingLong(Holding::heldAt).reversed()).limit(3)
                .forEach(h -> step("Fan-out to %d: slow: %s asked at %d ms, read %d, taken up %d, held %d", targets,
                        h.cluster(), h.sentAt() - t0, h.receivedAt() - t0, h.handledAt() - t0, h.heldAt() - t0));
    }

    private void measureHeal(String app) throws Exception {
        var apiMetrics = new ApiServerMetrics(central.client());
        step("Heal: cutting every proxy off for %d s and changing %s meanwhile", cut.toSeconds(), app);
        var before = central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(app).get().getStatus()
                .revision();
        long listsBefore = apiMetrics.operatorLists();
        var listsByResourceBefore = apiMetrics.listsByResource();
        collectFleetGarbage();
        long cutAt = System.nanoTime();
        network.cutEdgeLink();
        central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(app).patch(
                PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("spec", Map.of("resources", List.of(Map.of("apiVersion", "v1",
                        "kind", "ConfigMap", "metadata", Map.of("name", "settings"),
                        "data", Map.of("version", "2.0.0")))))));
        var revision = awaitRevision(app, before);
        await().atMost(cut.plusMinutes(1)).pollDelay(cut.minusNanos(System.nanoTime() - cutAt).isNegative()
                ? Duration.ZERO : cut.minusNanos(System.nanoTime() - cutAt)).until(() -> true);
        long healAt = System.currentTimeMillis();
        var cpuBefore = ProcessCpu.snapshot();
        network.healEdgeLink();
        int targets = holds.get(app).get(before).size();
        var progress = loop.scheduleWithFixedDelay(() -> healProgress(app, revision, targets, healAt), 10, 10,
                TimeUnit.SECONDS);
        try {
            awaitHolders(app, revision, targets, Duration.ofMinutes(15));
        } finally {
            progress.cancel(false);
        }
        profileDump("after-heal");
        var done = holds.get(app).get(revision).values().stream().mapToLong(Holding::heldAt).max().orElse(healAt);
        step("Heal: CPU used until every proxy was current and after: %s", ProcessCpu.difference(cpuBefore,
                ProcessCpu.snapshot()));
        results.put("heal_s_" + clusters, round((done - healAt) / 1000.0, 1));
        results.put("heal_full_relists", apiMetrics.operatorLists() - listsBefore);
        step("Heal: all %d proxies current %.1f s after the link came back; LIST calls meanwhile: %s", targets,
                (done - healAt) / 1000.0, ApiServerMetrics.difference(listsByResourceBefore,
                        apiMetrics.listsByResource()));
    }

    /**
     * A full collection in every JVM of the simulated fleet before a measured stage, as JMH collects
     * between iterations: a worker's collection stops its 3,000 proxies at once, and on the fleet's
     * share of the cores one took 0.5-3 s; whether one fell into a fan-out was chance (worker GC logs).
     */
    private void collectFleetGarbage() throws IOException {
        long started = System.nanoTime();
        var before = new java.util.HashMap<FleetWorker.Handle, Long>();
        for (var worker : workers) {
            before.put(worker, worker.collections.get());
            worker.collectGarbage();
        }
        System.gc();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> before.entrySet().stream().allMatch(e -> e.getKey().collections.get() > e.getValue()));
        step("  the fleet's JVMs collected their garbage first (%d ms)",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Every 10 s of a heal: how many proxies are current, what waits in the hub, how syncs failed. */
    private void healProgress(String app, String revision, int targets, long healAt) {
        try {
            int current = holds.getOrDefault(app, Map.of()).getOrDefault(revision, Map.of()).size();
            var failures = new java.util.TreeMap<String, Long>();
            var sources = new ArrayList<String>();
            sources.add(SimulatedProxy.failures());
            workers.forEach(w -> sources.add(w.failures));
            for (var source : sources) {
                for (var entry : source.split(",")) {
                    var parts = entry.split("=");
                    if (parts.length == 2) {
                        failures.merge(parts[0], Long.parseLong(parts[1]), Long::sum);
                    }
                }
            }
            // The hub's metrics first: a busy operator answers late, and the elapsed time must say when.
            double queued = operator.metric("edgebridge_hub_requests_queued");
            double held = operator.metric("edgebridge_hub_waiting_syncs");
            double writes = operator.metric("edgebridge_hub_status_writes_queued");
            step("Heal +%d s: %d of %d current; hub: %.0f requests queued, %.0f syncs held, %.0f status writes"
                    + " queued; failed syncs so far: %s", (System.currentTimeMillis() - healAt) / 1000, current,
                    targets, queued, held, writes, failures);
        } catch (Exception e) {
            step("Heal progress unavailable: %s", e);
        }
    }

    private GenericKubernetesResource app(String name, Map<String, String> selector, String version) {
        return Serialization.unmarshal("""
                {"apiVersion":"edgebridge.io/v1alpha1","kind":"EdgeApp",
                 "metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"placement":{"clusterSelector":{"matchLabels":%s}},"targetNamespace":"bench",
                  "resources":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},
                                "data":{"version":"%s"}}]}}
                """.formatted(name, FLEET, Serialization.asJson(selector), version), GenericKubernetesResource.class);
    }

    private String awaitRevision(String app, String other) {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var current = central.client().resources(EdgeApp.class).inNamespace(FLEET).withName(app).get();
            return current == null || current.getStatus() == null ? null : current.getStatus().revision();
        }, revision -> revision != null && !revision.equals(other));
    }

    private void awaitHolders(String app, String revision, int count, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> holds
                .getOrDefault(app, Map.of()).getOrDefault(revision, Map.of()).size() >= count);
    }

    private void held(String cluster, String app, String revision, long sentAt, long receivedAt, long handledAt,
            long heldAt) {
        holds.computeIfAbsent(app, a -> new ConcurrentHashMap<>()).computeIfAbsent(revision,
                r -> new ConcurrentHashMap<>()).putIfAbsent(cluster, new Holding(cluster, sentAt, receivedAt, handledAt, heldAt));
    }

    private synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        proxies.forEach(SimulatedProxy::close);
        for (var worker : workers) {
            try {
                worker.close();
            } catch (Exception e) {
                System.err.println("Stopping a fleet worker: " + e.getMessage());
            }
        }
        loop.shutdownNow();
        proxyLoops.close();
        for (AutoCloseable closeable : new AutoCloseable[] {operator, network, central}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("Stopping " + closeable + ": " + e.getMessage());
            }
        }
        deleteRecursively(work.resolve("proxies"));
        cpuGroups.ifPresent(CpuGroups::close);
    }

    /** Runs tasks 0..n-1 on 8 threads; the first failure fails the benchmark. */
    static void parallel(int n, IntFunction<ThrowingRunnable> task) throws Exception {
        var pool = Executors.newFixedThreadPool(8, daemon("bench-setup"));
        var failure = new java.util.concurrent.atomic.AtomicReference<Exception>();
        var next = new AtomicInteger();
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < n) {
                    try {
                        task.apply(i).run();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        var count = new AtomicLong();
        return runnable -> {
            var thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double round(double value, int digits) {
        var scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private static void step(String format, Object... args) {
        System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), args.length == 0 ? format
                : String.format(format, args));
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
