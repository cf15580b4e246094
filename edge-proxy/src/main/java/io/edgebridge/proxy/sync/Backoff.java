package io.edgebridge.proxy.sync;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Delays between failed attempts: exponential with full jitter (a random delay up to base x 2^n,
 * capped), so a fleet that lost the hub at the same moment does not come back at the same moment.
 * A small floor keeps a run of unlucky draws from turning into a busy loop. Not thread-safe.
 */
public final class Backoff {

    /** Retry-After values above this are taken as this: a broken header must not silence a site for days. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final long baseMillis;
    private final long capMillis;
    private final long pauseMillis;
    private final RandomGenerator random;
    private int failures;

    /**
     * @param base ceiling of the first delay
     * @param cap longest delay after failures: short enough that a fleet is back soon after its link
     * @param pause delay for answers a person must act on, see {@link #longPause()}
     */
    public Backoff(Duration base, Duration cap, Duration pause, RandomGenerator random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
        this.pauseMillis = Math.max(1, pause.toMillis());
        this.random = random;
    }

    /** The delay before the next attempt after one more failure. */
    public Duration next() {
        long ceiling = ceiling(failures);
        failures++;
        return Duration.ofMillis(jitter(floor(ceiling), ceiling));
    }

    /** As {@link #next()}, but never sooner than the server asked. */
    public Duration next(Optional<Duration> retryAfter) {
        return next(retryAfter, Duration.ZERO);
    }

    /**
     * As {@link #next(Optional)}, less the time the failed attempt took (as gRPC's connection
     * backoff): a connect that timed out after 30 s has waited already. When a link comes back, a
     * proxy whose connect was caught in the outage then retries at once instead of sleeping a
     * whole backoff on top; while the hub stays unreachable, each proxy still tries once per connect
     * timeout at most. Retry-After is honoured whole.
     */
    public Duration next(Optional<Duration> retryAfter, Duration spent) {
        var jittered = next();
        var delay = spent.compareTo(jittered) >= 0 ? Duration.ZERO : jittered.minus(spent);
        if (retryAfter.isEmpty()) {
            return delay;
        }
        var asked = retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter.get();
        return asked.compareTo(delay) > 0 ? asked : delay;
    }

    /**
     * A long delay, for answers that will not change soon (the hub refuses this cluster, no identity
     * can be had): half the pause to the pause.
     */
    public Duration longPause() {
        failures++;
        return Duration.ofMillis(jitter(pauseMillis / 2, pauseMillis));
    }

    /** After a success: the next failure starts again from the base. */
    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }

    public Duration base() {
        return Duration.ofMillis(baseMillis);
    }

    private long ceiling(int attempt) {
        // 2^attempt overflows long after ~62 doublings; the cap is reached long before.
        int shift = Math.min(attempt, 40);
        long ceiling = baseMillis << shift;
        return ceiling <= 0 || ceiling > capMillis ? capMillis : ceiling;
    }

    private long floor(long ceiling) {
        return Math.min(ceiling, Math.max(1, baseMillis / 10));
    }

    private long jitter(long low, long high) {
        return high <= low ? high : low + random.nextLong(high - low + 1);
    }
}
