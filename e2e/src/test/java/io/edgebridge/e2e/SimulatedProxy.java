package io.edgebridge.e2e;

import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.api.sync.v1.NodeState;
import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.proxy.config.BootstrapSource;
import io.edgebridge.proxy.config.ProxySettings;
import io.edgebridge.proxy.identity.BundleVerifier;
import io.edgebridge.proxy.identity.HubTls;
import io.edgebridge.proxy.identity.TlsContexts;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.edgebridge.proxy.store.DesiredState;
import io.edgebridge.proxy.store.IdentityStore;
import io.edgebridge.proxy.sync.Backoff;
import io.edgebridge.proxy.sync.DesiredStateUpdate;
import io.edgebridge.proxy.sync.Enrollment;
import io.edgebridge.proxy.sync.HubClient;
import io.edgebridge.proxy.sync.HeldAppsRule;
import io.edgebridge.proxy.sync.HubException;
import io.edgebridge.proxy.sync.SyncReply;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An edge proxy of the fleet benchmark: the proxy's own enrollment, hub client, bundle
 * verification and desired-state merge, driven by callbacks instead of a thread that waits while
 * the hub holds the sync (ten thousand of those would not fit in one JVM). Its cluster is a light
 * in-memory one: what it holds counts as applied and ready at once, and it reports so.
 */
final class SimulatedProxy {

    /**
     * Told when a proxy first holds an app at a revision: when the answer bringing it had been read
     * and parsed, when the proxy's loop took it up, and when it was verified and merged (held).
     */
    interface Observer {
        void holds(String cluster, String app, String revision, long sentMillis, long receivedMillis,
                long handledMillis, long heldMillis);
    }

    private final String cluster;
    private final List<NodeState> nodes;
    private final URI hub;
    private final Enrollment enrollment;
    private final ProxyMetrics metrics;
    private final HubClient.Timeouts timeouts;
    private final Vertx vertx;
    private final ScheduledExecutorService loop;
    private final Observer observer;
    private final Backoff backoff;
    private static final AtomicLong BROKEN = new AtomicLong();
    /** Failed syncs of every proxy in this JVM, by kind (HTTP status or exception): where a heal's time goes. */
    private static final Map<String, java.util.concurrent.atomic.LongAdder> FAILURES =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** CPU time the proxies in this JVM spent verifying and merging answers: where a fan-out's fleet CPU goes. */
    private static final java.util.concurrent.atomic.LongAdder MERGE_CPU_NANOS =
            new java.util.concurrent.atomic.LongAdder();
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private final AtomicLong completed = new AtomicLong();
    private HubClient client;
    private BundleVerifier verifier;
    private volatile DesiredState held = DesiredState.empty();
    private StatusReport current;
    private StatusReport pending;
    private long seq;
    private final HeldAppsRule heldApps = new HeldAppsRule();
    private volatile boolean closed;
    private volatile HubClient.Call<SyncReply> inFlight;

    SimulatedProxy(String cluster, String node, URI hub, String caBundle, String token, Path stateDirectory, ProxyMetrics metrics,
            Vertx vertx, ScheduledExecutorService loop, Observer observer) {
        this.cluster = cluster;
        this.nodes = List.of(new NodeState(node, true, "v1.33.4+k3s1", "14.5.1", Map.of("cpu", "4", "memory", "8Gi")));
        this.hub = hub;
        this.metrics = metrics;
        this.vertx = vertx;
        this.loop = loop;
        this.observer = observer;
        var bootstrap = BootstrapSource.of(cluster, hub.toString(), caBundle, token);
        // The proxy's production backoff: 1 s doubling to 30 s, full jitter.
        var production = ProxySettings.defaults(cluster, hub, stateDirectory, bootstrap);
        this.backoff = new Backoff(production.backoffBase(), production.backoffCap(), production.refusalPause(),
                new Random());
        this.timeouts = new HubClient.Timeouts(production.connectTimeout(), production.requestTimeout());
        this.enrollment = new Enrollment(cluster, new IdentityStore(stateDirectory), bootstrap, this::hubClient,
                Clock.systemUTC(), Duration.ofSeconds(30));
    }

    String cluster() {
        return cluster;
    }

    /** Bootstraps with the one-time token (blocking): key, CSR, certificate. */
    void enroll() throws Exception {
        var identity = enrollment.ensure();
        client = hubClient(TlsContexts.mutual(identity));
        verifier = new BundleVerifier(identity.bundleSigningKey());
        report();
    }

    /** A client of the same identity for other traffic (the throughput measurement). */
    HubClient newClient() throws Exception {
        return newClient(hub);
    }

    /** A client of the same identity to another address of the hub (through a probe on the way). */
    HubClient newClient(URI address) throws Exception {
        return new HubClient(vertx, address, TlsContexts.mutual(enrollment.current().orElseThrow()), timeouts,
                metrics);
    }

    javax.net.ssl.SSLContext tls() throws Exception {
        return TlsContexts.mutual(enrollment.current().orElseThrow()).sslContext();
    }

