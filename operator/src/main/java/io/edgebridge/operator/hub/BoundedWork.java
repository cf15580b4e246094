package io.edgebridge.operator.hub;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * Runs at most a fixed number of tasks at once; a burst beyond that waits in a bounded queue,
 * first come, first served. A fan-out or a healed partition brings thousands of syncs within
 * milliseconds, each a millisecond of work: refusing them would send every proxy into a backoff of
 * seconds, queueing them costs a reference each.
 */
final class BoundedWork {

    private final int concurrency;
    private final int queueLimit;
    private final Executor executor;
    private final Deque<Runnable> queue = new ArrayDeque<>();
    private int running;

    BoundedWork(int concurrency, int queueLimit, Executor executor) {
        this.concurrency = concurrency;
        this.queueLimit = queueLimit;
        this.executor = executor;
    }

    /** @return false when the workers are busy and the queue is full: the caller should come back later */
    boolean submit(Runnable task) {
        synchronized (queue) {
            if (running >= concurrency) {
                if (queue.size() >= queueLimit) {
                    return false;
                }
                queue.add(task);
                return true;
            }
            running++;
        }
        start(task);
        return true;
    }

    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void start(Runnable task) {
        executor.execute(() -> {
            try {
                task.run();
            } finally {
                Runnable next;
                synchronized (queue) {
                    next = queue.poll();
                    if (next == null) {
                        running--;
                    }
                }
                if (next != null) {
                    start(next);
                }
            }
        });
    }
}
