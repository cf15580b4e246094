package io.edgebridge.operator.hub;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;

/**
 * Keeps in each connection's Netty pipeline only the handlers the hub uses. Ten thousand idle
 * proxies hold ten thousand pipelines; Vert.x gives each a WebSocket extension handler (the hub
 * serves no WebSocket) and, with TLS, a chunked writer (for files sent in chunks, which the hub
 * never sends): about 0.4 KB of the hub's heap per connection between them.
 */
final class HubPipeline {

    /** Names Vert.x gives the handlers in its HTTP/1.x server pipeline. */
    static final List<String> UNUSED = List.of("chunkedWriter", "webSocketExtensionHandler");

    private HubPipeline() {
    }

    /** Options under which Vert.x does not add WebSocket extension handlers at all. */
    static HttpServerOptions withoutWebSockets(HttpServerOptions options) {
        return options.setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false);
    }

    /** Removes the unused handlers from a new connection's pipeline (Vert.x has no option for the chunked writer). */
    static void trim(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            trim(base.channelHandlerContext().pipeline());
        }
    }

    static void trim(ChannelPipeline pipeline) {
        for (var name : UNUSED) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }
}
