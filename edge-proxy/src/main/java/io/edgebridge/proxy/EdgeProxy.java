package io.edgebridge.proxy;

import io.edgebridge.proxy.apply.Applier;
import io.edgebridge.proxy.apply.DiscoveredResourceTypes;
import io.edgebridge.proxy.apply.ResourceTypes;
import io.edgebridge.proxy.apply.ServerSideApplier;
import io.edgebridge.proxy.apply.StateEnforcer;
import io.edgebridge.proxy.config.ProxySettings;
import io.edgebridge.proxy.identity.BundleVerifier;
import io.edgebridge.proxy.identity.HubTls;
import io.edgebridge.proxy.report.AppStatusCollector;
import io.edgebridge.proxy.report.ClusterInfo;
import io.edgebridge.proxy.report.KubernetesClusterInfo;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.edgebridge.proxy.report.StatusCollector;
import io.edgebridge.proxy.report.StatusReporter;
import io.edgebridge.proxy.store.AtomicFiles;
import io.edgebridge.proxy.store.DesiredStateStore;
import io.edgebridge.proxy.store.IdentityStore;
import io.edgebridge.proxy.store.InventoryStore;
import io.edgebridge.proxy.store.StatusStore;
import io.edgebridge.proxy.sync.Backoff;
import io.edgebridge.proxy.sync.Enrollment;
import io.edgebridge.proxy.sync.HubClient;
import io.edgebridge.proxy.sync.SyncLoop;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * One edge proxy: plain Java, wired by constructor, so that tests can run several in one JVM. The
 * Quarkus application creates one with the cluster's Kubernetes client ({@code EdgeProxyService}).
 *
 * <p>On {@link #start()} it loads the last desired state from its state directory and enforces it
 * before and independently of any contact with the hub; then it syncs with the hub.
 */
public final class EdgeProxy implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EdgeProxy.class);

    private final ProxySettings settings;
    private final Enrollment enrollment;
    private final DesiredStateStore desired;
    private final ProxyMetrics metrics;
    private final EnforcementLoop enforcement;
    private final SyncLoop sync;
    /** Closed with the proxy when the proxy made it (no {@link Builder#vertx} given). */
    private final Vertx ownVertx;
    private volatile boolean started;
    private volatile boolean closed;

    private EdgeProxy(Builder builder) {
        this.settings = builder.settings;
        var stateDirectory = settings.stateDirectory();
        this.metrics = new ProxyMetrics(builder.registry, settings.cluster());
        this.desired = new DesiredStateStore(stateDirectory);
        StatusReporter reporter;
        try {
            AtomicFiles.ensureDirectory(stateDirectory);
            reporter = new StatusReporter(new StatusStore(stateDirectory));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the state directory " + stateDirectory, e);
        }
        this.ownVertx = builder.vertx == null ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)) : null;
        var vertx = builder.vertx == null ? ownVertx : builder.vertx;
        var timeouts = new HubClient.Timeouts(settings.connectTimeout(), settings.requestTimeout());
        Function<HubTls, HubClient> hubClients = tls -> new HubClient(vertx, settings.hubUrl(), tls, timeouts,
                metrics);
        this.enrollment = new Enrollment(settings.cluster(), new IdentityStore(stateDirectory), settings.bootstrap(),
                hubClients, builder.clock, settings.refusalPause());
        var enforcer = new StateEnforcer(builder.applier, builder.types, new InventoryStore(stateDirectory));
        var status = new StatusCollector(new AppStatusCollector(builder.applier), builder.clusterInfo,
                enrollment::current, settings.proxyVersion());
        this.enforcement = new EnforcementLoop(settings.cluster(), enforcer, desired, status, reporter, metrics,
                this::statusChanged, settings.driftInterval(), settings.statusInterval(), builder.clock);
        this.sync = new SyncLoop(settings.cluster(), enrollment, desired, reporter, metrics,
                new Backoff(settings.backoffBase(), settings.backoffCap(), settings.refusalPause(), builder.random),
                hubClients, this::desiredStateChanged, builder.clock, settings.requestTimeout());
    }

    // The two loops call each other; these run only after construction, when both exist.
    private void statusChanged() {
        sync.nudge();
    }

    private void desiredStateChanged() {
        enforcement.requestEnforce();
    }

    public static Builder builder(ProxySettings settings) {
        return new Builder(settings);
    }

    /** Loads what is on disk, starts enforcing it, and starts syncing with the hub. Returns at once. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        LOG.infof("Edge proxy for cluster %s starting (hub %s, state in %s)", settings.cluster(), settings.hubUrl(),
                settings.stateDirectory());
        try {
            var identity = enrollment.load();
            if (identity.isPresent()) {
                var state = desired.load(new BundleVerifier(identity.get().bundleSigningKey()));
                state.ifPresent(s -> LOG.infof("Loaded desired state %s (%d apps) from disk; enforcing it now",
                        Objects.requireNonNullElse(s.stateHash(), "(incomplete)"), s.bundles().size()));
                state.ifPresent(s -> metrics.rejectedBundles(s.withheld().size()));
            }
        } catch (IOException e) {
            // Start anyway: the hub re-sends the desired state, and enforcement waits for it.
            LOG.errorf("Cannot read the state directory %s: %s", settings.stateDirectory(), e.getMessage());
        }
        enforcement.start();
        sync.start();
    }

    public ProxyHealth health() {
        return new ProxyHealth(sync.alive() && enforcement.alive(), enforcement.appliedOnce(),
                metrics.isConnected(), enforcement.appliedStateHash());
    }

    public String cluster() {
        return settings.cluster();
    }

    /** Stops syncing and enforcing; what is applied stays as it is. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sync.close();
        enrollment.close();
        enforcement.close();
        metrics.close();
        if (ownVertx != null) {
            ownVertx.close();
        }
        LOG.infof("Edge proxy for cluster %s stopped", settings.cluster());
    }

    /** How to make an {@link EdgeProxy}: the local cluster, metrics, and for tests, time and randomness. */
    public static final class Builder {
        private final ProxySettings settings;
        private Applier applier;
        private ResourceTypes types;
        private ClusterInfo clusterInfo;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = new Random();
        private Vertx vertx;

        private Builder(ProxySettings settings) {
            this.settings = Objects.requireNonNull(settings);
        }

        /** The local cluster: server-side apply, discovery and node status through this client. */
        public Builder kubernetes(KubernetesClient client) {
            this.types = new DiscoveredResourceTypes(client);
            this.applier = new ServerSideApplier(client, types);
            this.clusterInfo = new KubernetesClusterInfo(client);
            return this;
        }

        /** Another way to reach the cluster (an in-memory one in tests). */
        public Builder cluster(Applier applier, ResourceTypes types, ClusterInfo clusterInfo) {
            this.applier = applier;
            this.types = types;
            this.clusterInfo = clusterInfo;
            return this;
        }

        /** The event loops for calls to the hub (the application's); without it the proxy runs its own. */
        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public EdgeProxy build() {
            if (applier == null) {
                throw new IllegalStateException("no cluster: call kubernetes(client) or cluster(...)");
            }
            return new EdgeProxy(this);
        }
    }
}
