package io.edgebridge.proxy.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.proxy.identity.HubTls;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wire format of hub calls: gzip both ways, error statuses and Retry-After. Plain HTTP keeps it short. */
class HubClientTest {

    private static final HubClient.Timeouts TIMEOUTS = new HubClient.Timeouts(Duration.ofSeconds(5),
            Duration.ofSeconds(5));

    private final Vertx vertx = Vertx.vertx();
    private final List<String> contentEncodings = new CopyOnWriteArrayList<>();
    private volatile Consumer<HttpServerRequest> answer;
    private HttpServer server;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void readsAGzippedSyncResponse() throws Exception {
        var json = "{\"stateHash\":\"s1\",\"changed\":[{\"bundle\":{\"app\":\"shop\",\"hash\":\"h\"},\"signature\":\"c2ln\"}],"
                + "\"removed\":[\"old\"],\"ack\":7,\"epoch\":\"e1\",\"pollAfterSeconds\":3}";
        answer = request -> request.response().putHeader("Content-Encoding", "gzip")
                .end(Buffer.buffer(HubClient.gzip(json.getBytes())));
        var reply = client().sync("retail-eu.munich", new SyncRequest(Map.of(), null, null, null)).await();
        assertEquals("s1", reply.stateHash());
        assertEquals("shop", reply.changed().get(0).bundle().get("app").asText());
        assertEquals("c2ln", reply.changed().get(0).signature());
        assertEquals(List.of("old"), reply.removed());
        assertEquals(7L, reply.ack());
        assertEquals("e1", reply.epoch());
        assertEquals(3, reply.pollAfterSeconds());
        assertTrue(registry.get("edgebridge.proxy.received").counter().count() > 0);
    }

    @Test
    void callsOneAfterAnotherShareOneConnection() throws Exception {
        var connections = java.util.concurrent.ConcurrentHashMap.<io.vertx.core.http.HttpConnection>newKeySet();
        answer = request -> {
            connections.add(request.connection());
            request.response().end("{\"stateHash\":\"s\"}");
        };
        var client = client();
        for (int i = 0; i < 50; i++) {
            // The next sync starts as soon as the last one's answer is read, as the proxy's loop does.
            client.sync("c.d", new SyncRequest(null, "s", "e", null)).await();
        }
        assertEquals(1, connections.size(), "every sync on the same connection to the hub");
    }

    @Test
    void gzipsLargeBodiesOnlyAndFallsBackWhenTheHubRefusesGzip() throws Exception {
        answer = request -> request.response().end("{\"stateHash\":\"s\"}");
        var client = client();
        client.sync("c.d", new SyncRequest(Map.of("a", "h"), null, null, null)).await();
        client.sync("c.d", bigRequest()).await();
        assertEquals(List.of("none", "gzip"), contentEncodings);

        answer = request -> request.response().setStatusCode(415).end();
        assertThrows(HubException.class, () -> client.sync("c.d", bigRequest()).await());
        answer = request -> request.response().end("{\"stateHash\":\"s\"}");
        client.sync("c.d", bigRequest()).await();
        assertEquals("none", contentEncodings.get(contentEncodings.size() - 1), "plain JSON after a 415");
    }

    @Test
    void errorStatusesCarryRetryAfterAndTheHubsReason() {
        answer = request -> request.response().setStatusCode(429).putHeader("Retry-After", "12")
                .end("{\"error\":\"too many requests\"}");
        var throttled = assertThrows(HubException.class,
                () -> client().sync("c.d", new SyncRequest(Map.of(), null, null, null)).await());
        assertEquals(429, throttled.status());
        assertEquals(Duration.ofSeconds(12), throttled.retryAfter().orElseThrow());
        assertTrue(throttled.getMessage().contains("too many requests"), throttled.getMessage());

        answer = request -> request.response().setStatusCode(403).end("{\"error\":\"the cluster is quarantined\"}");
        var forbidden = assertThrows(HubException.class,
                () -> client().sync("c.d", new SyncRequest(Map.of(), null, null, null)).await());
        assertTrue(forbidden.forbidden());
        assertFalse(forbidden.identityRejected());
    }

