package io.edgebridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalControlPlane runs a correctly versioned API server, explains its failures and leaves nothing behind. */
class LocalControlPlaneTest {

    @Test
    void servesTheVersionItWasBuiltAsAndStopsWhenClosed() throws Exception {
        var controlPlane = LocalControlPlane.start();
        URI server;
        try (controlPlane) {
            server = URI.create(controlPlane.serverUrl());
            // Clients decide what a server supports by this; a bare go build reports v0.0.0-master.
            var built = controlPlane.builtVersion();
            var version = controlPlane.client().getKubernetesVersion();
            assertEquals(built, version.getGitVersion());
            assertEquals(built.substring(1).split("\\.")[0], version.getMajor());
            assertEquals(built.substring(1).split("\\.")[1], version.getMinor());

            var kubectlVersion = Yaml.parse(new Kubectl(controlPlane.writeKubeconfig()).run("version", "-o", "json"));
            assertEquals(built, kubectlVersion.at("/serverVersion/gitVersion").asText(), "kubectl version");
        }
        assertFalse(controlPlane.isRunning(), "etcd and kube-apiserver stopped");
        assertThrows(ConnectException.class, () -> new Socket(server.getHost(), server.getPort()).close(),
                "nothing listens on " + server);
    }

    @Test
    void withoutBinariesItSaysHowToBuildThem(@TempDir Path emptyBin) {
        var error = assertThrows(IllegalStateException.class, () -> LocalControlPlane.start(emptyBin));
        assertTrue(error.getMessage().contains("run make controlplane"), error.getMessage());
    }

    @Test
    void aServerThatDiesAtStartupIsReportedWithItsLog(@TempDir Path bin) throws IOException {
        var realEtcd = LocalControlPlane.binaries().resolve("etcd").toAbsolutePath();
        executable(bin.resolve("etcd"), "exec '" + realEtcd + "' \"$@\"");
        executable(bin.resolve("kube-apiserver"), "echo 'E0101 cannot start: simulated failure' >&2; exit 3");

        var error = assertThrows(IllegalStateException.class, () -> LocalControlPlane.start(bin));
        assertTrue(error.getMessage().contains("kube-apiserver exited with code 3"), error.getMessage());
        assertTrue(error.getMessage().contains("simulated failure"),
                "the log tail is in the message: " + error.getMessage());
    }

    private static void executable(Path file, String script) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
