package io.edgebridge.operator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThrottledTriggerTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    /** Tasks run by hand, in the order they are due, with a clock that jumps to each. */
    private static final class ManualScheduler implements ThrottledTrigger.Scheduler {
        record Task(long due, long order, Runnable task) {
        }

        long now;
        private long order;
        private final List<Task> tasks = new ArrayList<>();

        @Override
        public void schedule(Runnable task, long delayNanos) {
            tasks.add(new Task(now + delayNanos, order++, task));
        }

        /** Runs every task due up to the given time. */
        void advanceTo(long time) {
            while (true) {
                var next = tasks.stream().filter(t -> t.due() <= time)
                        .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::order)).orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
                now = next.due();
                next.task().run();
            }
            now = time;
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> fired = new ArrayList<>();
    private final ThrottledTrigger<String> trigger = new ThrottledTrigger<>(Duration.ofSeconds(1), scheduler,
            () -> scheduler.now, fired::add);

    @Test
    void theFirstNudgeFiresAtOnce() {
        trigger.nudge("app");
        scheduler.advanceTo(0);
        assertEquals(List.of("app"), fired);
    }

    @Test
    void aBurstWithinTheIntervalFiresOnceMoreAtItsEnd() {
        trigger.nudge("app");
        scheduler.advanceTo(0);
        for (int i = 1; i <= 1000; i++) {
            scheduler.advanceTo(i * SECOND / 2000);
            trigger.nudge("app");
        }
        scheduler.advanceTo(SECOND - 1);
        assertEquals(1, fired.size(), "folded until the interval is over");
        scheduler.advanceTo(SECOND);
        assertEquals(List.of("app", "app"), fired, "the burst is seen, once");
        scheduler.advanceTo(10 * SECOND);
        assertEquals(2, fired.size(), "nothing more without nudges");
    }

    @Test
    void keysAreThrottledApart() {
        trigger.nudge("a");
        trigger.nudge("b");
        scheduler.advanceTo(0);
        trigger.nudge("a");
        scheduler.advanceTo(0);
        assertEquals(List.of("a", "b"), fired);
    }

    @Test
    void aNudgeWhileFiringIsNotLost() {
        var self = new AtomicReference<ThrottledTrigger<String>>();
        var reentrant = new ArrayList<String>();
        self.set(new ThrottledTrigger<>(Duration.ofSeconds(1), scheduler, () -> scheduler.now, key -> {
            reentrant.add(key);
            if (reentrant.size() == 1) {
                self.get().nudge(key); // a report arriving while the reconcile this firing starts still runs
            }
        }));
        self.get().nudge("app");
        scheduler.advanceTo(2 * SECOND);
        assertEquals(List.of("app", "app"), reentrant);
    }

    @Test
    void aQuietKeyIsForgottenAfterOneInterval() {
        trigger.nudge("app");
        scheduler.advanceTo(0);
        assertEquals(1, trigger.remembered());
        scheduler.advanceTo(SECOND);
        assertEquals(0, trigger.remembered());
        trigger.nudge("app");
        scheduler.advanceTo(SECOND);
        assertEquals(2, fired.size(), "fires at once again after a quiet interval");
    }
}
