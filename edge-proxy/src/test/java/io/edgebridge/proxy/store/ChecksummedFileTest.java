package io.edgebridge.proxy.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksummedFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTrip() throws IOException {
        var file = new ChecksummedFile(dir.resolve("state.json"));
        file.write(bytes("{\"a\":1}"));
        var read = file.read().orElseThrow();
        assertArrayEquals(bytes("{\"a\":1}"), read.content());
        assertFalse(read.fromPrevious());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void nothingStoredIsEmpty() throws IOException {
        var file = new ChecksummedFile(dir.resolve("state.json"));
        assertTrue(file.read().isEmpty());
        assertFalse(file.exists());
    }

    @Test
    void tornWriteIsDetectedAndThePreviousGenerationUsed() throws IOException {
        var file = new ChecksummedFile(dir.resolve("state.json"));
        file.write(bytes("{\"generation\":1}"));
        file.write(bytes("{\"generation\":2}"));
        var whole = Files.readAllBytes(file.path());
        Files.write(file.path(), Arrays.copyOf(whole, whole.length - 3));

        assertThrows(CorruptStateException.class, () -> ChecksummedFile.readVerified(file.path()));
        var read = file.read().orElseThrow();
        assertArrayEquals(bytes("{\"generation\":1}"), read.content());
        assertTrue(read.fromPrevious());
    }

    @Test
    void flippedByteFailsTheChecksum() throws IOException {
        var file = new ChecksummedFile(dir.resolve("state.json"));
        file.write(bytes("{\"replicas\":3}"));
        var content = Files.readAllBytes(file.path());
        int digit = new String(content, StandardCharsets.US_ASCII).lastIndexOf('3');
        content[digit] = '9';
        Files.write(file.path(), content);

        var error = assertThrows(CorruptStateException.class, () -> ChecksummedFile.readVerified(file.path()));
        assertTrue(error.getMessage().contains("checksum"), error.getMessage());
        assertTrue(file.read().isEmpty(), "a corrupt file with no valid previous generation gives nothing");
        assertTrue(file.exists());
    }

    @Test
    void garbageWithoutHeaderIsCorrupt() throws IOException {
        var path = dir.resolve("state.json");
        Files.writeString(path, "{\"replicas\":3}");
        assertThrows(CorruptStateException.class, () -> ChecksummedFile.readVerified(path));
        assertTrue(new ChecksummedFile(path).read().isEmpty());
    }

    @Test
    void crashBetweenRenamesLeavesThePreviousGeneration() throws IOException {
        var file = new ChecksummedFile(dir.resolve("state.json"));
        file.write(bytes("old"));
        file.write(bytes("new"));
        // As after a power cut between "current -> previous" and "temporary -> current".
        Files.move(file.path(), dir.resolve("state.json.prev"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var read = file.read().orElseThrow();
        assertArrayEquals(bytes("new"), read.content());
        assertTrue(read.fromPrevious());
    }

    @Test
    void atomicWriteCreatesOwnerOnlyFiles() throws IOException {
        var key = dir.resolve("device.key");
        AtomicFiles.write(key, bytes("secret"), AtomicFiles.OWNER_ONLY);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        AtomicFiles.write(key, bytes("secret2"), AtomicFiles.OWNER_ONLY);
        assertEquals("secret2", Files.readString(key));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
