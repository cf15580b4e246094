package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HubGzipTest {

    @Test
    void gzipIsAcceptedWhenListedAndNotRefused() {
        assertTrue(HubGzip.accepted("gzip"));
        assertTrue(HubGzip.accepted("deflate, GZIP"));
        assertTrue(HubGzip.accepted("br;q=1.0, gzip; q=0.5"));
        assertFalse(HubGzip.accepted(null));
        assertFalse(HubGzip.accepted(""));
        assertFalse(HubGzip.accepted("deflate, br"));
        assertFalse(HubGzip.accepted("x-gzip"));
        assertFalse(HubGzip.accepted("gzip;q=0"));
        assertFalse(HubGzip.accepted("gzip; q=0.000"));
    }

    @Test
    void packedBodiesUnpackUpToTheLimit() throws IOException {
        var plain = Buffer.buffer("{\"changed\":[]}".repeat(200));
        var packed = HubGzip.pack(plain);
        assertTrue(packed.length() < plain.length() / 10, packed.length() + " bytes");
        assertEquals(Optional.of(plain), HubGzip.unpack(packed, plain.length()));
        assertEquals(Optional.empty(), HubGzip.unpack(packed, plain.length() - 1));
        assertThrows(IOException.class, () -> HubGzip.unpack(plain, 1 << 20));
    }
}
