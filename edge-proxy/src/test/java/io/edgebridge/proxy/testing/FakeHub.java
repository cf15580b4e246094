package io.edgebridge.proxy.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.api.sync.v1.RenewRequest;
import io.edgebridge.api.sync.v1.SignedBundle;
import io.edgebridge.api.sync.v1.SyncPaths;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.api.sync.v1.SyncResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayInputStream;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * An HTTPS double of the hub for one edge cluster: bootstrap with one-time tokens, mTLS sync with
 * deltas, long-poll, acks, epochs, and injected failures (429 with Retry-After). It records what
 * proxies sent.
 */
public final class FakeHub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One sync as the hub saw it. */
    public record Recorded(Instant at, SyncRequest request, int answeredWith) {
    }

    private final TestPki pki;
    private final Vertx vertx = Vertx.vertx();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, SignedBundle> bundles = new ConcurrentHashMap<>();
    private final List<Recorded> syncs = new CopyOnWriteArrayList<>();
    /** State hashes this hub answered with, and the apps each stands for. */
    private final Map<String, Map<String, String>> states = new ConcurrentHashMap<>();
    private final Set<HttpServerRequest> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger bootstraps = new AtomicInteger();
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger gzippedRequests = new AtomicInteger();
    private volatile boolean refuseCertificates;
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicLong recordedSeq = new AtomicLong(-1);
    private volatile int throttleSeconds;
    private volatile String epoch = UUID.randomUUID().toString().substring(0, 8);
    private volatile Duration longPoll = Duration.ofMillis(300);
    private volatile int bundlesPerAnswer = Integer.MAX_VALUE;
    private volatile Duration certificateValidity = Duration.ofDays(1);
    private final HttpServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    public FakeHub(TestPki pki) {
        this(pki, 0);
    }

    public FakeHub(TestPki pki, int port) {
        this.pki = pki;
        var options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(pki.serverCertificatePem()))
                        .addKeyValue(Buffer.buffer(pki.serverKeyPem())))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caPem())))
                .setClientAuth(ClientAuth.REQUEST)
                // Responses are gzipped for clients that accept it; request bodies are decompressed
                // below, where it can be counted.
                .setCompressionSupported(true);
        server = vertx.createHttpServer(options).requestHandler(this::route);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the fake hub", e);
        }
    }

    public String url() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    public FakeHub withToken(String token) {
        tokens.add(token);
        return this;
    }

    public FakeHub longPoll(Duration duration) {
        longPoll = duration;
        return this;
    }

    /** As the hub does with a state too large for one answer: the rest follows, the state hash with the last. */
    public FakeHub bundlesPerAnswer(int count) {
        this.bundlesPerAnswer = count;
        return this;
    }

    public FakeHub certificateValidity(Duration validity) {
        certificateValidity = validity;
        return this;
    }

    /** The apps the cluster must run from now on, signed with the hub's key. */
    public void apps(AppBundle... apps) {
        var next = new TreeMap<String, SignedBundle>();
        for (var app : apps) {
            next.put(app.app(), pki.sign(app));
        }
        bundles.keySet().retainAll(next.keySet());
        bundles.putAll(next);
    }

    /** Serves the app with a signature that does not match it. */
    public void tampered(AppBundle app) {
        var genuine = pki.sign(app);
        var forged = new AppBundle(app.app(), app.revision() + "-forged", app.hash(), app.targetNamespace(),
                app.resources());
        bundles.put(app.app(), new SignedBundle(forged, genuine.signature()));
    }

    /** The next {@code count} syncs get 429 with Retry-After. */
    public void throttleNext(int count, int retryAfterSeconds) {
        throttleSeconds = retryAfterSeconds;
        throttled.set(count);
    }

    /** As if the hub restarted: it forgets recorded status and the states it named, and gets a new epoch. */
    public void forget() {
        epoch = UUID.randomUUID().toString().substring(0, 8);
        recordedSeq.set(-1);
        states.clear();
        // A restarted hub has no connections: the held requests end with a reset.
        for (var request : List.copyOf(held)) {
            if (held.remove(request)) {
                request.connection().close();
            }
        }
    }

    /** As if the hub lost its CA: every certificate issued so far is refused (401) until a new bootstrap. */
    public void refuseCertificatesUntilBootstrap() {
        refuseCertificates = true;
    }

    public int gzippedRequests() {
        return gzippedRequests.get();
    }

    public int renewals() {
        return renewals.get();
    }

    public List<Recorded> syncs() {
        return List.copyOf(syncs);
    }

    public int bootstraps() {
        return bootstraps.get();
    }

    public long recordedSeq() {
        return recordedSeq.get();
    }

    public String stateHash() {
        var known = new TreeMap<String, String>();
        bundles.forEach((app, signed) -> known.put(app, signed.bundle().hash()));
        return CanonicalJson.hash(known, 16);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void route(HttpServerRequest request) {
        boolean gzipped = "gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"));
        request.body().onSuccess(received -> {
            try {
                var body = received;
                if (gzipped) {
                    gzippedRequests.incrementAndGet();
                    try (var in = new GZIPInputStream(new ByteArrayInputStream(received.getBytes()))) {
                        body = Buffer.buffer(in.readAllBytes());
                    }
                }
                var path = request.path();
                if (path.equals(SyncPaths.BOOTSTRAP)) {
                    bootstrap(request, JSON.readValue(body.getBytes(), BootstrapRequest.class));
                } else if (path.startsWith("/sync/v1/clusters/") && path.endsWith("/sync")) {
                    sync(request, cluster(path), JSON.readValue(body.getBytes(), SyncRequest.class));
                } else if (path.startsWith("/sync/v1/clusters/") && path.endsWith("/certificate")) {
                    renew(request, cluster(path), JSON.readValue(body.getBytes(), RenewRequest.class));
                } else {
                    error(request, 404, "no such route");
                }
            } catch (Exception e) {
                error(request, 400, e.getMessage());
            }
        });
    }

    private void bootstrap(HttpServerRequest request, BootstrapRequest body) throws Exception {
        if (!tokens.remove(body.token())) {
            error(request, 401, "the bootstrap token is wrong, used or expired");
            return;
        }
        bootstraps.incrementAndGet();
        refuseCertificates = false;
        json(request, 200, certificate(body.csr()));
    }

    private void renew(HttpServerRequest request, String cluster, RenewRequest body) throws Exception {
        if (!authenticated(request, cluster)) {
            return;
        }
        renewals.incrementAndGet();
        json(request, 200, certificate(body.csr()));
    }

    private CertificateResponse certificate(String csr) {
        var validity = certificateValidity;
        return new CertificateResponse(pki.issueClient(csr, validity), pki.caPem(), pki.signingKeyPem(),
                Instant.now().plus(validity.multipliedBy(2).dividedBy(3)).toString());
    }

    private void sync(HttpServerRequest request, String cluster, SyncRequest body) throws Exception {
        if (!authenticated(request, cluster)) {
            syncs.add(new Recorded(Instant.now(), body, 401));
            return;
        }
        if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            syncs.add(new Recorded(Instant.now(), body, 429));
            request.response().putHeader("Retry-After", Integer.toString(throttleSeconds));
            error(request, 429, "too many requests");
            return;
        }
        if (body.status() != null) {
            recordedSeq.accumulateAndGet(body.status().seq(), Math::max);
        }
        if (body.known() == null && body.stateHash() != null && !states.containsKey(body.stateHash())) {
            syncs.add(new Recorded(Instant.now(), body, 409));
            error(request, 409, "unknown state: send the known apps");
            return;
        }
        syncs.add(new Recorded(Instant.now(), body, 200));
        // What the proxy holds, resolved now: like the hub, a held request keeps it.
        var known = body.known() != null ? body.known()
                : body.stateHash() == null ? Map.<String, String>of() : states.get(body.stateHash());
        var answer = answer(body, known);
        if (answer != null) {
            json(request, 200, answer);
            return;
        }
        // Long-poll: nothing new, hold the request, then answer "no change" (204 when there is nothing to acknowledge).
        held.add(request);
        vertx.setTimer(longPoll.toMillis(), id -> {
            if (!held.remove(request)) {
                return; // dropped by a "restart"
            }
            var later = answer(body, known);
            if (later != null) {
                json(request, 200, later);
            } else if (body.status() == null) {
                request.response().setStatusCode(204).end();
            } else {
                json(request, 200, new SyncResponse(stateHash(), List.of(), List.of(), ack(), epoch, 0));
            }
        });
    }

    private SyncResponse answer(SyncRequest body, Map<String, String> known) {
        var changed = new ArrayList<SignedBundle>();
        new TreeMap<>(bundles).forEach((app, signed) -> {
            if (!signed.bundle().hash().equals(known.get(app))) {
                changed.add(signed);
            }
        });
        boolean partial = changed.size() > bundlesPerAnswer;
        if (partial) {
            changed.subList(bundlesPerAnswer, changed.size()).clear();
        }
        var removed = known.keySet().stream().filter(app -> !bundles.containsKey(app)).sorted().toList();
        boolean news = !changed.isEmpty() || !removed.isEmpty() || !epoch.equals(body.epoch())
                || !stateHash().equals(body.stateHash());
        var current = new TreeMap<String, String>();
        bundles.forEach((app, signed) -> current.put(app, signed.bundle().hash()));
        states.put(stateHash(), current);
        return news ? new SyncResponse(partial ? null : stateHash(), changed, removed, ack(), epoch, 0) : null;
    }

    private Long ack() {
        long seq = recordedSeq.get();
        return seq < 0 ? null : seq;
    }

    private boolean authenticated(HttpServerRequest request, String cluster) {
        if (refuseCertificates) {
            error(request, 401, "unknown certificate");
            return false;
        }
        try {
            var chain = request.connection().peerCertificates();
            if (!chain.isEmpty() && cluster.equals(TestPki.commonName((X509Certificate) chain.get(0)))) {
                return true;
            }
        } catch (Exception noCertificate) {
            // Answered below.
        }
        error(request, 401, "a client certificate for " + cluster + " is required");
        return false;
    }

    private static String cluster(String path) {
        return path.split("/")[4];
    }

    private static void json(HttpServerRequest request, int status, Object body) {
        try {
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (Exception e) {
            request.response().setStatusCode(500).end();
        }
    }

    private static void error(HttpServerRequest request, int status, String reason) {
        json(request, status, Map.of("error", reason == null ? "" : reason));
    }
}