    Vertx vertx() {
        return vertx;
    }

    void start() {
        execute(this::sync);
    }

    DesiredState held() {
        return held;
    }

    /** Sync round trips that got an answer. */
    long completedSyncs() {
        return completed.get();
    }

    void close() {
        closed = true;
        var call = inFlight;
        if (call != null) {
            call.cancel();
        }
        if (client != null) {
            client.close();
        }
    }

    private HubClient hubClient(HubTls tls) {
        return new HubClient(vertx, hub, tls, timeouts, metrics);
    }

    private void sync() {
        if (closed) {
            return;
        }
        var state = held;
        long sentAt = System.currentTimeMillis();
        var call = client.sync(cluster, heldApps.request(state, pending));
        inFlight = call;
        var receivedAt = new AtomicLong();
        call.toFuture().whenComplete((reply, error) -> receivedAt.set(System.currentTimeMillis()))
                .whenCompleteAsync((reply, error) -> {
                    try {
                        answered(state, reply, error, sentAt, receivedAt.get());
                    } catch (RuntimeException e) {
                        // A proxy whose loop died would look like a slow hub: say so, and keep it syncing.
                        if (BROKEN.getAndIncrement() == 0) {
                            System.err.println("Simulated proxy " + cluster + " failed handling a sync answer:");
                            e.printStackTrace();
                        }
                        schedule(backoff.next());
                    }
                }, loop);
    }

    private void answered(DesiredState state, SyncReply reply, Throwable error, long sentAt, long receivedAt) {
        long handledAt = System.currentTimeMillis();
        var spent = Duration.ofMillis(receivedAt - sentAt);
        inFlight = null;
        if (closed) {
            return;
        }
        if (error instanceof HubException hubError && heldApps.listAsked(hubError)) {
            schedule(Duration.ZERO);
            return;
        }
        if (error != null) {
            FAILURES.computeIfAbsent(failureKind(error), k -> new java.util.concurrent.atomic.LongAdder()).increment();
            // As the proxy's SyncLoop: the time the failed call took counts toward the backoff.
            var delay = error instanceof HubException hubError ? backoff.next(hubError.retryAfter(), spent)
                    : error instanceof CancellationException ? Duration.ZERO : backoff.next();
            schedule(delay);
            return;
        }
        completed.incrementAndGet();
        backoff.reset();
        heldApps.answered();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        var update = DesiredStateUpdate.merge(state, reply, verifier);
        MERGE_CPU_NANOS.add(THREADS.getCurrentThreadCpuTime() - cpuBefore);
        if (update.changed()) {
            var before = state.appBundles().stream().collect(HashMap<String, String>::new,
                    (map, b) -> map.put(b.app(), b.revision()), Map::putAll);
            held = update.state();
            long now = System.currentTimeMillis();
            for (var bundle : held.appBundles()) {
                if (!bundle.revision().equals(before.get(bundle.app()))) {
                    observer.holds(cluster, bundle.app(), bundle.revision(), sentAt, receivedAt, handledAt, now);
                }
            }
            report();
        }
        if (!Objects.equals(reply.epoch(), state.epoch())) {
            pending = current;
        }
        if (pending != null && reply.ack() != null && reply.ack() >= pending.seq()) {
            pending = null;
        }
        schedule(Duration.ofSeconds(reply.pollAfterSeconds() == null ? 0 : Math.max(0, reply.pollAfterSeconds())));
    }

    private static String failureKind(Throwable error) {
        if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof HubException hubError) {
            if (hubError.status() > 0) {
                return "http-" + hubError.status();
            }
            var cause = hubError.getCause();
            return cause == null ? "unreachable" : cause.getClass().getSimpleName();
        }
        return error.getClass().getSimpleName();
    }

    /** CPU nanoseconds the proxies in this JVM spent verifying and merging answers so far. */
    static long mergeCpuNanos() {
        return MERGE_CPU_NANOS.sum();
    }

    /** Failed syncs so far of the proxies in this JVM, by kind, as {@code kind=count,...}. */
    static String failures() {
        var text = new StringBuilder();
        new java.util.TreeMap<>(FAILURES).forEach((kind, count) -> text.append(text.length() == 0 ? "" : ",")
                .append(kind).append('=').append(count.sum()));
        return text.toString();
    }

    /** Everything held is applied and ready: the light cluster has nothing to wait for. */
    private void report() {
        var apps = held.appBundles().stream()
                .map(b -> new AppState(b.app(), b.revision(), b.hash(), true, false, null)).toList();
        current = new StatusReport(++seq, "bench", "v1.33.4+k3s1", held.stateHash(), null, apps, nodes);
        pending = current;
    }

    private void schedule(Duration delay) {
        try {
            if (delay.isZero()) {
                loop.execute(this::sync);
            } else {
                loop.schedule(this::sync, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException stopping) {
            // the benchmark is shutting down
        }
    }

    private void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopping) {
            // the benchmark is shutting down
        }
    }
}
