package io.edgebridge.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentValuesTest {

    @Test
    void equalValuesShareOneInstance() {
        var values = new RecentValues<Map<String, String>>(16);
        var first = values.shared(Map.of("sensor-collector", "7f3a"));
        var again = values.shared(new java.util.HashMap<>(Map.of("sensor-collector", "7f3a")));

        assertSame(first, again);
        assertNotSame(first, values.shared(Map.of("sensor-collector", "9b21")));
        assertNull(values.shared(null));
    }

    @Test
    void aValueInUseOutlivesTheOneOffValuesAroundIt() {
        var values = new RecentValues<String>(100);
        var shared = values.shared(new String("the edge proxy is syncing"));
        for (int i = 0; i < 1_000; i++) {
            values.shared("K3s node n-" + i + " is Ready");
            if (i % 50 == 0) {
                assertSame(shared, values.shared(new String("the edge proxy is syncing")), "at " + i);
            }
        }
        assertTrue(values.size() <= 2 * 101, "held: " + values.size());
    }

    @Test
    void aValueNoLongerInUseIsForgotten() {
        var values = new RecentValues<String>(10);
        var old = values.shared(new String("2026-11-30T10:00:00Z"));
        for (int i = 0; i < 30; i++) {
            values.shared("value-" + i);
        }
        var fresh = new String("2026-11-30T10:00:00Z");
        assertSame(fresh, values.shared(fresh), "gone after two tables filled without it");
        assertEquals(old, fresh);
    }
}
