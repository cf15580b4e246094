package io.edgebridge.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgebridge.api.v1alpha1.EdgeAppStatus.RolloutStatus;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.WaveStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredRevisionTest {

    static final RolloutStatus ROLLING = new RolloutStatus("r2", "r1", 0, null, null, null, List.of(
            new WaveStatus("canary", 10, 3, "8000000000000000", 3, 3),
            new WaveStatus("stores", 90, 0, "", 0, 0)));

    @Test
    void releasedClustersGetTheNewRevision() {
        assertEquals("r2", DesiredRevision.of(ROLLING, "canary", "1000000000000000", "r1", Set.of("r1", "r2")));
        assertEquals("r2", DesiredRevision.of(ROLLING, "canary", "8000000000000000", null, Set.of("r1", "r2")));
    }

    @Test
    void othersKeepWhatTheyRunOrFallBackToTheStableRevision() {
        var kept = Set.of("r0", "r1", "r2");
        assertEquals("r0", DesiredRevision.of(ROLLING, "canary", "9000000000000000", "r0", kept));
        assertEquals("r1", DesiredRevision.of(ROLLING, "stores", "0000000000000001", null, kept));
        assertEquals("r1", DesiredRevision.of(ROLLING, "stores", "0000000000000001", "gone", kept));
        assertEquals("r1", DesiredRevision.of(ROLLING, "(rest)", "0000000000000001", null, kept));
    }

    @Test
    void aWholeReleasedWaveIncludesClustersThatJoinLater() {
        var done = new RolloutStatus("r2", "r1", 0, null, null, null,
                List.of(new WaveStatus("all", 5, 5, RolloutPlanner.ALL_RELEASED, 5, 5)));
        assertEquals("r2", DesiredRevision.of(done, "all", "ffffffffffffffff", null, Set.of()));
    }

    @Test
    void nothingBeforeTheFirstRelease() {
        assertNull(DesiredRevision.of(null, "all", "0", null, Set.of()));
        var first = new RolloutStatus("r1", null, 0, null, null, null, List.of(new WaveStatus("all", 1, 0, "", 0, 0)));
        assertNull(DesiredRevision.of(first, "all", "0000000000000001", null, Set.of("r1")));
    }

    @Test
    void countsAndTimesAreNoInputs() {
        var reported = new RolloutStatus("r2", "r1", 0, "2026-11-30T10:00:00Z", null, null, List.of(
                new WaveStatus("canary", 10, 3, "8000000000000000", 3, 3),
                new WaveStatus("stores", 91, 0, "", 2, 1)));
        assertEquals(DesiredRevision.inputsOf(ROLLING), DesiredRevision.inputsOf(reported),
                "more clusters updated and ready, a wave start time: nobody's revision changes");
        var released = new RolloutStatus("r2", "r1", 1, null, null, null, List.of(
                new WaveStatus("canary", 10, 10, "all", 10, 10),
                new WaveStatus("stores", 90, 0, "", 0, 0)));
        org.junit.jupiter.api.Assertions.assertNotEquals(DesiredRevision.inputsOf(ROLLING),
                DesiredRevision.inputsOf(released));
        assertNull(DesiredRevision.inputsOf(null));
    }
}
