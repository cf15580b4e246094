package io.edgebridge.operator.hub;

import io.edgebridge.api.sync.v1.SyncGzip;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Optional;

/**
 * Gzip of the hub's bodies ({@link SyncGzip}, as the proxy's), done by the hub rather than by the HTTP server's compressor and
 * decompressor: those are two more handlers, with their state, in the pipeline of every
 * connection, ten thousand of them held idle between syncs, for the few calls that carry more
 * than a kilobyte.
 */
final class HubGzip {

    private HubGzip() {
    }

    /** Whether an Accept-Encoding header lets the answer go gzipped (gzip listed, not with q=0). */
    static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (var coding : acceptEncoding.split(",")) {
            var parts = coding.split(";");
            if (!parts[0].trim().equalsIgnoreCase("gzip")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                var parameter = parts[i].trim().replace(" ", "");
                refused |= parameter.matches("(?i)q=0(\\.0{0,3})?");
            }
            return !refused;
        }
        return false;
    }

    static Buffer pack(Buffer plain) {
        return Buffer.buffer(SyncGzip.pack(plain.getBytes()));
    }

    /** The unpacked body, or empty when it unpacks to more than {@code limit} bytes. */
    static Optional<Buffer> unpack(Buffer packed, int limit) throws IOException {
        return SyncGzip.unpack(packed.getBytes(), limit).map(Buffer::buffer);
    }
}
