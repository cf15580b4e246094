package io.edgebridge.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.operator.status.Conditions.Desired;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00.123Z");

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusDoes() {
        var first = Conditions.merge(null, List.of(new Desired("Ready", "False", "Waiting", "a")), 1L, T0);
        assertEquals("2026-11-30T10:00:00Z", first.get(0).getLastTransitionTime());

        var sameStatus = Conditions.merge(first, List.of(new Desired("Ready", "False", "StillWaiting", "b")), 2L,
                T0.plusSeconds(60));
        assertEquals("2026-11-30T10:00:00Z", sameStatus.get(0).getLastTransitionTime());
        assertEquals("StillWaiting", sameStatus.get(0).getReason());
        assertEquals(2L, sameStatus.get(0).getObservedGeneration());

        var flipped = Conditions.merge(sameStatus, List.of(new Desired("Ready", "True", "Done", "c")), 2L,
                T0.plusSeconds(120));
        assertEquals("2026-11-30T10:02:00Z", flipped.get(0).getLastTransitionTime());
    }

    @Test
    void longMessagesAreCut() {
        var merged = Conditions.merge(null, List.of(new Desired("Ready", "False", "X", "m".repeat(5000))), 1L, T0);
        assertEquals(1024, merged.get(0).getMessage().length());
    }
}
