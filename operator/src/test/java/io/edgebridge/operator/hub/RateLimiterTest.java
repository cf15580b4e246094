package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstIsAllowedThenTheAverageRateAndEachIdentityHasItsOwnBucket() {
        var limiter = new RateLimiter(2.0, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.acquire("a", 0));
        }
        assertEquals(Optional.of(Duration.ofMillis(500)), limiter.acquire("a", 0), "wait for the next token");
        assertEquals(Optional.empty(), limiter.acquire("b", 0), "another identity is not affected");
        assertEquals(Optional.empty(), limiter.acquire("a", SECOND / 2));
        assertTrue(limiter.acquire("a", SECOND / 2).isPresent());
    }

    @Test
    void idleBucketsAreForgotten() {
        var limiter = new RateLimiter(1.0, 2);
        limiter.acquire("a", 0);
        limiter.acquire("b", 0);
        limiter.forgetIdle(10 * SECOND);
        assertEquals(0, limiter.size());
    }
}
