package io.edgebridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs kubectl against one cluster, to check what users of the cluster see. */
final class Kubectl {

    private final Path kubeconfig;
    // Discovery is cached per server; a cache of its own keeps ~/.kube untouched and never stale.
    private final Path cacheDir;

    Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        this.cacheDir = kubeconfig.resolveSibling("kubectl-cache");
    }

    /** Runs kubectl with the arguments, asserts it succeeds and returns its standard output. */
    String run(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig, "--cache-dir=" + cacheDir));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).start();
        // Read both streams at once: a full stderr pipe would block kubectl.
        var stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        var stdout = read(process.getInputStream());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl " + String.join(" ", args) + " did not finish");
        assertEquals(0, process.exitValue(), "kubectl " + String.join(" ", args) + " failed:\n" + stderr.join());
        return stdout;
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
