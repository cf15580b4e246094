package io.edgebridge.operator.hub;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip of the hub's bodies, done by the hub rather than by the HTTP server's compressor and
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
        var packed = new ByteArrayOutputStream(plain.length() / 4 + 64);
        try (var gzip = new GZIPOutputStream(packed)) {
            gzip.write(plain.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(packed.toByteArray());
    }

    /** The unpacked body, or empty when it unpacks to more than {@code limit} bytes. */
    static Optional<Buffer> unpack(Buffer packed, int limit) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(packed.getBytes()))) {
            var out = new ByteArrayOutputStream(Math.min(limit, Math.max(512, packed.length() * 4)));
            var chunk = new byte[8192];
            int read;
            while ((read = in.read(chunk)) > 0) {
                if (out.size() + read > limit) {
                    return Optional.empty();
                }
                out.write(chunk, 0, read);
            }
            return Optional.of(Buffer.buffer(out.toByteArray()));
        }
    }
}
