package io.edgebridge.proxy.sync;

import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.proxy.identity.BundleVerifier;
import io.edgebridge.proxy.identity.HubTls;
import io.edgebridge.proxy.identity.Identity;
import io.edgebridge.proxy.identity.TlsContexts;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.edgebridge.proxy.report.StatusReporter;
import io.edgebridge.proxy.store.DesiredState;
import io.edgebridge.proxy.store.DesiredStateStore;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The conversation with the hub, on one thread: sync (long-poll), store what changed, hand it to
 * the enforcement, wait as long as the hub says, repeat. Failures back off exponentially with
 * jitter; the local cluster keeps being enforced meanwhile, by the enforcement loop.
 */
public final class SyncLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SyncLoop.class);
    /** A reply faster than this with nothing in it, twice in a row, means the hub is not holding requests. */
    private static final Duration QUICK_REPLY = Duration.ofSeconds(1);
    /** Sequence number of "no status in this request": below every real one. */
    private static final long NO_STATUS = -1;

    private final String cluster;
    private final Enrollment enrollment;
    private final DesiredStateStore desired;
    private final StatusReporter reporter;
    private final ProxyMetrics metrics;
    private final Backoff backoff;
    private final Function<HubTls, HubClient> clients;
    private final Runnable onNewDesiredState;
    private final Clock clock;
    private final Duration stuckAfter;
    private final ScheduledExecutorService scheduler;

    private volatile boolean closed;
    private volatile InFlight inFlight;
    private volatile Instant cycleStarted;
    private volatile ScheduledFuture<?> next;
    private Identity clientIdentity;
    private HubClient client;
    /** The hub's bundle key of {@link #verifierIdentity}, ready to verify with (converting the key costs). */
    private BundleVerifier verifier;
    private Identity verifierIdentity;
    private int quickEmptyReplies;
    private final HeldAppsRule heldApps = new HeldAppsRule();
    private boolean outageLogged;

    /** A sync waiting for its answer, and the status report it carries. */
    private record InFlight(HubClient.Call<SyncReply> call, long statusSeq) {
    }

    /**
     * @param onNewDesiredState called after a new desired state was stored; must not block
     * @param requestTimeout the longest a hub call may take; the loop counts as stuck well after it
     */
    public SyncLoop(String cluster, Enrollment enrollment, DesiredStateStore desired, StatusReporter reporter,
            ProxyMetrics metrics, Backoff backoff, Function<HubTls, HubClient> clients, Runnable onNewDesiredState,
            Clock clock, Duration requestTimeout) {
        this.cluster = cluster;
        this.enrollment = enrollment;
        this.desired = desired;
        this.reporter = reporter;
        this.metrics = metrics;
        this.backoff = backoff;
        this.clients = clients;
        this.onNewDesiredState = onNewDesiredState;
        this.clock = clock;
        // Bootstrap, renewal and sync may each take up to the request timeout in one cycle.
        this.stuckAfter = requestTimeout.multipliedBy(3).plusMinutes(1);
        this.scheduler = LoopExecutors.singleThread("edgebridge-sync-" + cluster);
    }

    public void start() {
        schedule(Duration.ZERO);
    }

    /**
     * A newer status report is waiting: a sync held by the hub without it is cut short, so the hub
     * hears of the change now rather than after its long-poll.
     */
    public void nudge() {
        var flight = inFlight;
        var pending = reporter.pending();
        if (flight != null && pending.isPresent() && flight.statusSeq() < pending.get().seq()) {
            flight.call().cancel();
        }
    }

    /** The loop is waiting for its next cycle, or in one that has not overrun. */
    public boolean alive() {
        if (closed || scheduler.isShutdown()) {
            return false;
        }
        var started = cycleStarted;
        if (started != null) {
            return Duration.between(started, clock.instant()).compareTo(stuckAfter) < 0;
        }
        var scheduled = next;
        return scheduled != null && !scheduled.isDone();
    }

    @Override
    public void close() {
        closed = true;
        var flight = inFlight;
        if (flight != null) {
            flight.call().cancel();
        }
        LoopExecutors.stop(scheduler, Duration.ofSeconds(5));
        var current = client;
        if (current != null) {
            current.close();
        }
    }

    private void schedule(Duration delay) {
        try {
            if (!closed) {
                next = scheduler.schedule(this::cycle, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException stopping) {
            // close() was called between the check and the scheduling.
        }
    }

    private void cycle() {
        if (closed) {
            return;
        }
        var started = clock.instant();
        cycleStarted = started;
        Duration delay;
        try {
            delay = syncOnce();
        } catch (CancellationException cut) {
            if (closed) {
                return;
            }
            // Cut short by nudge(): go again at once with the newer status.
            delay = Duration.ZERO;
        } catch (HubException e) {
            delay = failed(e, Duration.between(started, clock.instant()));
        } catch (EnrollmentException e) {
            // Needs someone to act (a new token, a fixed Secret): ask rarely.
            metrics.disconnected();
            outageLogged = true;
            delay = backoff.longPause();
            LOG.errorf("Cannot get an identity for the hub: %s; retrying in %s", e.getMessage(), delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException | IOException | GeneralSecurityException e) {
            metrics.disconnected();
            delay = backoff.next();
            LOG.errorf(e, "Sync failed; retrying in %s", delay);
        } finally {
            cycleStarted = null;
        }
        schedule(delay);
    }

    private Duration syncOnce() throws HubException, EnrollmentException, InterruptedException, IOException,
            GeneralSecurityException {
        var identity = enrollment.ensure();
        var hub = clientFor(identity);
        if (enrollment.renewIfDue(hub)) {
            hub = clientFor(enrollment.current().orElseThrow());
        }
        var held = desired.current().orElse(null);
        var status = reporter.pending();
        var request = heldApps.request(held, status.orElse(null));
        var call = hub.sync(cluster, request);
        var started = clock.instant();
        inFlight = new InFlight(call, status.map(StatusReport::seq).orElse(NO_STATUS));
        if (closed) {
            call.cancel();
        }
        // A report made while this request was being built found nothing in flight to cut short.
        nudge();
        SyncReply reply;
        try {
            reply = call.await();
        } finally {
            inFlight = null;
        }
        return succeeded(reply, held, identity, Duration.between(started, clock.instant()));
    }

    private Duration succeeded(SyncReply reply, DesiredState held, Identity identity, Duration took)
            throws IOException {
        heldApps.answered();
        metrics.connected(clock.instant());
        if (outageLogged) {
            LOG.infof("Connected to the hub again after %d failed attempts", backoff.failures());
            outageLogged = false;
        }
        var update = DesiredStateUpdate.merge(held, reply, verifierFor(identity));
        metrics.rejectedBundles(update.rejected().size());
        update.rejected().forEach(r -> LOG.errorf("Refused a bundle that does not verify: %s", r));
        if (update.changed()) {
            desired.save(update.state());
            if (held == null || !held.known().equals(update.state().known())
                    || !held.withheld().equals(update.state().withheld())) {
                LOG.infof("New desired state %s: %d apps (%d changed, %d removed)",
                        Objects.requireNonNullElse(update.state().stateHash(), "(incomplete)"),
                        update.state().bundles().size(), reply.changed().size() - update.rejected().size(),
                        reply.removed().size());
                onNewDesiredState.run();
            }
        }
        if (!Objects.equals(reply.epoch(), held == null ? null : held.epoch())) {
            // The hub lost its memory (or this is the first contact): it must get the full status again.
            reporter.resend();
        }
        reporter.acknowledge(reply.ack());
        if (!update.rejected().isEmpty()) {
            // Asking again at once would fetch the same bad bundle at once: back off as for a failure.
            return backoff.next();
        }
        backoff.reset();
        var delay = Duration.ofSeconds(Math.max(0, reply.pollAfterSeconds() == null ? 0 : reply.pollAfterSeconds()));
        boolean empty = !update.changed() && reply.changed().isEmpty() && reply.removed().isEmpty();
        quickEmptyReplies = empty && took.compareTo(QUICK_REPLY) < 0 ? quickEmptyReplies + 1 : 0;
        if (delay.isZero() && quickEmptyReplies >= 2 && reporter.pending().isEmpty()) {
            return backoff.base();
        }
        return delay;
    }

    private Duration failed(HubException e, Duration spent) {
        if (heldApps.listAsked(e)) {
            // This hub replica does not know the state's hash (it restarted): ask again at once, with the list.
            LOG.debugf("The hub asked for the list of held apps: %s", e.getMessage());
            return Duration.ZERO;
        }
        metrics.disconnected();
        Duration delay;
        boolean firstFailure = !outageLogged;
        outageLogged = true;
        if (e.identityRejected()) {
            enrollment.rejected();
            delay = backoff.next();
            LOG.warnf("The hub refused this proxy's certificate (%s); bootstrapping again in %s", e.getMessage(),
                    delay);
        } else if (e.forbidden()) {
            delay = backoff.longPause();
            LOG.warnf("The hub refuses cluster %s (%s): quarantined or deleted? Local state stays enforced;"
                    + " asking again in %s", cluster, e.getMessage(), delay);
        } else {
            delay = backoff.next(e.retryAfter(), spent);
            if (firstFailure) {
                LOG.warnf("Sync with the hub failed: %s. The local desired state stays enforced; retrying in %s",
                        e.getMessage(), delay);
            } else {
                LOG.debugf("Sync with the hub failed again: %s; retrying in %s", e.getMessage(), delay);
            }
        }
        return delay;
    }

    private HubClient clientFor(Identity identity) throws GeneralSecurityException {
        if (client == null || clientIdentity != identity) {
            if (client != null) {
                client.close();
            }
            client = clients.apply(TlsContexts.mutual(identity));
            clientIdentity = identity;
        }
        return client;
    }

    private BundleVerifier verifierFor(Identity identity) {
        if (verifier == null || verifierIdentity != identity) {
            verifier = new BundleVerifier(identity.bundleSigningKey());
            verifierIdentity = identity;
        }
        return verifier;
    }
}
