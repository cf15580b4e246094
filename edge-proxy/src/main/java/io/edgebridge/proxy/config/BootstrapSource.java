package io.edgebridge.proxy.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the proxy starts from before it has an identity: the bootstrap Secret mounted as files
 * ({@code cluster}, {@code hubUrl}, {@code ca.crt}, {@code token}), or the same values given directly.
 * A value given directly wins. Files are read on every call: Kubernetes updates a mounted Secret in
 * place, so a token the operator re-issues is picked up without a restart.
 */
public final class BootstrapSource {

    public static final String CLUSTER = "cluster";
    public static final String HUB_URL = "hubUrl";
    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String TOKEN = "token";

    private final Optional<Path> directory;
    private final Optional<String> cluster;
    private final Optional<String> hubUrl;
    private final Optional<String> caCertificate;
    private final Optional<String> token;

    public BootstrapSource(Optional<Path> directory, Optional<String> cluster, Optional<String> hubUrl,
            Optional<String> caCertificate, Optional<String> token) {
        this.directory = directory;
        this.cluster = nonBlank(cluster);
        this.hubUrl = nonBlank(hubUrl);
        this.caCertificate = nonBlank(caCertificate);
        this.token = nonBlank(token);
    }

    /** Values given directly, no files. */
    public static BootstrapSource of(String cluster, String hubUrl, String caCertificate, String token) {
        return new BootstrapSource(Optional.empty(), Optional.ofNullable(cluster), Optional.ofNullable(hubUrl),
                Optional.ofNullable(caCertificate), Optional.ofNullable(token));
    }

    public Optional<String> cluster() {
        return cluster.or(() -> file(CLUSTER));
    }

    public Optional<String> hubUrl() {
        return hubUrl.or(() -> file(HUB_URL));
    }

    public Optional<String> caCertificate() {
        return caCertificate.or(() -> file(CA_CERTIFICATE));
    }

    public Optional<String> token() {
        return token.or(() -> file(TOKEN));
    }

    private Optional<String> file(String name) {
        if (directory.isEmpty()) {
            return Optional.empty();
        }
        var file = directory.get().resolve(name);
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            return nonBlank(Optional.of(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::strip).filter(v -> !v.isEmpty());
    }
}
