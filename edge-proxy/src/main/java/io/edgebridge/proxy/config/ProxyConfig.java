package io.edgebridge.proxy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The edge proxy's settings ({@code edgebridge.proxy.*}, or {@code EDGEBRIDGE_PROXY_*} variables).
 * Identity values come from the mounted bootstrap Secret unless given here.
 */
@ConfigMapping(prefix = "edgebridge.proxy")
public interface ProxyConfig {

    /** The hub's base URL (https); else the bootstrap Secret's {@code hubUrl}. */
    Optional<String> hubUrl();

    /** {@code <namespace>.<name>} of the EdgeCluster; else the bootstrap Secret's {@code cluster}. */
    Optional<String> cluster();

    /** Where the bootstrap Secret is mounted (files cluster, hubUrl, ca.crt, token). */
    Optional<Path> bootstrapDir();

    /** The one-time bootstrap token; else the bootstrap Secret's {@code token}. */
    Optional<String> token();

    /** PEM of the CA that signs the hub's server certificate; else the bootstrap Secret's {@code ca.crt}. */
    Optional<String> caCert();

    /** Desired state, status, inventory and the device's identity; must survive restarts. */
    @WithDefault("/var/lib/edgebridge")
    Path stateDir();

    Backoff backoff();

    /** How often the whole desired state is applied again, repairing changed fields. */
    @WithDefault("2m")
    Duration driftInterval();

    /** How often readiness and nodes are read; deleted objects are restored on this tick. */
    @WithDefault("15s")
    Duration statusInterval();

    /** Longest the hub may stay silent in a call; above the hub's long-poll (about 55 s), which is silent. */
    @WithDefault("70s")
    Duration requestTimeout();

    /**
     * Longest wait for a TCP connection to the hub, and again for its TLS handshake. Generous: after a partition
     * thousands of proxies handshake at once, and a handshake thrown away at the deadline is work
     * done again on the next attempt; slow links (satellite, cellular) need seconds per round trip.
     */
    @WithDefault("30s")
    Duration connectTimeout();

    /** Delays after failed hub calls: exponential, with full jitter, capped. */
    interface Backoff {

        @WithDefault("1s")
        Duration base();

        /**
         * Longest delay while the hub cannot be reached or answers errors. It bounds how long a site
         * stays stale after its link or the hub comes back: proxies that failed often during a
         * reconnect storm waited up to the old 5 minutes. The hub sheds load itself (429 and 503
         * with Retry-After, which the proxy honours beyond this cap).
         */
        @WithDefault("30s")
        Duration cap();

        /** Delay when the hub refuses this cluster or no identity can be had: a person must act first. */
        @WithDefault("5m")
        Duration pause();
    }
}
