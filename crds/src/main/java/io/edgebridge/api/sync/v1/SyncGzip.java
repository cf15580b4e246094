package io.edgebridge.api.sync.v1;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip of sync bodies, both ways and on both sides (hub and proxy): bodies above a kilobyte travel
 * gzipped, and the receiver unpacks them under a limit, so that a small body cannot unpack to more
 * than its heap can take.
 */
public final class SyncGzip {

    private SyncGzip() {
    }

    public static byte[] pack(byte[] plain) {
        var packed = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (var gzip = new GZIPOutputStream(packed)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packed.toByteArray();
    }

    /**
     * The unpacked body, or empty when it unpacks to more than {@code limit} bytes (reading stops there).
     *
     * @throws IOException when the body is not gzip
     */
    public static Optional<byte[]> unpack(byte[] packed, int limit) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(packed))) {
            var out = new ByteArrayOutputStream((int) Math.min(limit, Math.max(512L, packed.length * 4L)));
            var chunk = new byte[8192];
            int read;
            while ((read = in.read(chunk)) > 0) {
                if (out.size() + read > limit) {
                    return Optional.empty();
                }
                out.write(chunk, 0, read);
            }
            return Optional.of(out.toByteArray());
        }
    }
}
