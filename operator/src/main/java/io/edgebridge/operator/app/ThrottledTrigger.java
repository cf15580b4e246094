package io.edgebridge.operator.app;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns many "this key may have moved" nudges into at most one firing per key per interval: the
 * first nudge fires at once, nudges within the interval after it are folded into one firing at
 * its end. An EdgeApp's clusters report within seconds of each other in a fan-out (ten thousand
 * reports for ten thousand clusters); each would re-plan the whole app, while its status is
 * written at most once per status write interval anyway.
 */
final class ThrottledTrigger<K> {

    /** Runs a task after a delay (a scheduled executor in the operator, by hand in tests). */
    interface Scheduler {
        void schedule(Runnable task, long delayNanos);
    }

    private final long intervalNanos;
    private final Scheduler scheduler;
    private final LongSupplier nanoTime;
    private final Consumer<K> fire;
    private final Set<K> pending = ConcurrentHashMap.newKeySet();
    /** When each key last fired; kept one interval only, so keys that went away are forgotten. */
    private final Map<K, Long> lastFired = new ConcurrentHashMap<>();

    ThrottledTrigger(Duration interval, Scheduler scheduler, LongSupplier nanoTime, Consumer<K> fire) {
        this.intervalNanos = interval.toNanos();
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.fire = fire;
    }

    void nudge(K key) {
        if (!pending.add(key)) {
            return; // a firing is due already and will see this change too
        }
        var last = lastFired.get(key);
        long delay = last == null ? 0 : Math.max(0, last + intervalNanos - nanoTime.getAsLong());
        scheduler.schedule(() -> fireNow(key), delay);
    }

    private void fireNow(K key) {
        long now = nanoTime.getAsLong();
        lastFired.put(key, now);
        // Before firing: a nudge during the reconcile it starts must schedule another firing.
        pending.remove(key);
        try {
            fire.accept(key);
        } finally {
            scheduler.schedule(() -> lastFired.remove(key, now), intervalNanos);
        }
    }

    /** Keys remembered (pending or fired within the interval): bounded by the keys nudged lately. */
    int remembered() {
        return Math.max(pending.size(), lastFired.size());
    }
}
