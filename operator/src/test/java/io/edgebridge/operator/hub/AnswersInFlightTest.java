package io.edgebridge.operator.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AnswersInFlightTest {

    private final AtomicLong now = new AtomicLong();
    private final AnswersInFlight answers = new AnswersInFlight(now::get);

    @Test
    void aStatusWriteGoesAheadAtOnceWhenNothingIsBeingAnswered() throws Exception {
        answers.started();
        answers.finished();

        answers.awaitNone(Duration.ofHours(1));

        assertEquals(0, answers.inFlight());
    }

    @Test
    void aStatusWriteWaitsUntilTheLastAnswerIsWorkedOut() throws Exception {
        answers.started();
        answers.started();
        var waiting = new CountDownLatch(1);
        var written = CompletableFuture.runAsync(() -> {
            waiting.countDown();
            try {
                answers.awaitNone(Duration.ofHours(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(waiting.await(10, TimeUnit.SECONDS));

        answers.finished();
        assertFalse(written.isDone(), "one answer is still being worked out");
        answers.finished();

        await().atMost(Duration.ofSeconds(10)).until(written::isDone);
    }

    @Test
    void aHubThatNeverStopsAnsweringStillWritesStatusAfterTheYield() throws Exception {
        now.set(TimeUnit.SECONDS.toNanos(100));
        answers.started();
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));

        answers.awaitNone(Duration.ofSeconds(10));

        assertEquals(1, answers.inFlight(), "answering goes on; the write did not wait for it");
    }
}