    @Test
    void aLongPollThatEndsWithNothingNewIs204AndKeepsTheState() throws Exception {
        var headers = new CopyOnWriteArrayList<String>();
        answer = request -> {
            headers.add(request.getHeader("Accept") + "|" + request.getHeader("User-Agent"));
            request.response().setStatusCode(204).end();
        };
        var reply = client().sync("c.d", new SyncRequest(null, "s7", "e3", null)).await();
        assertEquals("s7", reply.stateHash());
        assertEquals("e3", reply.epoch());
        assertEquals(List.of(), reply.changed());
        assertEquals(List.of(), reply.removed());
        assertEquals(null, reply.ack());
        assertEquals(List.of("null|edgebridge-proxy"), headers, "only the headers the hub needs");
    }

    @Test
    void toFutureDeliversRepliesAndFailuresWithoutAWaitingThread() throws Exception {
        answer = request -> request.response().end("{\"stateHash\":\"s9\",\"ack\":4}");
        var reply = client().sync("c.d", new SyncRequest(Map.of(), null, null, null)).toFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals("s9", reply.stateHash());
        assertEquals(4L, reply.ack());

        answer = request -> request.response().setStatusCode(429).putHeader("Retry-After", "3").end();
        var failure = assertThrows(ExecutionException.class, () -> client().sync("c.d",
                new SyncRequest(Map.of(), null, null, null)).toFuture().get(10, TimeUnit.SECONDS));
        var hub = assertInstanceOf(HubException.class, failure.getCause());
        assertEquals(429, hub.status());
        assertEquals(Duration.ofSeconds(3), hub.retryAfter().orElseThrow());

        var unreachable = new HubClient(vertx, URI.create("http://127.0.0.1:1"), null, TIMEOUTS,
                new ProxyMetrics(registry, "c.d"));
        var refused = assertThrows(ExecutionException.class, () -> unreachable.sync("c.d",
                new SyncRequest(Map.of(), null, null, null)).toFuture().get(10, TimeUnit.SECONDS));
        assertEquals(0, assertInstanceOf(HubException.class, refused.getCause()).status());
    }

    @Test
    void aHubSilentForTheRequestTimeoutEndsTheCall() throws Exception {
        answer = request -> { }; // holds the long-poll and never answers
        client();
        var client = new HubClient(vertx, URI.create("http://127.0.0.1:" + server.actualPort()), null,
                new HubClient.Timeouts(Duration.ofSeconds(5), Duration.ofMillis(500)), new ProxyMetrics(registry, "c.d"));
        var failure = assertThrows(ExecutionException.class, () -> client.sync("c.d",
                new SyncRequest(Map.of(), null, null, null)).toFuture().get(20, TimeUnit.SECONDS));
        var hub = assertInstanceOf(HubException.class, failure.getCause());
        assertEquals(0, hub.status());
        assertTrue(hub.getMessage().contains("did not answer in time"), hub.getMessage());
    }

    @Test
    void aCancelledCallEndsAtOnceAndDropsItsConnection() throws Exception {
        var closed = new java.util.concurrent.CountDownLatch(1);
        var held = new java.util.concurrent.CountDownLatch(1);
        answer = request -> {
            request.connection().closeHandler(v -> closed.countDown());
            held.countDown();
        };
        var call = client().sync("c.d", new SyncRequest(Map.of(), null, null, null));
        var outcome = call.toFuture();
        assertTrue(held.await(10, TimeUnit.SECONDS), "the hub holds the call");
        call.cancel();
        assertThrows(java.util.concurrent.CancellationException.class, () -> outcome.get(10, TimeUnit.SECONDS));
        assertThrows(java.util.concurrent.CancellationException.class, call::await);
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the hub sees the held connection go");
    }

    @Test
    void anUnreachableHubIsStatusZero() throws Exception {
        var client = new HubClient(vertx, URI.create("http://127.0.0.1:1"), null, TIMEOUTS,
                new ProxyMetrics(registry, "c.d"));
        var error = assertThrows(HubException.class,
                () -> client.sync("c.d", new SyncRequest(Map.of(), null, null, null)).await());
        assertEquals(0, error.status());
    }

