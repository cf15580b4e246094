package io.edgebridge.operator.hub;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most so many proxy connections open at once. Every connection is a file descriptor; when a
 * partition heals, ten thousand proxies reconnect while the hub still holds their old connections
 * (a cut link sends no FIN; they end with the idle timeout), and a hub that runs out of descriptors
 * cannot reach the API server either: it lost its leader Lease that way and exited. Beyond the
 * limit a new connection is closed at once and its proxy comes back after its backoff.
 */
final class ConnectionLimit {

    /** Descriptors left for everything else: the API server client, watches, files, metrics. */
    static final double SHARE_OF_DESCRIPTORS = 0.8;

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the connection limit must be at least 1, not " + limit);
        }
        this.limit = limit;
    }

    /** The limit for a process that may open {@code maxDescriptors} files: most of them. */
    static int forDescriptors(long maxDescriptors) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) (maxDescriptors * SHARE_OF_DESCRIPTORS)));
    }

    /** @return whether the new connection may stay; if so, {@link #closed()} must follow when it ends */
    boolean tryOpen() {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    void closed() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    int limit() {
        return limit;
    }
}
