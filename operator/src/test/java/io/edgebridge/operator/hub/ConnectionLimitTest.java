package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

    @Test
    void connectionsBeyondTheLimitAreRefusedUntilOneCloses() {
        var limit = new ConnectionLimit(2);
        assertTrue(limit.tryOpen());
        assertTrue(limit.tryOpen());
        assertFalse(limit.tryOpen());
        assertEquals(2, limit.open(), "a refused connection is not counted");
        limit.closed();
        assertTrue(limit.tryOpen());
    }

    @Test
    void byDefaultMostDescriptorsAndNoMore() {
        assertEquals(16_000, ConnectionLimit.forDescriptors(20_000), "this machine: 20,000 files per process");
        assertEquals(838_860, ConnectionLimit.forDescriptors(1_048_576), "a typical container");
        assertEquals(1, ConnectionLimit.forDescriptors(0));
    }

    @Test
    void aLimitBelowOneIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimit(0));
    }
}
