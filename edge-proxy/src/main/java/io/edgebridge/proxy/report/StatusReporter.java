package io.edgebridge.proxy.report;

import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.proxy.store.StatusStore;
import io.edgebridge.proxy.store.StoredStatus;
import java.io.IOException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Decides which status the hub must get: a new report (with the next sequence number) only when
 * something in it changed, kept on disk until the hub acknowledges its sequence number, and sent
 * again in full when the hub's epoch changes (the hub forgot). Thread-safe.
 */
public final class StatusReporter {

    private static final Logger LOG = Logger.getLogger(StatusReporter.class);
    /**
     * How far the sequence jumps when the newest stored report was lost: past anything the lost file
     * can have held, so the hub never takes a new report for an old, already acknowledged one.
     */
    static final long LOST_REPORT_GAP = 1_000_000;

    private final StatusStore store;
    private StoredStatus latest;
    private long nextSeq;

    public StatusReporter(StatusStore store) throws IOException {
        this.store = store;
        var loaded = store.load();
        latest = loaded.status().orElse(null);
        long stored = latest == null ? 0 : latest.report().seq();
        nextSeq = stored + 1 + (loaded.lostNewest() ? LOST_REPORT_GAP : 0);
        if (loaded.lostNewest()) {
            LOG.warnf("The newest stored status was lost; status sequence numbers continue at %d", nextSeq);
        }
    }

    /**
     * Takes the current status; it becomes a new report only if it differs from the latest one.
     *
     * @param current the status with any sequence number (it is replaced)
     * @return true when a new report is waiting to be sent
     */
    public synchronized boolean update(StatusReport current) {
        if (latest != null && withSeq(latest.report(), 0).equals(withSeq(current, 0))) {
            return false;
        }
        latest = new StoredStatus(withSeq(current, nextSeq++), false);
        persist();
        return true;
    }

    /** The report to send with the next sync, or empty when the hub has the latest one. */
    public synchronized Optional<StatusReport> pending() {
        return latest == null || latest.acked() ? Optional.empty() : Optional.of(latest.report());
    }

    /** The hub recorded reports up to {@code ack}. */
    public synchronized void acknowledge(Long ack) {
        if (ack == null || latest == null || latest.acked() || ack < latest.report().seq()) {
            return;
        }
        latest = new StoredStatus(latest.report(), true);
        persist();
    }

    /** The hub restarted and forgot what it had: the latest report goes again, with its number. */
    public synchronized void resend() {
        if (latest != null && latest.acked()) {
            latest = new StoredStatus(latest.report(), false);
            persist();
        }
    }

    public synchronized Optional<StatusReport> latest() {
        return Optional.ofNullable(latest).map(StoredStatus::report);
    }

    private void persist() {
        try {
            store.save(latest);
        } catch (IOException e) {
            // The report still goes out; only its survival across a restart is at risk.
            LOG.warnf("Cannot store the status report %d: %s", latest.report().seq(), e);
        }
    }

    private static StatusReport withSeq(StatusReport report, long seq) {
        return new StatusReport(seq, report.proxyVersion(), report.k3sVersion(), report.appliedStateHash(),
                report.certificateExpiry(), report.apps(), report.nodes());
    }
}
