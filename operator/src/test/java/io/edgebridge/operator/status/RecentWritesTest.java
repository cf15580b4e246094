package io.edgebridge.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecentWritesTest {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void anObjectWaitsOutTheIntervalAfterAWrite() {
        var recent = new RecentWrites(INTERVAL);
        assertEquals(Optional.empty(), recent.wait("reconciler/a", T0));
        recent.wrote("reconciler/a", T0, Optional.of(7L), "status");
        assertEquals(Optional.of(Duration.ofMillis(600)), recent.wait("reconciler/a", T0.plusMillis(400)));
        assertEquals(Optional.empty(), recent.wait("hub/a", T0.plusMillis(400)), "each writer has its own interval");
        assertEquals(Optional.empty(), recent.wait("reconciler/a", T0.plus(INTERVAL)));
    }

    @Test
    void keepsAWrittenStatusUntilTheCacheCatchesUp() {
        var recent = new RecentWrites(INTERVAL);
        recent.wrote("reconciler/a", T0, Optional.of(7L), "mine");
        recent.wrote("hub/a", T0, Optional.of(8L), null);
        assertEquals(new RecentWrites.Written(7, "mine"), recent.written("reconciler/a").orElseThrow());
        assertTrue(recent.written("hub/a").isEmpty(), "a writer that does not read back keeps no copy");
        recent.caughtUp("reconciler/a");
        assertTrue(recent.written("reconciler/a").isEmpty());
    }

    @Test
    void forgetsObjectsNotWrittenForManyIntervals() {
        var recent = new RecentWrites(INTERVAL);
        int objects = RecentWrites.FORGET_THRESHOLD + 10;
        for (int i = 0; i < objects; i++) {
            recent.wrote("reconciler/" + i, T0, Optional.of((long) i), "status " + i);
        }
        assertEquals(objects, recent.size());
        var later = T0.plus(INTERVAL.multipliedBy(RecentWrites.FORGET_AFTER_INTERVALS + 1));
        recent.wrote("reconciler/new", later, Optional.of(1L), "status");
        assertEquals(1, recent.size(), "only the recent write is remembered");
        assertTrue(recent.written("reconciler/0").isEmpty(), "with its write time, the written copy goes");
    }
}
