package io.aiojobs.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * On platform threads, the thread that ends a job takes the next pending job on and runs it once
 * the ended job has been reported. A listener that called {@code waitAndClose()} while that report
 * ran waited out the whole grace period for a job that could not start before it returned, then
 * cancelled it. The carried job now moves to a thread of its own, as for {@code Job.await()}.
 */
class WaitAndCloseFromACallbackRunsTheCarriedJobTests {

    @Test
    void waitAndCloseFromAJobEndCallbackLetsTheNextPendingJobRun() throws Exception {
        AtomicReference<JobScheduler> schedulerRef = new AtomicReference<>();
        CompletableFuture<Void> closedFromCallback = new CompletableFuture<>();
        JobListener closeOnFirstEnd = new JobListener() {
            @Override
            public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
                if ("first".equals(job.getName())) {
                    schedulerRef.get().waitAndClose();
                    closedFromCallback.complete(null);
                }
            }
        };
        // A grace period far beyond the test's waits: without the hand-off, the test times out.
        JobScheduler scheduler = JobScheduler.builder().limit(1).virtualThreads(false)
                .waitTimeout(Duration.ofSeconds(60)).listener(closeOnFirstEnd).build();
        schedulerRef.set(scheduler);
        CountDownLatch release = new CountDownLatch(1);
        try {
            scheduler.spawn(() -> release.await(10, TimeUnit.SECONDS), "first");
            Job<String> second = scheduler.spawn(() -> "ran", "second");
            assertThat(second.isPending()).isTrue();

            release.countDown();

            assertThat(second.future().get(10, TimeUnit.SECONDS)).isEqualTo("ran");
            closedFromCallback.get(10, TimeUnit.SECONDS);
            assertThat(scheduler.isClosed()).isTrue();
        } finally {
            release.countDown();
            scheduler.close();
        }
    }
}
