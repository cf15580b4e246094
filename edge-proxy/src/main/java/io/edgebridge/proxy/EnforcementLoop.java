package io.edgebridge.proxy;

import io.edgebridge.proxy.apply.AppOutcome;
import io.edgebridge.proxy.apply.EnforcementResult;
import io.edgebridge.proxy.apply.StateEnforcer;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.edgebridge.proxy.report.StatusCollector;
import io.edgebridge.proxy.report.StatusReporter;
import io.edgebridge.proxy.store.DesiredState;
import io.edgebridge.proxy.store.DesiredStateStore;
import io.edgebridge.proxy.sync.LoopExecutors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps the local cluster at the desired state, whether or not the hub is reachable, on one thread:
 * applies the state when a new one arrives and again every drift interval (server-side apply
 * restores changed fields it owns); every status interval reads readiness and nodes, restores
 * applied objects that were deleted, and hands changed status to the reporter.
 */
final class EnforcementLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EnforcementLoop.class);
    /** One enforcement taking longer than this means the loop hangs (an API call that never returns). */
    private static final Duration STUCK_AFTER = Duration.ofMinutes(10);

    private final StateEnforcer enforcer;
    private final DesiredStateStore desired;
    private final StatusCollector status;
    private final StatusReporter reporter;
    private final ProxyMetrics metrics;
    private final Runnable statusChanged;
    private final Duration driftInterval;
    private final Duration statusInterval;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean enforceQueued = new AtomicBoolean();

    private volatile boolean appliedOnce;
    private boolean lastRoundIncomplete;
    private volatile Instant busySince;
    private volatile String appliedStateHash;
    private Map<String, AppOutcome> outcomes = Map.of();

    /** @param statusChanged called when a new status report waits to be sent; must not block */
    EnforcementLoop(String cluster, StateEnforcer enforcer, DesiredStateStore desired, StatusCollector status,
            StatusReporter reporter, ProxyMetrics metrics, Runnable statusChanged, Duration driftInterval,
            Duration statusInterval, Clock clock) {
        this.enforcer = enforcer;
        this.desired = desired;
        this.status = status;
        this.reporter = reporter;
        this.metrics = metrics;
        this.statusChanged = statusChanged;
        this.driftInterval = driftInterval;
        this.statusInterval = statusInterval;
        this.clock = clock;
        this.executor = LoopExecutors.singleThread("edgebridge-enforce-" + cluster);
    }

    void start() {
        requestEnforce();
        executor.scheduleWithFixedDelay(this::requestEnforce, driftInterval.toMillis(), driftInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> guarded("status", this::refreshStatus), statusInterval.toMillis(),
                statusInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Applies the desired state soon; requests made while one is queued are merged into it. */
    void requestEnforce() {
        if (enforceQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> guarded("enforcement", this::enforce));
            } catch (RejectedExecutionException stopping) {
                // close() was called: nothing more to enforce.
            }
        }
    }

    /** A desired state was loaded or received and applied at least once. */
    boolean appliedOnce() {
        return appliedOnce;
    }

    String appliedStateHash() {
        return appliedStateHash;
    }

    boolean alive() {
        var since = busySince;
        return !executor.isShutdown()
                && (since == null || Duration.between(since, clock.instant()).compareTo(STUCK_AFTER) < 0);
    }

    @Override
    public void close() {
        LoopExecutors.stop(executor, Duration.ofSeconds(10));
    }

    private void enforce() {
        enforceQueued.set(false);
        var state = desired.current();
        if (state.isEmpty()) {
            // Nothing known yet (first start, hub not reached): nothing to apply, and nothing to prune.
            refreshStatus();
            return;
        }
        var result = enforcer.enforce(state.get().appBundles(), state.get().withheld());
        metrics.applyErrors(result.errors());
        logChanges(result);
        outcomes = result.apps();
        lastRoundIncomplete = !result.complete();
        if (result.complete()) {
            appliedStateHash = state.get().stateHash();
            metrics.appliedState(appliedStateHash);
            appliedOnce = true;
        }
        refreshStatus();
    }

    private void refreshStatus() {
        var snapshot = status.collect(desired.current().orElse(DesiredState.empty()), outcomes, appliedStateHash);
        if (!snapshot.missing().isEmpty()) {
            LOG.infof("Restoring %d deleted object(s): %s", snapshot.missing().size(), snapshot.missing());
            requestEnforce();
        } else if (lastRoundIncomplete) {
            // The API server did not answer discovery (restarting after a reboot?): try again soon,
            // not only at the next drift tick.
            requestEnforce();
        }
        if (reporter.update(snapshot.report())) {
            statusChanged.run();
        }
    }

    private void logChanges(EnforcementResult result) {
        for (var outcome : result.apps().values()) {
            var before = outcomes.get(outcome.app());
            boolean newBundle = before == null || !outcome.bundleHash().equals(before.bundleHash());
            if (outcome.failed() && (newBundle || !outcome.errors().equals(before.errors()))) {
                LOG.warnf("App %s revision %s: %d object(s) not applied; first: %s", outcome.app(),
                        outcome.revision(), outcome.errors().size(), outcome.errors().get(0));
            } else if (!outcome.failed() && (newBundle || before.failed())) {
                LOG.infof("Applied app %s revision %s (%d objects)", outcome.app(), outcome.revision(),
                        outcome.applied().size());
            }
        }
    }

    /** A scheduled task that throws is never run again: keep the loop going whatever happens. */
    private void guarded(String what, Runnable task) {
        busySince = clock.instant();
        try {
            task.run();
        } catch (RuntimeException e) {
            if (executor.isShutdown()) {
                // Interrupted by close(): an aborted API call, not a failure.
                return;
            }
            LOG.errorf(e, "The %s failed; it runs again on the next tick", what);
        } finally {
            busySince = null;
        }
    }
}
