package io.edgebridge.operator.hub;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Answers to held syncs being worked out, and a wait for them to be done: status writes yield to
 * delivery. A change to an app wakes every held sync it concerns at once; while the hub works out
 * those answers, each status write (and the watch event it comes back as) takes CPU the answers
 * need. A write waits, but never longer than the given time from when answering began, so a hub
 * that is never idle still writes status.
 */
@Singleton
public class AnswersInFlight {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongSupplier nanoTime;
    private final Object idle = new Object();
    private volatile long busySince;

    public AnswersInFlight() {
        this(System::nanoTime);
    }

    AnswersInFlight(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void started() {
        if (inFlight.getAndIncrement() == 0) {
            busySince = nanoTime.getAsLong();
        }
    }

    void finished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Returns once no answer is being worked out, or {@code atMost} after answering began. */
    void awaitNone(Duration atMost) throws InterruptedException {
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = busySince + atMost.toNanos() - nanoTime.getAsLong();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
    }
}
