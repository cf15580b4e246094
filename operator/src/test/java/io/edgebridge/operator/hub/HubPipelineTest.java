package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubPipelineTest {

    @Test
    void aConnectionKeepsOnlyTheHandlersTheHubUses() {
        var channel = new EmbeddedChannel();
        var pipeline = channel.pipeline();
        // As Vert.x 4.5 lays out an HTTP/1.x server connection over TLS.
        pipeline.addLast("httpDecoder", new ChannelInboundHandlerAdapter());
        pipeline.addLast("httpEncoder", new ChannelInboundHandlerAdapter());
        pipeline.addLast("chunkedWriter", new ChunkedWriteHandler());
        pipeline.addLast("idle", new IdleStateHandler(0, 0, 85));
        pipeline.addLast("webSocketExtensionHandler", new ChannelInboundHandlerAdapter());
        pipeline.addLast("handler", new ChannelInboundHandlerAdapter());

        HubPipeline.trim(pipeline);

        assertEquals(List.of("httpDecoder", "httpEncoder", "idle", "handler"),
                pipeline.names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")).toList());
        HubPipeline.trim(pipeline);
        channel.finishAndReleaseAll();
    }

    @Test
    void aVertxConnectionIsTrimmed() throws Exception {
        var vertx = io.vertx.core.Vertx.vertx();
        try {
            var names = new java.util.concurrent.CompletableFuture<List<String>>();
            // Default options: Vert.x adds its WebSocket extension handler, which trim removes.
            var server = vertx.createHttpServer().connectionHandler(connection -> {
                HubPipeline.trim(connection);
                names.complete(((io.vertx.core.net.impl.ConnectionBase) connection).channelHandlerContext()
                        .pipeline().names());
            }).requestHandler(http -> http.response().end()).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertEquals(200, answer.statusCode());
            var kept = names.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(kept.contains("webSocketExtensionHandler"), kept.toString());
            assertFalse(kept.contains("chunkedWriter"), kept.toString());
            assertTrue(kept.contains("httpDecoder") && kept.contains("handler"), kept.toString());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void theHubsServerAddsNoWebSocketExtensions() {
        var options = HubPipeline.withoutWebSockets(new HttpServerOptions());
        assertFalse(options.getPerFrameWebSocketCompressionSupported());
        assertFalse(options.getPerMessageWebSocketCompressionSupported());
    }
}
