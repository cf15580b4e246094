package io.edgebridge.proxy.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration BASE = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofSeconds(30);
    private static final Duration PAUSE = Duration.ofMinutes(5);

    @Test
    void delaysStayWithinTheGrowingCeilingAndTheCap() {
        var backoff = new Backoff(BASE, CAP, PAUSE, new Random(7));
        for (int attempt = 0; attempt < 100; attempt++) {
            var delay = backoff.next();
            long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt, 20));
            assertTrue(delay.toMillis() <= ceiling, "attempt " + attempt + ": " + delay + " above " + ceiling);
            assertTrue(delay.toMillis() >= BASE.toMillis() / 10, "attempt " + attempt + ": " + delay + " spins");
        }
    }

    @Test
    void delaysAreJitteredAcrossProxies() {
        var delays = new HashSet<Duration>();
        for (int proxy = 0; proxy < 50; proxy++) {
            var backoff = new Backoff(BASE, CAP, PAUSE, new Random(proxy));
            for (int i = 0; i < 6; i++) {
                backoff.next();
            }
            delays.add(backoff.next());
        }
        assertTrue(delays.size() > 40, "50 proxies after 7 failures should wait different times: " + delays.size());
    }

    @Test
    void delaysGrowOnAverage() {
        var backoff = new Backoff(BASE, CAP, PAUSE, new Random(1));
        long early = 0;
        long late = 0;
        for (int round = 0; round < 200; round++) {
            backoff.reset();
            early += backoff.next().toMillis();
            for (int i = 0; i < 6; i++) {
                backoff.next();
            }
            late += backoff.next().toMillis();
        }
        assertTrue(late > early * 10, "after 7 failures delays average far more than after 1: " + early + " vs " + late);
    }

    @Test
    void honoursRetryAfterEvenAboveTheJitteredDelay() {
        var backoff = new Backoff(BASE, CAP, PAUSE, new Random(3));
        assertEquals(Duration.ofSeconds(30), backoff.next(Optional.of(Duration.ofSeconds(30))));
        assertTrue(backoff.next(Optional.empty()).compareTo(Duration.ofSeconds(4)) <= 0);
        assertEquals(Backoff.MAX_RETRY_AFTER, backoff.next(Optional.of(Duration.ofDays(3))),
                "an absurd Retry-After is bounded");
    }

    @Test
    void theTimeAFailedAttemptTookCountsTowardItsDelay() {
        var backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5),
                new Random(7));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        // At the cap: a connect that timed out after 30 s has waited its delay already.
        assertEquals(Duration.ZERO, backoff.next(Optional.empty(), Duration.ofSeconds(30)));
        var twin = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5),
                new Random(7));
        for (int i = 0; i < 11; i++) {
            twin.next();
        }
        var full = twin.next();
        var less = backoff.next(Optional.empty(), Duration.ofSeconds(2));
        assertEquals(full.minusSeconds(2).isNegative() ? Duration.ZERO : full.minusSeconds(2), less,
                "the same draw, less the 2 s the attempt took");
        assertEquals(Duration.ofSeconds(40), backoff.next(Optional.of(Duration.ofSeconds(40)), Duration.ofSeconds(30)),
                "Retry-After is honoured whole");
    }

    @Test
    void resetsAfterASuccess() {
        var backoff = new Backoff(BASE, CAP, PAUSE, new Random(5));
        for (int i = 0; i < 30; i++) {
            backoff.next();
        }
        assertEquals(30, backoff.failures());
        backoff.reset();
        assertEquals(0, backoff.failures());
        assertTrue(backoff.next().compareTo(BASE) <= 0, "the first delay after a reset is at most the base");
    }

    @Test
    void longPauseIsBetweenHalfThePauseAndThePauseWhateverTheCap() {
        var backoff = new Backoff(BASE, CAP, PAUSE, new Random(9));
        for (int i = 0; i < 20; i++) {
            var pause = backoff.longPause();
            assertTrue(pause.compareTo(PAUSE.dividedBy(2)) >= 0 && pause.compareTo(PAUSE) <= 0, pause.toString());
        }
    }

    @Test
    void retryAfterHeaderAcceptsSecondsAndHttpDates() {
        var now = Instant.parse("2025-01-01T10:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Wed, 01 Jan 2025 10:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 01 Jan 2025 09:00:00 GMT", now));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", now));
        assertEquals(Optional.empty(), RetryAfter.parse("-5", now));
    }
}
