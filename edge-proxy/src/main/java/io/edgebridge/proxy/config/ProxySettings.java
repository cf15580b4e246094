package io.edgebridge.proxy.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the proxy core needs to know, as plain values (the Quarkus layer builds it from
 * {@link ProxyConfig}; tests build it directly).
 *
 * @param cluster identity of the edge cluster, {@code <namespace>.<name>}, as in its certificate
 * @param hubUrl base URL of the hub, https
 * @param stateDirectory where desired state, status, inventory and identity are kept
 * @param backoffBase first delay after a failure
 * @param backoffCap longest delay after failures
 * @param refusalPause delay when the hub refuses this cluster or no identity can be had (also between
 *        failed certificate renewals)
 * @param driftInterval how often the whole desired state is applied again
 * @param statusInterval how often readiness and nodes are looked at (and deleted objects restored)
 * @param connectTimeout longest wait for a connection to the hub, TLS handshake included
 * @param requestTimeout longest a hub call may take; longer than the hub's long-poll
 * @param proxyVersion reported to the hub
 */
public record ProxySettings(
        String cluster,
        URI hubUrl,
        Path stateDirectory,
        BootstrapSource bootstrap,
        Duration backoffBase,
        Duration backoffCap,
        Duration refusalPause,
        Duration driftInterval,
        Duration statusInterval,
        Duration connectTimeout,
        Duration requestTimeout,
        String proxyVersion) {

    public ProxySettings {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(hubUrl, "hubUrl");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(bootstrap, "bootstrap");
        if (!"https".equalsIgnoreCase(hubUrl.getScheme())) {
            throw new IllegalArgumentException("the hub URL must be https: " + hubUrl);
        }
        if (cluster.indexOf('.') <= 0 || cluster.endsWith(".")) {
            throw new IllegalArgumentException("the cluster must be <namespace>.<name>: " + cluster);
        }
        positive(backoffBase, "backoffBase");
        positive(backoffCap, "backoffCap");
        positive(refusalPause, "refusalPause");
        positive(driftInterval, "driftInterval");
        positive(statusInterval, "statusInterval");
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        if (backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffCap must not be below backoffBase");
        }
    }

    /** Settings with the production defaults for everything but identity and location. */
    public static ProxySettings defaults(String cluster, URI hubUrl, Path stateDirectory, BootstrapSource bootstrap) {
        return new ProxySettings(cluster, hubUrl, stateDirectory, bootstrap, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofSeconds(15),
                Duration.ofSeconds(30), Duration.ofSeconds(70), "dev");
    }

    public ProxySettings withTimings(Duration backoffBase, Duration backoffCap, Duration refusalPause,
            Duration driftInterval, Duration statusInterval, Duration requestTimeout) {
        return new ProxySettings(cluster, hubUrl, stateDirectory, bootstrap, backoffBase, backoffCap, refusalPause,
                driftInterval, statusInterval, connectTimeout, requestTimeout, proxyVersion);
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
