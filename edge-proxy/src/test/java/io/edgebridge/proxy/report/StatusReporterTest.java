package io.edgebridge.proxy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.proxy.store.StatusStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusReporterTest {

    @TempDir
    Path stateDir;

    @Test
    void sequenceGrowsOnlyWhenTheStatusChanges() throws Exception {
        var reporter = new StatusReporter(new StatusStore(stateDir));
        assertTrue(reporter.update(status(false)));
        assertEquals(1, reporter.pending().orElseThrow().seq());
        assertFalse(reporter.update(status(false)), "the same status again is no new report");
        assertEquals(1, reporter.pending().orElseThrow().seq());
        assertTrue(reporter.update(status(true)));
        assertEquals(2, reporter.pending().orElseThrow().seq());
    }

    @Test
    void keptUntilAcknowledged() throws Exception {
        var reporter = new StatusReporter(new StatusStore(stateDir));
        reporter.update(status(false));
        reporter.update(status(true));
        reporter.acknowledge(1L);
        assertEquals(2, reporter.pending().orElseThrow().seq(), "an ack of an older report does not count");
        reporter.acknowledge(null);
        assertTrue(reporter.pending().isPresent());
        reporter.acknowledge(2L);
        assertTrue(reporter.pending().isEmpty());
        assertFalse(reporter.update(status(true)), "acknowledged and unchanged: nothing to send");
    }

    @Test
    void survivesARestartWithItsSequenceAndAckState() throws Exception {
        var before = new StatusReporter(new StatusStore(stateDir));
        before.update(status(false));
        before.update(status(true));

        var after = new StatusReporter(new StatusStore(stateDir));
        assertEquals(2, after.pending().orElseThrow().seq(), "the unacknowledged report is still to be sent");
        after.acknowledge(2L);
        assertTrue(new StatusReporter(new StatusStore(stateDir)).pending().isEmpty(), "the ack survives too");

        var later = new StatusReporter(new StatusStore(stateDir));
        assertFalse(later.update(status(true)), "the same status after a restart is not a new report");
        assertTrue(later.update(status(false)));
        assertEquals(3, later.pending().orElseThrow().seq(), "numbers continue across restarts");
    }

    @Test
    void resentInFullAfterTheHubsEpochChanges() throws Exception {
        var reporter = new StatusReporter(new StatusStore(stateDir));
        reporter.update(status(true));
        reporter.acknowledge(1L);
        assertTrue(reporter.pending().isEmpty());
        reporter.resend();
        var again = reporter.pending().orElseThrow();
        assertEquals(1, again.seq(), "the same report, same number");
        assertEquals(status(true).apps(), again.apps());
    }

    @Test
    void aLostReportMakesTheSequenceJumpAhead() throws Exception {
        var reporter = new StatusReporter(new StatusStore(stateDir));
        reporter.update(status(false));
        reporter.update(status(true));
        Files.writeString(stateDir.resolve("status.json"), "torn");

        var after = new StatusReporter(new StatusStore(stateDir));
        assertEquals(1, after.latest().orElseThrow().seq(), "the previous generation is what is left");
        assertTrue(after.update(status(true)));
        assertEquals(2 + StatusReporter.LOST_REPORT_GAP, after.pending().orElseThrow().seq(),
                "past anything the lost report can have used");
    }

    private static StatusReport status(boolean ready) {
        return new StatusReport(0, "1.0", "v1.31.4+k3s1", "state-1", null,
                List.of(new AppState("shop", "r1", "h1", ready, false, ready ? null : "0/1 available")), List.of());
    }
}
