package io.edgebridge.operator.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one replica wrote lately, per writer and object: when (for the per-object write interval)
 * and, for writers that read their own writes back, the status and the resourceVersion it got.
 * Bounded by recent activity: entries of objects not written for many intervals are dropped, so
 * a fleet of ten thousand objects does not keep a copy of every status it ever wrote.
 */
final class RecentWrites {

    /** Below this many entries, nothing is worth scanning for. */
    static final int FORGET_THRESHOLD = 1024;
    /** Write intervals after which an entry is forgotten. */
    static final int FORGET_AFTER_INTERVALS = 60;

    /** A status written, and the resourceVersion the write produced. */
    record Written(long resourceVersion, Object status) {
    }

    private final Duration interval;
    private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private volatile Instant lastForget = Instant.MIN;

    RecentWrites(Duration interval) {
        this.interval = interval;
    }

    /** How long {@code key} must still wait before its next write; empty when it may write now. */
    Optional<Duration> wait(String key, Instant now) {
        var previous = lastWrite.get(key);
        if (previous != null && previous.plus(interval).isAfter(now)) {
            return Optional.of(Duration.between(now, previous.plus(interval)));
        }
        return Optional.empty();
    }

    /** Records a write; the status is kept only when it will be read back ({@code status} not null). */
    void wrote(String key, Instant now, Optional<Long> resourceVersion, Object status) {
        lastWrite.put(key, now);
        if (status != null) {
            resourceVersion.ifPresent(version -> written.put(key, new Written(version, status)));
        }
        forgetOld(now);
    }

    Optional<Written> written(String key) {
        return Optional.ofNullable(written.get(key));
    }

    /** The cache has caught up with the write: the copy is no longer needed. */
    void caughtUp(String key) {
        written.remove(key);
    }

    int size() {
        return Math.max(lastWrite.size(), written.size());
    }

    private void forgetOld(Instant now) {
        // A scan is a pass over every entry: at most one per few intervals, not one per write (at ten
        // thousand clusters that was an eighth of the operator's CPU).
        if (lastWrite.size() < FORGET_THRESHOLD
                || now.isBefore(lastForget.plus(interval.multipliedBy(FORGET_AFTER_INTERVALS / 6)))) {
            return;
        }
        lastForget = now;
        var horizon = now.minus(interval.multipliedBy(FORGET_AFTER_INTERVALS));
        lastWrite.entrySet().removeIf(e -> {
            boolean old = e.getValue().isBefore(horizon);
            if (old) {
                written.remove(e.getKey());
            }
            return old;
        });
    }
}
