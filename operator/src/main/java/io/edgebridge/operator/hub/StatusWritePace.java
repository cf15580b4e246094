package io.edgebridge.operator.hub;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Paces all of this replica's status writes to a rate the API server can take beside everything
 * else it serves. A healed partition or a fleet-wide change brings one report per cluster within
 * seconds; written as fast as the API server answers, ten thousand of them took a whole core of the
 * control plane for a minute, which the hub's answers to the proxies needed. Paced, the same writes
 * take longer to show, and {@link OnePerKey} folds the reports that arrive meanwhile into fewer.
 */
final class StatusWritePace {

    /** How a writer waits for its turn; a test passes one that moves its clock instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final String ALL = "status-writes";

    private final RateLimiter bucket;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    /** @param perSecond writes per second at most, with up to a second's worth at once; 0 or less: unpaced */
    StatusWritePace(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this.bucket = perSecond > 0 ? new RateLimiter(perSecond, (int) Math.max(1, Math.ceil(perSecond))) : null;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    static StatusWritePace of(double perSecond) {
        return new StatusWritePace(perSecond, System::nanoTime, duration -> Thread.sleep(duration.toMillis()));
    }

    /** Returns when the calling writer may write. */
    void awaitTurn() throws InterruptedException {
        if (bucket == null) {
            return;
        }
        var wait = bucket.acquire(ALL, nanoTime.getAsLong());
        while (wait.isPresent()) {
            sleeper.sleep(wait.get());
            wait = bucket.acquire(ALL, nanoTime.getAsLong());
        }
    }
}
