package io.edgebridge.operator.hub;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request's body, decompressed, up to a limit: beyond it the request is refused with 413,
 * and the rest of the body is read and dropped (closing at once would reset the connection under
 * a client still sending, and lose the answer). The buffer is sized to the declared length and is
 * the caller's alone, so a held request keeps nothing of it once parsed.
 */
final class RequestBodies {

    /** Without a declared length (or with a compressed one): a small request's size. */
    private static final int INITIAL_BYTES = 512;

    private RequestBodies() {
    }

    static void read(HttpServerRequest request, int limit, Handler<Buffer> onBody) {
        long declared = declaredLength(request);
        if (declared > limit) {
            tooLarge(request, limit);
            return;
        }
        boolean plain = request.getHeader(HttpHeaders.CONTENT_ENCODING) == null;
        var body = Buffer.buffer(plain && declared >= 0 ? (int) declared : INITIAL_BYTES);
        var refused = new boolean[1];
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            // Counted after decompression: a small gzip body may unpack to far more.
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                tooLarge(request, limit);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            // The request keeps its handlers as long as it is held, and they hold the body.
            request.handler(null);
            request.endHandler(null);
            if (!refused[0]) {
                onBody.handle(body);
            }
        });
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
        request.response().headers().remove(HttpHeaders.CONNECTION);
        HubResponses.refuse(request, 413, "the request is larger than " + limit + " bytes");
    }
}
