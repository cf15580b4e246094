package io.edgebridge.proxy.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.api.sync.v1.RenewRequest;
import io.edgebridge.api.sync.v1.SyncGzip;
import io.edgebridge.api.sync.v1.SyncPaths;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.proxy.identity.HubTls;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.edgebridge.proxy.store.StateJson;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * HTTPS calls to the hub's sync API (JSON, gzip both ways). One instance per TLS identity: the
 * bootstrap client authenticates the hub only, the others also present the device certificate;
 * {@link #close()} the one a new identity replaces.
 *
 * <p>Vert.x's client, on the event loops the proxy already runs, rather than the JDK's: measured
 * on the 2-core machine against one TLS endpoint, the JDK client spent 1.1-1.5 ms of CPU per
 * round trip and Vert.x 0.16-0.32 ms, which is CPU a small device keeps for its workloads.
 */
public final class HubClient {

    /** Bodies below this are sent as they are: gzip costs more than it saves on tiny requests. */
    static final int GZIP_ABOVE_BYTES = 1024;
    private static final String USER_AGENT = "edgebridge-proxy";
    /** Never accept more than this, however large the heap. */
    static final int MAX_RESPONSE_CEILING = 64 * 1024 * 1024;
    /**
     * Heap per byte of response that the proxy may need while it parses, verifies and stores a
     * state: measured at up to 14 for bundles of many small fields (JSON tree, bundle records and
     * the stored copy exist at once), plus what the proxy itself holds (see ProxyFootprintBenchmark).
     */
    static final int HEAP_PER_RESPONSE_BYTE = 20;

    /**
     * @param connect to open a connection, and again for its TLS handshake
     * @param request longest the hub may stay silent in a call: for a long-poll, the whole hold
     */
    public record Timeouts(Duration connect, Duration request) {
        public Timeouts {
            for (var timeout : new Duration[] {connect, request}) {
                if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                    throw new IllegalArgumentException("hub call timeouts must be positive: " + timeout);
                }
            }
        }
    }

    private final URI base;
    private final long requestTimeoutMillis;
    private final ProxyMetrics metrics;
    private final HttpClient http;
    /** Larger (decompressed) responses are refused rather than exhausting the heap: see {@link #maxResponseBytes}. */
    private final int maxResponseBytes;
    // Set when the hub refused a gzip body (415); from then on this client sends plain JSON.
    private volatile boolean plainBodies;

    /**
     * @param vertx whose event loops carry the calls: the proxy's own, or one shared by many
     *     simulated proxies (the fleet benchmark), whose clients then cost no thread each
     * @param tls what to trust and present; may be null for a plain-HTTP hub (tests, probes)
     */
    public HubClient(Vertx vertx, URI base, HubTls tls, Timeouts timeouts, ProxyMetrics metrics) {
        this(vertx, base, tls, timeouts, metrics, maxResponseBytes(Runtime.getRuntime().maxMemory()));
    }

    HubClient(Vertx vertx, URI base, HubTls tls, Timeouts timeouts, ProxyMetrics metrics, int maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
        this.base = base;
        this.requestTimeoutMillis = timeouts.request().toMillis();
        this.metrics = metrics;
        var options = new HttpClientOptions()
                // HTTP/1.1: one long-poll per connection, as NAT gateways and proxies on the way expect.
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()))
                // A hub that accepts TCP and never finishes TLS fails at the connect timeout too.
                .setSslHandshakeTimeout(timeouts.connect().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                // Gzip is decoded here, under the response limit, not by the client.
                .setDecompressionSupported(false)
                .setMaxRedirects(0);
        if ("https".equalsIgnoreCase(base.getScheme())) {
            if (tls == null) {
                throw new IllegalArgumentException("an https hub needs TLS settings: " + base);
            }
            options.setSsl(true)
                    .setVerifyHost(true)
                    .setTrustOptions(TrustOptions.wrap(tls.trust()));
            if (tls.keys() != null) {
                options.setKeyCertOptions(KeyCertOptions.wrap(tls.keys()));
            }
        }
        // One connection: a call starts the moment the last one's answer is read, before Vert.x has
        // put that connection back in its pool, and with room for more the pool opened a second
        // one. The proxy then kept two TLS connections at the hub, used in turn, each idle for less
        // than the keep-alive timeout: twice the hub's descriptors and connection heap per proxy.
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(1));
    }

    /** Releases this client's connections; calls in progress fail. */
    public void close() {
        http.close();
    }

    /**
     * The largest response a heap of {@code maxHeapBytes} can take: a twentieth of it (8 MiB for
     * -Xmx160m), at most {@value #MAX_RESPONSE_CEILING} bytes. A larger state is refused with a clear
     * error, and the proxy keeps enforcing the one it has, instead of failing with OutOfMemoryError
     * on every start.
     */
    public static int maxResponseBytes(long maxHeapBytes) {
        return (int) Math.min(MAX_RESPONSE_CEILING, maxHeapBytes / HEAP_PER_RESPONSE_BYTE);
    }

    /** What came back: the status, the body as sent (gzip or not) and the two headers the proxy reads. */
    record HubResponse(int statusCode, byte[] body, String contentEncoding, String retryAfter) {
    }

    /** A call in progress; {@link #cancel()} aborts it (the waiting thread gets a CancellationException). */
    public static final class Call<T> {
        private final CompletableFuture<HubResponse> future = new CompletableFuture<>();
        private final ResponseReader<T> reader;
        private final URI target;
        private volatile HttpClientRequest request;

        Call(URI target, ResponseReader<T> reader) {
            this.target = target;
            this.reader = reader;
        }

        public T await() throws HubException, InterruptedException {
            HubResponse response;
            try {
                response = future.get();
            } catch (InterruptedException e) {
                cancel();
                throw e;
            } catch (ExecutionException e) {
                throw failure(target, e.getCause());
            }
            return reader.read(response);
        }

        public void cancel() {
            future.cancel(true);
            var started = request;
            if (started != null) {
                started.reset();
            }
        }

        /**
         * The outcome without holding a thread while the hub holds the request: completes, on the
         * client's event loop, with the result, or exceptionally with a {@link HubException} (or a
         * CancellationException).
         */
        public CompletableFuture<T> toFuture() {
            var result = new CompletableFuture<T>();
            future.whenComplete((response, error) -> {
                if (error != null) {
                    var cause = error instanceof CompletionException ? error.getCause() : error;
                    try {
                        result.completeExceptionally(failure(target, cause));
                    } catch (CancellationException cancelled) {
                        result.completeExceptionally(cancelled);
                    }
                    return;
                }
                try {
                    result.complete(reader.read(response));
                } catch (HubException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        }

        /** False when the call was cancelled before its request existed: the request is dropped. */
        private boolean started(HttpClientRequest started) {
            request = started;
            if (future.isDone()) {
                started.reset();
                return false;
            }
            return true;
        }

        private void fail(Throwable cause) {
            future.completeExceptionally(cause);
        }

        private void complete(HubResponse response) {
            future.complete(response);
        }

        private static HubException failure(URI target, Throwable cause) {
            if (cause instanceof CancellationException cancelled) {
                throw cancelled;
            }
            if (cause instanceof HubException hub) {
                return hub;
            }
            var hub = target.getScheme() + "://" + target.getAuthority();
            if (cause instanceof java.util.concurrent.TimeoutException || cause instanceof ConnectTimeoutException
                    || cause instanceof SslHandshakeTimeoutException) {
                return HubException.unreachable(hub + " did not answer in time (" + cause.getMessage() + ")", cause);
            }
            var message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return HubException.unreachable("cannot reach " + hub + ": " + message, cause);
        }
    }

    @FunctionalInterface
    interface ResponseReader<T> {
        T read(HubResponse response) throws HubException;
    }

    public CertificateResponse bootstrap(BootstrapRequest request) throws HubException, InterruptedException {
        return post(SyncPaths.BOOTSTRAP, request, response -> json(response, CertificateResponse.class)).await();
    }

    public CertificateResponse renew(String cluster, RenewRequest request) throws HubException, InterruptedException {
        return post(SyncPaths.renew(cluster), request, response -> json(response, CertificateResponse.class)).await();
    }

    /** Starts a sync; the hub may hold it up to its long-poll time. */
    public Call<SyncReply> sync(String cluster, SyncRequest request) {
        return post(SyncPaths.sync(cluster), request, response -> syncReply(response, request));
    }

    private <T> Call<T> post(String path, Object body, ResponseReader<T> reader) {
        byte[] json;
        try {
            json = StateJson.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var target = base.resolve(path);
        boolean gzipped = !plainBodies && json.length > GZIP_ABOVE_BYTES;
        var payload = gzipped ? gzip(json) : json;
        var call = new Call<T>(target, response -> {
            if (gzipped && response.statusCode() == 415) {
                plainBodies = true;
            }
            return reader.read(response);
        });
        // Headers travel on every long-poll: only those the hub needs (no Accept: it speaks JSON only).
        var options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.toString())
                // The hub sends nothing while it holds a long-poll: silence this long ends the call.
                .setIdleTimeout(requestTimeoutMillis)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.USER_AGENT, USER_AGENT)
                .putHeader(HttpHeaders.ACCEPT_ENCODING, "gzip");
        if (gzipped) {
            options.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        metrics.sent(payload.length);
        http.request(options).onComplete(opened -> {
            if (opened.failed()) {
                call.fail(opened.cause());
                return;
            }
            var request = opened.result();
            if (!call.started(request)) {
                return;
            }
            request.send(Buffer.buffer(payload)).onComplete(answered -> {
                if (answered.failed()) {
                    call.fail(answered.cause());
                } else {
                    read(request, answered.result(), call);
                }
            });
        });
        return call;
    }

    /** Collects the body, refusing (and resetting the call) once it passes the limit. */
    private void read(HttpClientRequest request, HttpClientResponse response, Call<?> call) {
        var declared = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parsesAbove(declared, maxResponseBytes)) {
            call.fail(tooLarge(response.statusCode()));
            request.reset();
            return;
        }
        var body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > maxResponseBytes) {
                call.fail(tooLarge(response.statusCode()));
                request.reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(call::fail);
        response.endHandler(end -> call.complete(new HubResponse(response.statusCode(), body.getBytes(),
                response.getHeader(HttpHeaders.CONTENT_ENCODING), response.getHeader("Retry-After"))));
    }

    private static boolean parsesAbove(String number, long limit) {
        try {
            return Long.parseLong(number.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private <T> T json(HubResponse response, Class<T> type) throws HubException {
        var body = successBody(response);
        try {
            return StateJson.MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new HubException(response.statusCode(), "the hub sent an unreadable " + type.getSimpleName()
                    + ": " + e.getMessage(), null, e);
        }
    }

    private SyncReply syncReply(HubResponse response, SyncRequest request) throws HubException {
        if (response.statusCode() == 204) {
            // The long-poll ended with nothing new: the proxy's state is still the hub's.
            metrics.received(0);
            return new SyncReply(request.stateHash(), List.of(), List.of(), null, request.epoch(), 0);
        }
        var body = successBody(response);
        try {
            var root = StateJson.MAPPER.readTree(body);
            var changed = new ArrayList<SignedContent>();
            for (var entry : root.path("changed")) {
                changed.add(new SignedContent(entry.get("bundle"), text(entry, "signature")));
            }
            var removed = new ArrayList<String>();
            for (var app : root.path("removed")) {
                removed.add(app.asText());
            }
            return new SyncReply(text(root, "stateHash"), changed, removed,
                    root.hasNonNull("ack") ? root.get("ack").asLong() : null, text(root, "epoch"),
                    root.hasNonNull("pollAfterSeconds") ? root.get("pollAfterSeconds").asInt() : null);
        } catch (IOException e) {
            throw new HubException(response.statusCode(), "the hub sent an unreadable sync response: "
                    + e.getMessage(), null, e);
        }
    }

    /** The decoded body of a 200; anything else becomes a {@link HubException} with the hub's reason. */
    private byte[] successBody(HubResponse response) throws HubException {
        metrics.received(response.body().length);
        byte[] body = decoded(response);
        if (response.statusCode() == 200) {
            return body;
        }
        var retryAfter = response.retryAfter() == null ? null : RetryAfter.parse(response.retryAfter()).orElse(null);
        throw new HubException(response.statusCode(), "the hub answered " + response.statusCode() + reason(body),
                retryAfter, null);
    }

    private byte[] decoded(HubResponse response) throws HubException {
        var body = response.body();
        if (!"gzip".equalsIgnoreCase(response.contentEncoding())) {
            return body;
        }
        try {
            return SyncGzip.unpack(body, maxResponseBytes).orElseThrow(() -> tooLarge(response.statusCode()));
        } catch (IOException e) {
            throw new HubException(response.statusCode(), "the hub sent a broken gzip body", null, e);
        }
    }

    private HubException tooLarge(int status) {
        return new HubException(status, "the hub's response exceeds " + maxResponseBytes
                + " bytes, the most this proxy's heap (" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB) can take; give it a larger -Xmx (and memory limit) to take larger states", null, null);
    }

    private static String reason(byte[] body) {
        try {
            var error = StateJson.MAPPER.readTree(body).path("error");
            return error.isTextual() ? ": " + error.asText() : "";
        } catch (IOException | RuntimeException notJson) {
            return "";
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    static byte[] gzip(byte[] content) {
        return SyncGzip.pack(content);
    }
}
