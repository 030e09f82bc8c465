package io.aiojobs.issues;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * waitAndClose() returned as soon as the last job had left the collection, while its thread was
 * still telling the listeners and the exception handler that it had ended: a failure could be
 * reported (and a metric recorded) after the scheduler was closed and the application gone.
 */
class WaitAndCloseWaitsForEndOfJobReportsTests {

    @Test
    void waitAndCloseReturnsOnlyOnceTheLastFailureHasBeenReported() throws Exception {
        CountDownLatch handlerEntered = new CountDownLatch(1);
        CountDownLatch handlerRelease = new CountDownLatch(1);
        AtomicBoolean reportFinished = new AtomicBoolean();
        JobScheduler scheduler = JobScheduler.builder().exceptionHandler((s, context) -> {
            handlerEntered.countDown();
            try {
                handlerRelease.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reportFinished.set(true);
        }).build();
        scheduler.spawn(() -> {
            throw new IllegalStateException("boom");
        });
        assertThat(handlerEntered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(() -> scheduler.waitAndClose(Duration.ofSeconds(10)));
        closer.start();
        closer.join(200);
        // The report is still in progress: waitAndClose must still be waiting for it.
        assertThat(closer.isAlive()).isTrue();
        assertThat(scheduler.isClosed()).isFalse();
        handlerRelease.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(reportFinished).isTrue();
        assertThat(scheduler.isClosed()).isTrue();
    }

    @Test
    void waitAndCloseReturnsOnlyOnceListenersHaveSeenTheLastJobEnd() {
        // The window is short, so try a few times; before the fix, a few rounds were enough.
        for (int round = 0; round < 200; round++) {
            AtomicBoolean finishedSeen = new AtomicBoolean();
            JobScheduler scheduler = JobScheduler.builder().listener(new JobListener() {
                @Override
                public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
                    finishedSeen.set(true);
                }
            }).build();
            scheduler.spawn(() -> "done");
            scheduler.waitAndClose(Duration.ofSeconds(10));
            assertThat(finishedSeen).as("onFinished seen when waitAndClose returned, round %d", round)
                    .isTrue();
        }
    }
}
