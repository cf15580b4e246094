package io.edgebridge.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Benchmark figures as flat JSON objects of numbers, one file per benchmark. */
final class BenchFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchFiles() {
    }

    static void writeJson(Path file, Map<String, Number> figures) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures) + "\n");
    }
}
