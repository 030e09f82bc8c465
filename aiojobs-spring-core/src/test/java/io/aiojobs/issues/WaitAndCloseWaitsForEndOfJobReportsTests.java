package io.aiojobs.issues;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

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
        // The handler holds the report open until the closing thread has either returned from
        // waitAndClose (the bug) or parked in it waiting (the fix); only then does it finish the
        // report. What the closing thread sees right after waitAndClose returns tells which.
        CountDownLatch handlerEntered = new CountDownLatch(1);
        CompletableFuture<Thread> closerStarted = new CompletableFuture<>();
        AtomicBoolean reportFinished = new AtomicBoolean();
        AtomicReference<Throwable> handlerFailure = new AtomicReference<>();
        JobScheduler scheduler = JobScheduler.builder().exceptionHandler((s, context) -> {
            handlerEntered.countDown();
            try {
                awaitReturnedOrParked(closerStarted.get(10, TimeUnit.SECONDS));
            } catch (Throwable e) {
                handlerFailure.set(e);
            }
            reportFinished.set(true);
        }).build();
        try {
            scheduler.spawn(() -> {
                throw new IllegalStateException("boom");
            });
            assertThat(handlerEntered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> reportFinishedWhenReturned = new CompletableFuture<>();
            Thread closer = new Thread(() -> {
                scheduler.waitAndClose(Duration.ofSeconds(10));
                reportFinishedWhenReturned.complete(reportFinished.get());
            });
            closer.start();
            closerStarted.complete(closer);
            assertThat(reportFinishedWhenReturned.get(10, TimeUnit.SECONDS))
                    .as("the report had finished when waitAndClose returned").isTrue();
            assertThat(handlerFailure.get()).isNull();
            assertThat(scheduler.isClosed()).isTrue();
            closer.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(closer.isAlive()).isFalse();
        } finally {
            scheduler.close();
        }
    }

    /**
     * Waits until {@code thread} has ended or parks (waitAndClose waiting for the work left);
     * fails after 10 s. Polls the thread's state: nothing else shows that it is waiting.
     */
    private static void awaitReturnedOrParked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.TERMINATED || state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING) {
                return;
            }
            assertThat(System.nanoTime() - deadline).as("%s returned or parked", thread).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
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
