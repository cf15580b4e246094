package io.edgebridge.proxy;

import io.edgebridge.proxy.testing.TestPki;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A bootstrap Secret as mounted files, pointing at a hub nobody listens for, and an empty state directory. */
public class UnreachableHubEnvironment implements QuarkusTestResourceLifecycleManager {

    private Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("edge-proxy-startup");
            var bootstrap = Files.createDirectories(root.resolve("bootstrap"));
            Files.writeString(bootstrap.resolve("cluster"), "retail-eu.munich\n");
            // Port 1 on loopback: connections are refused at once.
            Files.writeString(bootstrap.resolve("hubUrl"), "https://127.0.0.1:1");
            Files.writeString(bootstrap.resolve("ca.crt"), new TestPki().caPem());
            Files.writeString(bootstrap.resolve("token"), "one-time-token");
            return Map.of("edgebridge.proxy.bootstrap-dir", bootstrap.toString(),
                    "edgebridge.proxy.state-dir", root.resolve("state").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try (Stream<Path> files = Files.walk(root)) {
            for (var file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
