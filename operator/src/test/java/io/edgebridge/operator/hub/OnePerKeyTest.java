package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnePerKeyTest {

    @Test
    void aKeyIsQueuedOnceUntilItsRunStarts() {
        var pending = new ArrayDeque<Runnable>();
        var work = new OnePerKey(pending::add);
        List<String> ran = new ArrayList<>();
        work.run("hamburg", () -> ran.add("hamburg"));
        work.run("hamburg", () -> ran.add("hamburg again"));
        work.run("munich", () -> ran.add("munich"));
        assertEquals(2, pending.size(), "one run per key");
        assertEquals(2, work.queued());

        pending.poll().run();
        assertEquals(List.of("hamburg"), ran);
        // After its run started, a new report for the key queues the next run.
        work.run("hamburg", () -> ran.add("hamburg later"));
        assertEquals(2, pending.size());
        pending.poll().run();
        pending.poll().run();
        assertEquals(List.of("hamburg", "munich", "hamburg later"), ran);
        assertEquals(0, work.queued());
    }
}
