package io.edgebridge.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Operator settings ({@code edgebridge.operator.*}). */
@ConfigMapping(prefix = "edgebridge.operator")
public interface OperatorConfig {

    /**
     * Least time between two status writes of one resource. A busy app or cluster is written at most
     * this often; what changed meanwhile is written with the next write, nothing is lost.
     */
    @WithDefault("1s")
    Duration statusWriteInterval();

    /** Whether replicas elect a leader to reconcile (a Lease in {@link #namespace()}). */
    @WithDefault("true")
    boolean leaderElection();

    /**
     * The leader Lease. Its renewals are API writes of their own, every {@code retryPeriod}: with
     * Kubernetes' controller defaults (15 s, 10 s, 2 s) they would be half a write per second, more
     * than a thousand idle edge clusters cost, and a renewal delayed 10 s by load loses it. Only
     * reconciles wait for a new leader (every replica's hub keeps serving proxies); a stopping
     * leader releases the Lease, so only a crashed one makes the next wait the duration out.
     */
    LeaderLease leaderLease();

    /** See {@link #leaderLease()}. */
    interface LeaderLease {
        /**
         * How long a Lease holds without renewal: a crashed leader is replaced after this (a stopping
         * one releases it). Longer than Kubernetes' 15 s: a leader that loses its Lease under load
         * exits, and the hub's connections go with it (see docs/ARCHITECTURE.md).
         */
        @WithDefault("60s")
        Duration duration();

        /**
         * How long the leader keeps trying to renew before it gives the Lease up. Must exceed 2.2
         * retry periods (the Kubernetes client's jitter) and stay below the duration.
         */
        @WithDefault("40s")
        Duration renewDeadline();

        /** Time between renewals (and between a follower's attempts to take the Lease). */
        @WithDefault("15s")
        Duration retryPeriod();
    }

    /** Namespace the operator runs in; its CA Secret and leader Lease live there. */
    @WithDefault("${POD_NAMESPACE:edgebridge-system}")
    String namespace();

    /** Name of the Secret holding the operator's CA (tls.crt, tls.key). */
    @WithDefault("edgebridge-ca")
    String caSecretName();

    /** Name of the Secret holding the key that signs bundles. */
    @WithDefault("edgebridge-bundle-signing")
    String signingSecretName();

    /**
     * How often the hub refreshes a connected cluster's lastSeen. Writes stay under one per second
     * per 1,000 connected clusters at 20 minutes; disconnects are written as they are seen, so
     * this does not slow offline detection.
     */
    @WithDefault("20m")
    Duration lastSeenInterval();

    /** How long a bootstrap token for an edge proxy stays valid. */
    @WithDefault("24h")
    Duration bootstrapTokenTtl();

    /** The URL edge proxies reach the hub at, written into the registration manifest of each cluster. */
    @WithDefault("https://edgebridge-hub.edgebridge-system.svc:443")
    String hubUrl();

    /**
     * Largest bundle the hub ships to an edge site: one app's resources as rendered for one cluster
     * (canonical JSON). An EdgeApp that renders larger for any of its clusters is refused (Degraded,
     * reason InvalidSpec, and an Event) and nothing of that revision is delivered; the hub holds a
     * kept revision that no longer fits rather than sending it. 1 MiB keeps each revision (a
     * ControllerRevision) and every delivered object within etcd's default request limit of 1.5 MiB,
     * on the central cluster and on K3s, and takes about half a minute over a 256 kbit/s link (gzip
     * usually shrinks it several times).
     */
    @WithDefault("1048576")
    long maxBundleBytes();

    /** Image of the edge proxy, written into the registration manifest of each cluster. */
    @WithDefault("ghcr.io/edgebridge/edgebridge-edge-proxy:0.1.0-SNAPSHOT")
    String edgeProxyImage();
}
