package io.edgebridge.operator.hub;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a request's body, gunzipped if it came so, up to a limit (counted after unpacking: a
 * small gzip body may unpack to far more): beyond it the request is refused with 413,
 * and the rest of the body is read and dropped (closing at once would reset the connection under
 * a client still sending, and lose the answer). The buffer is sized to the declared length and is
 * the caller's alone, so a held request keeps nothing of it once parsed.
 */
final class RequestBodies {

    /** Without a declared length: a small request's size. */
    private static final int INITIAL_BYTES = 512;
    /** The most allocated on a declared length alone, before the bytes come: a length costs a client nothing. */
    static final int MOST_BEFORE_BYTES = 16 * 1024;

    private RequestBodies() {
    }

    static void read(HttpServerRequest request, int limit, Handler<Buffer> onBody) {
        long declared = declaredLength(request);
        if (declared > limit) {
            tooLarge(request, limit);
            request.handler(chunk -> { });
            request.exceptionHandler(gone -> { });
            request.endHandler(end -> finish(request));
            return;
        }
        var encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        boolean gzipped = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
        if (encoding != null && !gzipped && !encoding.trim().equalsIgnoreCase("identity")) {
            // The proxy sends plain JSON after this.
            HubResponses.refuse(request, 415, "Content-Encoding " + encoding + " is not supported: send gzip or none");
            return;
        }
        var body = Buffer.buffer(initialBytes(declared));
        var refused = new boolean[1];
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                tooLarge(request, limit);
                return;
            }
            body.appendBuffer(chunk);
        });
        // A proxy gone mid-body: nothing to answer, and nothing for Vert.x to report as unhandled.
        request.exceptionHandler(gone -> refused[0] = true);
        request.endHandler(end -> {
            finish(request);
            if (refused[0]) {
                return;
            }
            if (!gzipped) {
                onBody.handle(body);
                return;
            }
            Optional<Buffer> unpacked;
            try {
                unpacked = HubGzip.unpack(body, limit);
            } catch (IOException e) {
                HubResponses.refuse(request, 400, "the body is not valid gzip: " + e.getMessage());
                return;
            }
            if (unpacked.isEmpty()) {
                tooLarge(request, limit);
            } else {
                onBody.handle(unpacked.get());
            }
        });
    }

    /**
     * Once the body is read: the request keeps its handlers as long as it is held, and they hold
     * the body. An answer that went before the body was in (413) and closes its connection closes
     * it now.
     */
    private static void finish(HttpServerRequest request) {
        request.handler(null);
        request.exceptionHandler(null);
        request.endHandler(null);
        HubResponses.closeIfDone(request);
    }

    /** The buffer to start with for a declared length (-1: none): no more than the body needs, nor than a lie costs. */
    static int initialBytes(long declared) {
        return declared >= 0 ? (int) Math.min(declared, MOST_BEFORE_BYTES) : INITIAL_BYTES;
    }

    private static long declaredLength(HttpServerRequest request) {
        var header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void tooLarge(HttpServerRequest request, int limit) {
        HubResponses.refuse(request, 413, "the request is larger than " + limit + " bytes");
    }
}
