package io.edgebridge.proxy.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Writes that are atomic (all or nothing) and durable (on disk when the call returns). */
public final class AtomicFiles {

    private static final Logger LOG = Logger.getLogger(AtomicFiles.class);
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /** Replaces {@code file} with {@code content}: temporary file, fsync, rename, fsync of the directory. */
    public static void write(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        var temporary = temporarySibling(file);
        try {
            writeDurably(temporary, permissions, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(file.getParent());
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Renames atomically and makes the rename durable. */
    public static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(to.getParent());
    }

    /** Creates the directory (and parents) readable by the owner only when it is new. */
    public static Path ensureDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return directory;
        }
        Files.createDirectories(directory);
        if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
        }
        return directory;
    }

    static Path temporarySibling(Path path) {
        return path.resolveSibling("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    static void writeDurably(Path file, Set<PosixFilePermission> permissions, byte[]... parts) throws IOException {
        createWithPermissions(file, permissions);
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (var part : parts) {
                var buffer = ByteBuffer.wrap(part);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            channel.force(true);
        }
    }

    /** Created with its final permissions, so a secret is never readable by others, not even briefly. */
    private static void createWithPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(permissions));
            // The umask may have removed bits at creation; set exactly what was asked for.
            Files.setPosixFilePermissions(file, permissions);
        } else {
            Files.createFile(file);
        }
    }

    /** Makes a rename durable: without it a power cut can undo the rename on ext4 and others. */
    static void syncDirectory(Path directory) {
        try (var channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // Some file systems refuse to open or sync directories; the rename is still atomic there.
            LOG.debugf("Cannot fsync directory %s: %s", directory, notSupported.getMessage());
        }
    }
}
