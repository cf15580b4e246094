package io.edgebridge.operator.hub;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** The hub's settings ({@code edgebridge.hub.*}). */
@ConfigMapping(prefix = "edgebridge.hub")
public interface HubConfig {

    /** Whether this replica serves edge proxies. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("0.0.0.0")
    String host();

    /** HTTPS port for edge proxies; 0 picks a free one (tests). */
    @WithDefault("8443")
    int port();

    /** Names the hub's TLS certificate is valid for: its Service names and any address proxies use. */
    @WithDefault("edgebridge-hub,edgebridge-hub.edgebridge-system,edgebridge-hub.edgebridge-system.svc,localhost,127.0.0.1")
    List<String> serverNames();

    /** How long a sync with nothing to deliver is held open; under common NAT and proxy idle timeouts. */
    @WithDefault("55s")
    Duration longPoll();

    /** Validity of a proxy's client certificate; short, so a stolen one is worth little. */
    @WithDefault("7d")
    Duration certificateValidity();

    /** Largest request body accepted; anything larger gets 413. */
    @WithDefault("1048576")
    int maxRequestBytes();

    /**
     * Bundles in one sync answer, in bytes of JSON: a cluster owed more gets them over several
     * answers. Under the proxy's own limit (a twentieth of its heap, about 6 MiB by default), and at
     * least the largest bundle (edgebridge.operator.max-bundle-bytes).
     */
    @WithDefault("4194304")
    long maxResponseBytes();

    /** Requests per second one cluster identity may make on average. */
    @WithDefault("1.0")
    double requestsPerSecond();

    /** Requests one identity may make at once above the average (bursts after a reconnect). */
    @WithDefault("10")
    int requestBurst();

    /** Requests handled at once by this replica (held long-polls not counted); more wait in a queue. */
    @WithDefault("64")
    int maxConcurrentRequests();

    /**
     * Requests that may wait for a worker: a fan-out or a healed partition brings thousands at
     * once, each a millisecond of work. Beyond this the hub answers 503 with Retry-After.
     */
    @WithDefault("20000")
    int maxQueuedRequests();

    /**
     * Threads writing what proxies report into EdgeCluster status. Each write waits for the API
     * server; a fan-out to ten thousand clusters brings ten thousand reports within seconds.
     */
    @WithDefault("4")
    int statusWriters();

    /**
     * Status writes per second this replica makes at most (with a second's worth at once); 0: as
     * fast as the API server answers. After a partition heals every cluster reports at once: ten
     * thousand writes, unpaced, kept a core of a small control plane busy for a minute. Paced, a
     * fleet-wide change shows in every EdgeCluster's status after clusters / rate seconds (100 s for
     * ten thousand), and EdgeApp rollout waves, which count ready clusters, wait as long.
     */
    @WithDefault("100")
    double statusWritesPerSecond();

    /**
     * How long status writes wait while the hub works out answers to held syncs woken by a change
     * (a fan-out): delivery first, status after. Counted from when answering began; 0 never waits.
     */
    @WithDefault("10s")
    Duration statusWriteYield();

    /** How often this replica looks for proxies it served that went silent. */
    @WithDefault("10s")
    Duration disconnectCheck();

    /**
     * A connection whose answer stays unacknowledged this long is closed by the kernel
     * (TCP_USER_TIMEOUT, with Linux's native transport). A cut link sends no FIN: without this,
     * every held sync answered meanwhile kept its connection and descriptor until the idle timeout,
     * while its proxy came back on a new one.
     */
    @WithDefault("20s")
    Duration unacknowledgedTimeout();

    /**
     * Longest a proxy may take to complete its TLS handshake. Above Vert.x's 10 s: after a partition
     * thousands of proxies handshake at once, each finishing on its own small CPU or slow link, and a
     * handshake cut off here is done again from the start after the proxy's backoff.
     */
    @WithDefault("30s")
    Duration tlsHandshakeTimeout();

    /**
     * Proxy connections open at once; a connection beyond it is closed at once (the proxy retries
     * after its backoff). Unset: 80% of the process's file descriptor limit, so that the hub cannot
     * take the descriptors the operator needs to reach the API server.
     */
    java.util.OptionalInt maxConnections();

    /**
     * TLS of the hub's port: {@code openssl} (BoringSSL, through Netty) or {@code jdk}. With the
     * JDK 17 provider a mutual-TLS handshake cost the hub milliseconds of CPU (P-256 signatures in
     * Java) and each connection kept kilobytes of TLS state on the heap; ten thousand proxies
     * reconnecting after a partition handshake at once. {@code openssl} falls back to the JDK, with a
     * warning, where the native library cannot load.
     */
    @WithDefault("openssl")
    TlsEngine tlsEngine();

    enum TlsEngine {
        OPENSSL, JDK
    }

    /** Renderings kept in memory; a few per app and site variant. */
    @WithDefault("4096")
    int bundleCacheSize();
}
