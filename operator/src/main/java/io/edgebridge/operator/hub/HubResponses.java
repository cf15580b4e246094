package io.edgebridge.operator.hub;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/** Answers of the sync API: JSON bodies, errors with a reason, back-pressure with Retry-After. */
final class HubResponses {

    private static final Logger LOG = Logger.getLogger(HubResponses.class);
    /**
     * Answers up to this size go uncompressed, as the proxy's requests do: gzip of a few hundred
     * bytes saves less than its header and trailer cost, and each compressed answer costs the hub a
     * fresh compressor and the proxy a fresh decompressor (a fan-out sends ten thousand at once).
     * Larger ones go gzipped to a caller that accepts it.
     */
    static final int COMPRESS_ABOVE_BYTES = 1024;
    private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");

    private HubResponses() {
    }

    /**
     * The answer to this request closes its connection. Bootstrap and renewal happen once per
     * certificate, and the proxy's next calls come from a client with the new one, on a connection
     * of its own: the old one would idle at the hub until its idle timeout, a descriptor and about
     * 10 KB of heap for each proxy that just enrolled.
     */
    static void closeAfterAnswer(HttpServerRequest request) {
        request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }

    /**
     * Closes the connection of an answer that says {@code Connection: close}, once both the answer
     * is written and the request read: an answer given before its request's body is in (413)
     * waits for the rest of the body, since closing under a client still sending resets the
     * connection and loses the answer. Called when the answer ends and when the request's body does.
     */
    static void closeIfDone(HttpServerRequest http) {
        var response = http.response();
        if (response.ended() && !response.closed() && http.isEnded()
                && HttpHeaders.CLOSE.toString().equals(response.headers().get(HttpHeaders.CONNECTION))) {
            // After the answer is written: Vert.x flushes, then closes.
            response.close();
        }
    }

    /**
     * Keeps of a request's headers only what its answer reads: whether it may go gzipped. A held
     * sync stays in memory for the whole long-poll, ten thousand at once, and each of its headers
     * held a name and a value of its own (about 0.9 KB of the hub's heap per idle proxy in a heap
     * dump at 10,000 clusters). Vert.x reads no request header once the request has been read.
     */
    static void keepOnlyWhatTheAnswerReads(HttpServerRequest http) {
        boolean gzip = HubGzip.accepted(http.getHeader(HttpHeaders.ACCEPT_ENCODING));
        var headers = http.headers();
        headers.clear();
        if (gzip) {
            headers.set(HttpHeaders.ACCEPT_ENCODING, GZIP);
        }
    }

    static void json(HttpServerRequest http, Buffer body) {
        if (http.response().closed() || http.response().ended()) {
            return;
        }
        send(http.response().setStatusCode(200).putHeader("Content-Type", "application/json"), http, body);
    }

    static void noContent(HttpServerRequest http) {
        if (http.response().closed() || http.response().ended()) {
            return;
        }
        send(http.response().setStatusCode(204), http, null);
    }

    /** A refusal: logged with who asked and why (never a token), and answered with the reason. */
    static void refuse(HttpServerRequest http, int status, String reason) {
        LOG.warnf("Hub refused %s %s from %s: %d %s", http.method(), http.path(),
                http.remoteAddress(), status, reason);
        error(http, status, reason);
    }

    static void retryLater(HttpServerRequest http, int status, Duration after) {
        if (http.response().closed() || http.response().ended()) {
            return;
        }
        long seconds = Math.max(1, (after.toMillis() + 999) / 1000);
        http.response().putHeader("Retry-After", Long.toString(seconds));
        error(http, status, status == 429 ? "too many requests" : "the hub is busy");
    }

    static void error(HttpServerRequest http, int status, String reason) {
        if (http.response().closed() || http.response().ended()) {
            return;
        }
        send(http.response().setStatusCode(status).putHeader("Content-Type", "application/json"), http,
                HubJson.write(Map.of("error", reason)));
    }

    private static void send(HttpServerResponse response, HttpServerRequest http, Buffer body) {
        if (body != null && body.length() > COMPRESS_ABOVE_BYTES
                && HubGzip.accepted(http.getHeader(HttpHeaders.ACCEPT_ENCODING))) {
            body = HubGzip.pack(body);
            response.putHeader(HttpHeaders.CONTENT_ENCODING, GZIP);
        }
        if (body == null) {
            response.end();
        } else {
            response.end(body);
        }
        closeIfDone(http);
    }
}
