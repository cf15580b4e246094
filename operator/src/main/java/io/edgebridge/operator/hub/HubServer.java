package io.edgebridge.operator.hub;

import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.sync.v1.RenewRequest;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.identity.CertificateAuthority;
import io.edgebridge.operator.identity.CertificateIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jboss.logging.Logger;

/**
 * The hub: an HTTPS server of its own for edge proxies, beside the operator's HTTP port (health,
 * metrics), so that mutual TLS applies to proxies only. Every replica serves, from its caches.
 */
@ApplicationScoped
public class HubServer {

    private static final Logger LOG = Logger.getLogger(HubServer.class);
    private static final Duration SERVER_CERTIFICATE_VALIDITY = Duration.ofDays(365);
    private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofMinutes(1);

    @Inject
    HubVertx ownVertx;

    @Inject
    HubConfig config;

    @Inject
    FleetCache fleet;

    @Inject
    CertificateAuthority authority;

    @Inject
    ClusterAuthorizer authorizer;

    @Inject
    BootstrapEndpoint bootstrap;

    @Inject
    SyncEndpoint sync;

    @Inject
    CertificateService certificates;

    @Inject
    Waiters waiters;

    @Inject
    StatusRecorder recorder;

    @Inject
    MeterRegistry metrics;

    private HttpServer server;
    private RateLimiter limiter;
    private BoundedWork work;
    private HubConfig.TlsEngine tlsEngine;
    private ConnectionLimit connections;
    private Vertx hubVertx;
    private volatile long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL.toNanos();

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        fleet.ensureStarted();
        hubVertx = ownVertx.get();
        limiter = new RateLimiter(config.requestsPerSecond(), config.requestBurst());
        work = new BoundedWork(config.maxConcurrentRequests(), config.maxQueuedRequests(),
                task -> hubVertx.executeBlocking(() -> {
                    task.run();
                    return null;
                }, false));
        var identity = new CertificateIssuer(authority.get()).issueServer(config.serverNames(),
                SERVER_CERTIFICATE_VALIDITY);
        var options = HubPipeline.withoutWebSockets(new HttpServerOptions())
                .setHost(config.host())
                .setPort(config.port())
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .addCertValue(Buffer.buffer(pem(identity.certificate())))
                        .addKeyValue(Buffer.buffer(pem(identity.keyPair().getPrivate()))))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(authority.bundlePem())))
                // Bootstrap comes without a certificate; every other route requires one.
                .setClientAuth(ClientAuth.REQUEST)
                // Gzip both ways is done by the hub (HubGzip): no compressor and decompressor per connection.
                .setIdleTimeout((int) config.longPoll().plusSeconds(30).toSeconds())
                .setSslHandshakeTimeout(config.tlsHandshakeTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (hubVertx.isNativeTransportEnabled()) {
            options.setTcpUserTimeout((int) config.unacknowledgedTimeout().toMillis());
        } else {
            LOG.warnf("No native transport (%s): connections to proxies behind a cut link stay open until the"
                    + " idle timeout", hubVertx.unavailableNativeTransportCause());
        }
        tlsEngine = HubConfig.TlsEngine.JDK;
        if (config.tlsEngine() == HubConfig.TlsEngine.OPENSSL) {
            if (OpenSSLEngineOptions.isAvailable()) {
                options.setSslEngineOptions(new OpenSSLEngineOptions());
                tlsEngine = HubConfig.TlsEngine.OPENSSL;
            } else {
                LOG.warnf("OpenSSL (netty-tcnative) is not available here (%s); the hub uses the JDK's TLS,"
                        + " which costs more CPU per handshake", io.netty.handler.ssl.OpenSsl.unavailabilityCause());
            }
        }
        connections = new ConnectionLimit(config.maxConnections().orElseGet(() -> ConnectionLimit.forDescriptors(
                maxFileDescriptors())));
        server = hubVertx.createHttpServer(options).requestHandler(this::route).connectionHandler(this::connected);
        server.listen().toCompletionStage().toCompletableFuture().join();
        metrics.gauge("edgebridge.hub.waiting.syncs", waiters, Waiters::size);
        metrics.gauge("edgebridge.hub.status.writes.queued", recorder, StatusRecorder::queuedWrites);
        metrics.gauge("edgebridge.hub.requests.queued", work, BoundedWork::queued);
        metrics.gauge("edgebridge.hub.connections", connections, ConnectionLimit::open);
        hubVertx.setPeriodic(60_000, id -> limiter.forgetIdle(System.nanoTime()));
        LOG.infof("Hub listening on https://%s:%d (epoch %s, TLS by %s)", config.host(), server.actualPort(),
                sync.epoch(), tlsEngine);
    }

    /** The TLS implementation serving proxies: the configured one, or the JDK's where OpenSSL cannot load. */
    public HubConfig.TlsEngine tlsEngine() {
        return tlsEngine;
    }

    private void connected(HttpConnection connection) {
        if (!connections.tryOpen()) {
            metrics.counter("edgebridge.hub.connections.refused").increment();
            long now = System.nanoTime();
            if (now - lastRefusalLog > REFUSAL_LOG_INTERVAL.toNanos()) {
                lastRefusalLog = now;
                LOG.warnf("Hub at its limit of %d connections (edgebridge.hub.max-connections): closing new ones;"
                        + " the proxies come back after their backoff", connections.limit());
            }
            connection.close();
            return;
        }
        connection.closeHandler(closed -> connections.closed());
        HubPipeline.trim(connection);
    }

    private static long maxFileDescriptors() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount()
                : 65_536;
    }

    /** Whether connections to silent peers end after edgebridge.hub.unacknowledged-timeout. */
    public boolean closesSilentConnections() {
        return hubVertx.isNativeTransportEnabled();
    }

    /** Proxy connections open now. */
    public int openConnections() {
        return connections.open();
    }

    /** The port the hub listens on (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** Sends a request to its call once its body is read; refuses what names no call. */
    private void route(HttpServerRequest http) {
        var route = HubRoute.of(http.path()).orElse(null);
        if (route == null || http.method() != HttpMethod.POST) {
            if (route == null) {
                HubResponses.refuse(http, 404, "the hub has no " + http.path());
            } else {
                http.response().putHeader(HttpHeaders.ALLOW, HttpMethod.POST.name());
                HubResponses.refuse(http, 405, http.path() + " takes POST only");
            }
            return;
        }
        if (route.call() != HubRoute.Call.SYNC) {
            HubResponses.closeAfterAnswer(http);
        }
        RequestBodies.read(http, config.maxRequestBytes(), body -> {
            switch (route.call()) {
                case BOOTSTRAP -> bootstrap(http, body);
                case SYNC -> sync(http, route.cluster(), body);
                case RENEW -> renew(http, route.cluster(), body);
            }
        });
    }

    private void bootstrap(HttpServerRequest http, Buffer body) {
        final BootstrapRequest request;
        try {
            request = HubJson.read(body, BootstrapRequest.class);
        } catch (HubJson.MalformedException e) {
            HubResponses.refuse(http, 400, e.getMessage());
            return;
        }
        var throttle = limiter.acquire("bootstrap:" + request.cluster() + "@" + http.remoteAddress().host(),
                System.nanoTime());
        if (throttle.isPresent()) {
            count("bootstrap", 429);
            HubResponses.retryLater(http, 429, throttle.get());
            return;
        }
        work(http, "bootstrap", () -> bootstrap.handle(http, request));
    }

    private void sync(HttpServerRequest http, String cluster, Buffer body) {
        // Before the cluster is read: a change after this makes the held sync plan again.
        long wakes = waiters.wakes();
        authorized(http, cluster, body, SyncRequest.class, "sync", (caller, request) -> sync.handle(http,
                caller.cluster(), caller.certificate(), request, wakes));
    }

    private void renew(HttpServerRequest http, String cluster, Buffer body) {
        authorized(http, cluster, body, RenewRequest.class, "renew", (caller, request) -> {
            try {
                HubResponses.json(http, HubJson.write(certificates.issue(caller.cluster(), request.csr())));
            } catch (CertificateIssuer.BadRequestException e) {
                HubResponses.refuse(http, 400, e.getMessage());
            }
        });
    }

    /** Who is calling: the cluster its certificate acts for, and that certificate's serial number (hex). */
    record Caller(io.edgebridge.api.v1alpha1.EdgeCluster cluster, String certificate) {
    }

    /** Authorizes the caller for the path's cluster, reads the body, and runs the handler as work. */
    private <T> void authorized(HttpServerRequest http, String cluster, Buffer body, Class<T> type, String route,
            java.util.function.BiConsumer<Caller, T> handler) {
        var caller = authorize(http, cluster);
        if (caller == null) {
            return;
        }
        final T request;
        try {
            request = HubJson.read(body, type);
        } catch (HubJson.MalformedException e) {
            HubResponses.refuse(http, 400, e.getMessage());
            return;
        }
        work(http, route, () -> handler.accept(caller, request));
    }

    /** The caller, after rate limiting and authorization; null when answered already. */
    private Caller authorize(HttpServerRequest http, String pathIdentity) {
        X509Certificate certificate;
        try {
            certificate = PeerCertificates.leaf(http.connection().peerCertificates()).orElse(null);
        } catch (SSLPeerUnverifiedException e) {
            certificate = null;
        }
        if (certificate == null) {
            count("sync", 401);
            HubResponses.refuse(http, 401, "a client certificate is required");
            return null;
        }
        var throttle = limiter.acquire(pathIdentity, System.nanoTime());
        if (throttle.isPresent()) {
            count("sync", 429);
            HubResponses.retryLater(http, 429, throttle.get());
            return null;
        }
        var result = authorizer.authorize(certificate, pathIdentity);
        if (result.refusal() != null) {
            count("sync", result.refusal().status());
            HubResponses.refuse(http, result.refusal().status(), result.refusal().reason());
            return null;
        }
        return new Caller(result.cluster(), certificate.getSerialNumber().toString(16));
    }

    /** Runs blocking work on a worker; a burst waits its turn, and only beyond the queue does the caller retry later. */
    private void work(HttpServerRequest http, String route, Runnable job) {
        boolean accepted = work.submit(() -> {
            if (http.response().closed()) {
                return; // the proxy gave up while it waited
            }
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Hub failed on %s %s", http.method(), http.path());
                HubResponses.error(http, 500, "internal error");
            }
        });
        if (!accepted) {
            count(route, 503);
            HubResponses.retryLater(http, 503, Duration.ofSeconds(ThreadLocalRandom.current().nextInt(1, 6)));
            return;
        }
        count(route, 0);
    }

    private void count(String route, int status) {
        metrics.counter("edgebridge.hub.requests", "route", route, "outcome", status == 0 ? "accepted"
                : Integer.toString(status)).increment();
    }

    private static String pem(Object object) {
        try {
            return CertificateAuthority.pem(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
