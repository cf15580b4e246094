package io.edgebridge.operator.hub;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per identity: a proxy may burst after a reconnect, but a runaway or hostile one
 * cannot take the hub's time from the rest of the fleet.
 */
public final class RateLimiter {

    private final double perSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    /** Takes a token; when there is none, how long until there is one. */
    public Optional<Duration> acquire(String identity, long nowNanos) {
        var bucket = buckets.computeIfAbsent(identity, k -> new Bucket(burst, nowNanos));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (nowNanos - bucket.updatedNanos) / 1e9 * perSecond);
            bucket.updatedNanos = nowNanos;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis((long) Math.ceil((1 - bucket.tokens) / perSecond * 1000)));
        }
    }

    /** Drops buckets that are full again: they hold nothing a new bucket would not. */
    public void forgetIdle(long nowNanos) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().tokens + (nowNanos - e.getValue().updatedNanos) / 1e9 * perSecond >= burst;
            }
        });
    }

    int size() {
        return buckets.size();
    }
}
