package io.edgebridge.proxy.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * One state file that survives power cuts: every write goes to a temporary file that is fsynced,
 * then renamed over the old one, and the directory is fsynced, so a reader sees the old or the new
 * content, never a mix. A header carries the length and SHA-256 of the content, so a torn or
 * damaged file (bad flash, a crash on a file system that reorders writes) is recognised rather than
 * applied. The generation before the newest is kept beside it and used when the newest is unusable.
 *
 * <p>Format: one ASCII line {@code EDGEBRIDGE-STATE 1 sha256=<64 hex> size=<bytes>} and the content.
 */
public final class ChecksummedFile {

    private static final Logger LOG = Logger.getLogger(ChecksummedFile.class);
    private static final String MAGIC = "EDGEBRIDGE-STATE";
    private static final String VERSION = "1";
    private static final int MAX_HEADER = 256;

    private final Path path;
    private final Path previous;
    private final Set<PosixFilePermission> permissions;

    public ChecksummedFile(Path path) {
        this(path, AtomicFiles.OWNER_ONLY);
    }

    public ChecksummedFile(Path path, Set<PosixFilePermission> permissions) {
        this.path = path;
        this.previous = path.resolveSibling(path.getFileName() + ".prev");
        this.permissions = Set.copyOf(permissions);
    }

    public Path path() {
        return path;
    }

    /** Replaces the content atomically and durably; the old content becomes the previous generation. */
    public void write(byte[] content) throws IOException {
        var header = header(content);
        var temporary = AtomicFiles.temporarySibling(path);
        try {
            AtomicFiles.writeDurably(temporary, permissions, header, content);
            if (Files.exists(path)) {
                // Between the two renames only the previous generation exists; a reader falls back to it.
                Files.move(path, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(path.getParent());
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * The newest content that passes its checksum: the current generation, else the previous one,
     * else nothing. Corruption is logged, never thrown: the caller carries on with what is valid
     * and the hub re-sends the rest.
     */
    public Optional<StoredBytes> read() throws IOException {
        try {
            return Optional.of(new StoredBytes(readVerified(path), false));
        } catch (NoSuchFileException missing) {
            // A crash between the two renames of write() leaves only the previous generation.
        } catch (CorruptStateException corrupt) {
            LOG.errorf("State file %s is corrupt and is ignored: %s", path, corrupt.getMessage());
        }
        try {
            var older = readVerified(previous);
            LOG.warnf("Using the previous generation of %s", path);
            return Optional.of(new StoredBytes(older, true));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (CorruptStateException corrupt) {
            LOG.errorf("State file %s is corrupt and is ignored: %s", previous, corrupt.getMessage());
            return Optional.empty();
        }
    }

    /** Whether any generation exists, valid or not. */
    public boolean exists() {
        return Files.exists(path) || Files.exists(previous);
    }

    /** Reads one file and checks its header; throws {@link CorruptStateException} when it does not match. */
    static byte[] readVerified(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int newline = -1;
        for (int i = 0; i < Math.min(all.length, MAX_HEADER); i++) {
            if (all[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            throw new CorruptStateException("no header line (" + all.length + " bytes)");
        }
        var fields = new String(all, 0, newline, StandardCharsets.US_ASCII).split(" ");
        if (fields.length != 4 || !MAGIC.equals(fields[0]) || !VERSION.equals(fields[1])
                || !fields[2].startsWith("sha256=") || !fields[3].startsWith("size=")) {
            throw new CorruptStateException("unrecognised header");
        }
        long size;
        try {
            size = Long.parseLong(fields[3].substring("size=".length()));
        } catch (NumberFormatException e) {
            throw new CorruptStateException("unrecognised size in header");
        }
        int contentLength = all.length - newline - 1;
        if (size != contentLength) {
            throw new CorruptStateException("expected " + size + " bytes of content, found " + contentLength);
        }
        var content = new byte[contentLength];
        System.arraycopy(all, newline + 1, content, 0, contentLength);
        if (!sha256(content).equals(fields[2].substring("sha256=".length()))) {
            throw new CorruptStateException("checksum mismatch");
        }
        return content;
    }

    private static byte[] header(byte[] content) {
        return (MAGIC + " " + VERSION + " sha256=" + sha256(content) + " size=" + content.length + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
