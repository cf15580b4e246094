package io.edgebridge.proxy.sync;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** The single threads the proxy's loops run on, and how they stop. */
public final class LoopExecutors {

    private static final Logger LOG = Logger.getLogger(LoopExecutors.class);

    private LoopExecutors() {
    }

    /** A daemon thread of that name; work scheduled for later is dropped at shutdown. */
    public static ScheduledExecutorService singleThread(String name) {
        var executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            var thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Lets the running task finish (an interrupt in the middle of a state file write aborts it, and
     * the data it was saving is lost), then interrupts what is still running after {@code grace}.
     */
    public static void stop(ScheduledExecutorService executor, Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warnf("A proxy loop did not stop within %s", grace.multipliedBy(2));
                }
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
