package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HubResponsesTest {

    private static Vertx vertx;
    private static HttpServer server;
    /** The headers each request kept, as its handler saw them after the call under test. */
    private static final LinkedBlockingQueue<Map<String, String>> KEPT = new LinkedBlockingQueue<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        var started = new CompletableFuture<HttpServer>();
        vertx.createHttpServer().requestHandler(http -> {
            HubResponses.keepOnlyWhatTheAnswerReads(http);
            KEPT.add(http.headers().entries().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue)));
            // Answered after the headers went, as a held sync is: large enough to be gzipped if accepted.
            HubResponses.json(http, io.vertx.core.buffer.Buffer.buffer("{\"pad\":\"" + "x".repeat(4096) + "\"}"));
        }).listen(0, "127.0.0.1").onComplete(r -> {
            if (r.succeeded()) {
                started.complete(r.result());
            } else {
                started.completeExceptionally(r.cause());
            }
        });
        server = started.get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHeldRequestKeepsOnlyWhetherItsAnswerMayBeGzipped() throws Exception {
        var gzipped = send(List.of("Accept-Encoding", "br, gzip", "User-Agent", "edgebridge-proxy/test",
                "Content-Type", "application/json"));
        assertEquals(Map.of("accept-encoding", "gzip"), KEPT.poll(10, TimeUnit.SECONDS));
        assertEquals(200, gzipped.statusCode());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null),
                "the answer, written after the headers went, is still gzipped");

        var plain = send(List.of("Accept-Encoding", "gzip;q=0", "User-Agent", "edgebridge-proxy/test"));
        assertEquals(Map.of(), KEPT.poll(10, TimeUnit.SECONDS));
        assertEquals(null, plain.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(4096 + 10, plain.body().length, "a caller that refused gzip gets the body as it is");
    }

    private HttpResponse<byte[]> send(List<String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/sync"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
