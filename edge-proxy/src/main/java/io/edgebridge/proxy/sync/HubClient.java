package io.edgebridge.proxy.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.api.sync.v1.RenewRequest;
import io.edgebridge.api.sync.v1.SyncPaths;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.edgebridge.proxy.store.StateJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * HTTPS calls to the hub's sync API (JSON, gzip both ways). One instance per TLS identity: the
 * bootstrap client authenticates the hub only, the others also present the device certificate.
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
     * @param connect to open a connection: TCP and, in JDK 17, the TLS handshake as well
     * @param request longest a whole call may take, the hub's long-poll included
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
    private final Duration requestTimeout;
    private final ProxyMetrics metrics;
    private final HttpClient http;
    /** Larger (decompressed) responses are refused rather than exhausting the heap: see {@link #maxResponseBytes}. */
    private final int maxResponseBytes;
    // Set when the hub refused a gzip body (415); from then on this client sends plain JSON.
    private volatile boolean plainBodies;

    public HubClient(URI base, SSLContext tls, Timeouts timeouts, ProxyMetrics metrics) {
        this(base, tls, timeouts, metrics, null);
    }

    /**
     * @param executor runs response handling; null gives the client its own. Many simulated proxies
     *     in one JVM (the fleet benchmark) share one, so their threads stay few.
     */
    public HubClient(URI base, SSLContext tls, Timeouts timeouts, ProxyMetrics metrics, Executor executor) {
        this(base, tls, timeouts, metrics, executor, maxResponseBytes(Runtime.getRuntime().maxMemory()));
    }

    HubClient(URI base, SSLContext tls, Timeouts timeouts, ProxyMetrics metrics, int maxResponseBytes) {
        this(base, tls, timeouts, metrics, null, maxResponseBytes);
    }

    private HubClient(URI base, SSLContext tls, Timeouts timeouts, ProxyMetrics metrics, Executor executor,
            int maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
        this.base = base;
        this.requestTimeout = timeouts.request();
        this.metrics = metrics;
        var builder = HttpClient.newBuilder();
        if (executor != null) {
            builder.executor(executor);
        }
        this.http = builder
                .sslContext(tls)
                // HTTP/1.1: one long-poll per connection, as NAT gateways and proxies on the way expect.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
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

    /** A call in progress; {@link #cancel()} aborts it (the waiting thread gets a CancellationException). */
    public static final class Call<T> {
        private final CompletableFuture<HttpResponse<byte[]>> future;
        private final ResponseReader<T> reader;

        private final URI target;

        Call(URI target, CompletableFuture<HttpResponse<byte[]>> future, ResponseReader<T> reader) {
            this.target = target;
            this.future = future;
            this.reader = reader;
        }

        public T await() throws HubException, InterruptedException {
            HttpResponse<byte[]> response;
            try {
                response = future.get();
            } catch (InterruptedException e) {
                future.cancel(true);
                throw e;
            } catch (ExecutionException e) {
                throw failure(target, e.getCause());
            }
            return reader.read(response);
        }

        public void cancel() {
            future.cancel(true);
        }

        /**
         * The outcome without holding a thread while the hub holds the request: completes with the
         * result, or exceptionally with a {@link HubException} (or a CancellationException).
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

        private static HubException failure(URI target, Throwable cause) {
            if (cause instanceof CancellationException cancelled) {
                throw cancelled;
            }
            var hub = target.getScheme() + "://" + target.getAuthority();
            if (cause instanceof HttpTimeoutException) {
                return HubException.unreachable(hub + " did not answer in time", cause);
            }
            var message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return HubException.unreachable("cannot reach " + hub + ": " + message, cause);
        }
    }

    @FunctionalInterface
    interface ResponseReader<T> {
        T read(HttpResponse<byte[]> response) throws HubException;
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
        var request = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                // Headers travel on every long-poll: only those the hub needs (no Accept: it speaks JSON only).
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "gzip");
        boolean gzipped = !plainBodies && json.length > GZIP_ABOVE_BYTES;
        var payload = gzipped ? gzip(json) : json;
        if (gzipped) {
            request.header("Content-Encoding", "gzip");
        }
        metrics.sent(payload.length);
        var future = http.sendAsync(request.POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Call<>(target, future, response -> {
            if (gzipped && response.statusCode() == 415) {
                plainBodies = true;
            }
            return reader.read(response);
        });
    }

    private <T> T json(HttpResponse<byte[]> response, Class<T> type) throws HubException {
        var body = successBody(response);
        try {
            return StateJson.MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new HubException(response.statusCode(), "the hub sent an unreadable " + type.getSimpleName()
                    + ": " + e.getMessage(), null, e);
        }
    }

    private SyncReply syncReply(HttpResponse<byte[]> response, SyncRequest request) throws HubException {
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
    private byte[] successBody(HttpResponse<byte[]> response) throws HubException {
        metrics.received(response.body() == null ? 0 : response.body().length);
        byte[] body = decoded(response);
        if (response.statusCode() == 200) {
            return body;
        }
        var retryAfter = response.headers().firstValue("Retry-After").flatMap(RetryAfter::parse).orElse(null);
        throw new HubException(response.statusCode(), "the hub answered " + response.statusCode() + reason(body),
                retryAfter, null);
    }

    private byte[] decoded(HttpResponse<byte[]> response) throws HubException {
        var body = response.body() == null ? new byte[0] : response.body();
        boolean gzipped = response.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip"))
                .orElse(false);
        if (!gzipped) {
            if (body.length > maxResponseBytes) {
                throw tooLarge(response);
            }
            return body;
        }
        try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            var out = new ByteArrayOutputStream((int) Math.min(body.length * 4L, maxResponseBytes + 1L));
            var buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                out.write(buffer, 0, read);
                if (out.size() > maxResponseBytes) {
                    throw tooLarge(response);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new HubException(response.statusCode(), "the hub sent a broken gzip body", null, e);
        }
    }

    private HubException tooLarge(HttpResponse<byte[]> response) {
        return new HubException(response.statusCode(), "the hub's response exceeds " + maxResponseBytes
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
        var out = new ByteArrayOutputStream(content.length / 4 + 64);
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
