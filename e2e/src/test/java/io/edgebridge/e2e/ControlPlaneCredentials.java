package io.edgebridge.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The files a throwaway kube-apiserver needs to authenticate: a service-account signing key and a
 * static token for one cluster admin. Fresh for every control plane, so no secret is shared
 * between runs or checked in.
 */
final class ControlPlaneCredentials {

    private final Path dir;
    private final String adminToken;

    private ControlPlaneCredentials(Path dir, String adminToken) {
        this.dir = dir;
        this.adminToken = adminToken;
    }

    static ControlPlaneCredentials create(Path dir) throws IOException, GeneralSecurityException {
        var random = new SecureRandom();
        var token = new byte[24];
        random.nextBytes(token);
        var credentials = new ControlPlaneCredentials(dir, HexFormat.of().formatHex(token));

        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        var pair = generator.generateKeyPair();
        // PKCS#8 and X.509 SubjectPublicKeyInfo: the encodings Java produces and kube-apiserver reads.
        writePem(credentials.serviceAccountKey(), "PRIVATE KEY", pair.getPrivate().getEncoded());
        writePem(credentials.serviceAccountPublicKey(), "PUBLIC KEY", pair.getPublic().getEncoded());
        // system:masters passes every authorization check, RBAC included.
        Files.writeString(credentials.tokenFile(), credentials.adminToken + ",admin,admin,\"system:masters\"\n");
        return credentials;
    }

    String adminToken() {
        return adminToken;
    }

    Path serviceAccountKey() {
        return dir.resolve("sa.key");
    }

    Path serviceAccountPublicKey() {
        return dir.resolve("sa.pub");
    }

    Path tokenFile() {
        return dir.resolve("tokens.csv");
    }

    /** A kubeconfig for the admin, trusting the server's self-signed certificate and nothing else. */
    String kubeconfig(String serverUrl, Path caCertificate) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: local
                    cluster:
                      server: "%s"
                      certificate-authority: "%s"
                users:
                  - name: admin
                    user:
                      token: "%s"
                contexts:
                  - name: local
                    context: {cluster: local, user: admin}
                current-context: local
                """.formatted(serverUrl, caCertificate.toAbsolutePath(), adminToken);
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        var base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n");
    }
}
