package io.edgebridge.api.sync.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncGzipTest {

    @Test
    void bodiesUnpackToWhatWasPackedUpToTheLimit() throws IOException {
        var plain = "{\"changed\":[]}".repeat(200).getBytes(StandardCharsets.UTF_8);
        var packed = SyncGzip.pack(plain);
        assertTrue(packed.length < plain.length / 10, packed.length + " bytes");
        assertArrayEquals(plain, SyncGzip.unpack(packed, plain.length).orElseThrow());
        assertEquals(Optional.empty(), SyncGzip.unpack(packed, plain.length - 1));
        assertThrows(IOException.class, () -> SyncGzip.unpack(plain, 1 << 20));
    }
}
