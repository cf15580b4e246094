package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedWorkTest {

    /** Runs nothing until told: the test decides when a worker finishes. */
    private final ArrayDeque<Runnable> workers = new ArrayDeque<>();

    @Test
    void aBurstWaitsItsTurnInOrderAndOnlyAFullQueueRefuses() {
        var work = new BoundedWork(2, 3, workers::add);
        List<Integer> done = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertTrue(work.submit(() -> done.add(n)), "task " + i + " runs or waits");
        }
        assertEquals(2, workers.size(), "two at once");
        assertEquals(3, work.queued());
        assertFalse(work.submit(() -> done.add(99)), "workers busy and the queue full: come back later");

        while (!workers.isEmpty()) {
            workers.poll().run(); // a finishing worker takes the next waiting task
        }
        assertEquals(List.of(0, 1, 2, 3, 4), done, "first come, first served");
        assertEquals(0, work.queued());
        assertTrue(work.submit(() -> done.add(5)));
        assertEquals(1, workers.size(), "free workers start at once");
    }

    @Test
    void aFailingTaskStillHandsItsWorkerOn() {
        var work = new BoundedWork(1, 1, workers::add);
        List<String> done = new ArrayList<>();
        work.submit(() -> {
            throw new IllegalStateException("boom");
        });
        work.submit(() -> done.add("next"));
        try {
            workers.poll().run();
        } catch (IllegalStateException expected) {
            // the executor sees it; the queue moved on
        }
        workers.poll().run();
        assertEquals(List.of("next"), done);
    }
}
