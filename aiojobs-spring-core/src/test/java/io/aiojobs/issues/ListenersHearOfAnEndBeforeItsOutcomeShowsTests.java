package io.aiojobs.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A listener (the starter's metrics) heard of a job's end only after {@code await()} had
 * returned, so a caller that awaited a job and then read the {@code completed} counter could
 * still see 0. Listeners now hear first; the outcome shows after.
 */
class ListenersHearOfAnEndBeforeItsOutcomeShowsTests {

    @Test
    void theOutcomeIsNotVisibleYetWhileTheListenerHearsOfTheEnd() throws Exception {
        AtomicReference<CompletableFuture<?>> view = new AtomicReference<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        JobListener listener = new JobListener() {
            @Override
            public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
                seen.add(outcome + " view done=" + view.get().isDone());
            }
        };
        CountDownLatch release = new CountDownLatch(1);
        try (JobScheduler scheduler = JobScheduler.builder().listener(listener).build()) {
            Job<String> job = scheduler.spawn(() -> {
                release.await(10, TimeUnit.SECONDS);
                return "done";
            });
            view.set(job.future());

            release.countDown();

            assertThat(job.await(Duration.ofSeconds(10))).isEqualTo("done");
            assertThat(seen).containsExactly("SUCCESS view done=false");
        }
    }

    @Test
    void aListenerThatAwaitsTheEndedJobGetsItsOutcomeAtOnce() throws Exception {
        CompletableFuture<Object> awaitedInListener = new CompletableFuture<>();
        JobListener listener = new JobListener() {
            @Override
            public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
                try {
                    awaitedInListener.complete(job.await(Duration.ofSeconds(10)));
                } catch (Exception e) {
                    awaitedInListener.completeExceptionally(e);
                }
            }
        };
        try (JobScheduler scheduler = JobScheduler.builder().listener(listener).build()) {
            Job<String> job = scheduler.spawn(() -> "done");

            assertThat(job.await(Duration.ofSeconds(10))).isEqualTo("done");
            assertThat(awaitedInListener.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        }
    }
}
