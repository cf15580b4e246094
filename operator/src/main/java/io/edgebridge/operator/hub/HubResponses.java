package io.edgebridge.operator.hub;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/** Answers of the sync API: JSON bodies, errors with a reason, back-pressure with Retry-After. */
final class HubResponses {

    private static final Logger LOG = Logger.getLogger(HubResponses.class);
    private static final String CLOSE_AFTER_ANSWER = "edgebridge.closeAfterAnswer";
    /**
     * Answers up to this size go uncompressed, as the proxy's requests do: gzip of a few hundred
     * bytes saves less than its header and trailer cost, and each compressed answer costs the hub a
     * fresh compressor and the proxy a fresh decompressor (a fan-out sends ten thousand at once).
     */
    static final int COMPRESS_ABOVE_BYTES = 1024;

    private HubResponses() {
    }

    /**
     * Route handler: the answers of this route close their connection. Bootstrap and renewal happen
     * once per certificate, and the proxy's next calls come from a client with the new one, on a
     * connection of its own: the old one would idle at the hub until its idle timeout, a descriptor
     * and about 10 KB of heap for each proxy that just enrolled.
     */
    static void closeAfterAnswer(RoutingContext context) {
        context.put(CLOSE_AFTER_ANSWER, Boolean.TRUE);
        context.next();
    }

    static void json(RoutingContext context, Buffer body) {
        if (context.response().closed() || context.response().ended()) {
            return;
        }
        send(context.response().setStatusCode(200).putHeader("Content-Type", "application/json"), context, body);
    }

    static void noContent(RoutingContext context) {
        if (context.response().closed() || context.response().ended()) {
            return;
        }
        send(context.response().setStatusCode(204), context, null);
    }

    /** A refusal: logged with who asked and why (never a token), and answered with the reason. */
    static void refuse(RoutingContext context, int status, String reason) {
        LOG.warnf("Hub refused %s %s from %s: %d %s", context.request().method(), context.request().path(),
                context.request().remoteAddress(), status, reason);
        error(context, status, reason);
    }

    static void retryLater(RoutingContext context, int status, Duration after) {
        if (context.response().closed() || context.response().ended()) {
            return;
        }
        long seconds = Math.max(1, (after.toMillis() + 999) / 1000);
        context.response().putHeader("Retry-After", Long.toString(seconds));
        error(context, status, status == 429 ? "too many requests" : "the hub is busy");
    }

    static void error(RoutingContext context, int status, String reason) {
        if (context.response().closed() || context.response().ended()) {
            return;
        }
        send(context.response().setStatusCode(status).putHeader("Content-Type", "application/json"), context,
                HubJson.write(Map.of("error", reason)));
    }

    private static void send(HttpServerResponse response, RoutingContext context, Buffer body) {
        if (body != null && body.length() <= COMPRESS_ABOVE_BYTES) {
            // Identity tells the server's compressor to leave this answer alone (and is not sent).
            response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        }
        boolean close = Boolean.TRUE.equals(context.get(CLOSE_AFTER_ANSWER));
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        if (body == null) {
            response.end();
        } else {
            response.end(body);
        }
        if (close) {
            // After the answer is written: Vert.x flushes, then closes.
            response.close();
        }
    }
}
