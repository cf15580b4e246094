package io.edgebridge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of the repository the tests check, found from the e2e module's directory. */
final class RepoPaths {

    private RepoPaths() {
    }

    static Path root() {
        // Maven's surefire sets basedir to the e2e module; IDEs usually run from it.
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
    }

    /** The files in a repository folder whose names match a glob, sorted by name. */
    static List<Path> files(String folder, String glob) {
        var matcher = root().getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> listing = Files.list(root().resolve(folder))) {
            return listing.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
