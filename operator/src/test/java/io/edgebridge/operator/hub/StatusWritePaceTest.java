package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatusWritePaceTest {

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong slept = new AtomicLong();

    private StatusWritePace pace(double perSecond) {
        return new StatusWritePace(perSecond, clock::get, duration -> {
            slept.addAndGet(duration.toNanos());
            clock.addAndGet(duration.toNanos());
        });
    }

    @Test
    void aSecondsWorthGoesAtOnceThenWritesKeepTheRate() throws InterruptedException {
        var pace = pace(10);
        for (int i = 0; i < 10; i++) {
            pace.awaitTurn();
        }
        assertEquals(0, slept.get(), "a burst of one second's writes does not wait");
        for (int i = 0; i < 30; i++) {
            pace.awaitTurn();
        }
        assertEquals(Duration.ofSeconds(3).toMillis(), Duration.ofNanos(slept.get()).toMillis(), 1,
                "thirty more writes at ten a second");
    }

    @Test
    void writesAfterAQuietSpellDoNotWait() throws InterruptedException {
        var pace = pace(5);
        for (int i = 0; i < 5; i++) {
            pace.awaitTurn();
        }
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        for (int i = 0; i < 5; i++) {
            pace.awaitTurn();
        }
        assertEquals(0, slept.get());
    }

    @Test
    void zeroMeansUnpaced() throws InterruptedException {
        var pace = pace(0);
        for (int i = 0; i < 10_000; i++) {
            pace.awaitTurn();
        }
        assertEquals(0, slept.get());
    }
}