    @Test
    void aHubThatNeverFinishesTheTlsHandshakeFailsTheCallAtTheConnectTimeout() throws Exception {
        // Accepts TCP connections (the kernel does, from the backlog) and never says a word of TLS.
        try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var client = new HubClient(vertx, URI.create("https://127.0.0.1:" + silent.getLocalPort()),
                    defaultTrust(), new HubClient.Timeouts(Duration.ofSeconds(1), Duration.ofMinutes(2)),
                    new ProxyMetrics(registry, "c.d"));
            // Far below the request timeout: the connect timeout covers the handshake, not just TCP.
            var failure = assertThrows(ExecutionException.class, () -> client.sync("c.d",
                    new SyncRequest(Map.of(), null, null, null)).toFuture().get(20, TimeUnit.SECONDS));
            var hub = assertInstanceOf(HubException.class, failure.getCause());
            assertEquals(0, hub.status(), hub.getMessage());
        }
    }

    @Test
    void timeoutsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new HubClient.Timeouts(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new HubClient.Timeouts(Duration.ofSeconds(1), null));
    }

    @Test
    void refusesAResponseLargerThanItsHeapCanTake() throws Exception {
        var json = "{\"stateHash\":\"s1\",\"changed\":[],\"removed\":[\"" + "x".repeat(4096) + "\"]}";
        answer = request -> request.response().putHeader("Content-Encoding", "gzip")
                .end(Buffer.buffer(HubClient.gzip(json.getBytes())));
        var small = client(2048);
        var refused = assertThrows(HubException.class,
                () -> small.sync("c.d", new SyncRequest(Map.of(), null, null, null)).await());
        assertTrue(refused.getMessage().contains("exceeds 2048 bytes"), refused.getMessage());
        answer = request -> request.response().end(json);
        assertThrows(HubException.class, () -> small.sync("c.d", new SyncRequest(Map.of(), null, null, null)).await(),
                "a plain body is held to the same limit");
        answer = request -> request.response().setChunked(true).write("{\"stateHash\":\"s1\",")
                .compose(v -> request.response().end(json.substring(1)));
        assertThrows(HubException.class, () -> small.sync("c.d", new SyncRequest(Map.of(), null, null, null)).await(),
                "so is a chunked body of no declared length");
        answer = request -> request.response().end(json);
        assertEquals(1, client(json.length()).sync("c.d", new SyncRequest(Map.of(), null, null, null)).await()
                .removed().size(), "at the limit it is read");
    }

    @Test
    void theResponseLimitFollowsTheHeap() {
        assertEquals(8 * 1024 * 1024, HubClient.maxResponseBytes(160L * 1024 * 1024));
        assertEquals(HubClient.MAX_RESPONSE_CEILING, HubClient.maxResponseBytes(8L * 1024 * 1024 * 1024));
    }

    private HubClient client(int maxResponseBytes) throws Exception {
        client();
        return new HubClient(vertx, URI.create("http://127.0.0.1:" + server.actualPort()), null,
                TIMEOUTS, new ProxyMetrics(registry, "c.d"), maxResponseBytes);
    }

    private HubClient client() throws Exception {
        if (server == null) {
            server = vertx.createHttpServer().requestHandler(request -> {
                contentEncodings.add(request.getHeader("Content-Encoding") == null ? "none"
                        : request.getHeader("Content-Encoding"));
                request.body().onSuccess(body -> answer.accept(request));
            });
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        return new HubClient(vertx, URI.create("http://127.0.0.1:" + server.actualPort()), null,
                TIMEOUTS, new ProxyMetrics(registry, "c.d"));
    }

    private static HubTls defaultTrust() throws Exception {
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((java.security.KeyStore) null);
        return new HubTls(null, trust);
    }

    private static SyncRequest bigRequest() {
        var apps = new ArrayList<AppState>();
        for (int i = 0; i < 50; i++) {
            apps.add(new AppState("app-" + i, "r1", "hash-" + i, true, false, null));
        }
        return new SyncRequest(Map.of(), null, null, new StatusReport(1, "1", "v1", "s", null, apps, List.of()));
    }
}
