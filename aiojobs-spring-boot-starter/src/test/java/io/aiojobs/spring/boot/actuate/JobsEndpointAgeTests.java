package io.aiojobs.spring.boot.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job's {@code age} in the {@code jobs} endpoint counts from its spawn, as documented: a job
 * that waited in the queue shows that wait in its age once it runs.
 */
class JobsEndpointAgeTests {

    @Test
    void theAgeOfAnActiveJobIncludesTheTimeItSpentPending() throws Exception {
        CompletableFuture<Long> queuedNanos = new CompletableFuture<>();
        JobListener listener = new JobListener() {
            @Override
            public void onStarted(Job<?> job, long queued) {
                if (job.getName().equals("queued")) {
                    queuedNanos.complete(queued);
                }
            }
        };
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch queuedStarted = new CountDownLatch(1);
        CountDownLatch releaseQueued = new CountDownLatch(1);
        try (JobScheduler scheduler = JobScheduler.builder().limit(1).listener(listener).build()) {
            scheduler.spawn(() -> releaseFirst.await(10, TimeUnit.SECONDS), "first");
            Job<Boolean> queued = scheduler.spawn(() -> {
                queuedStarted.countDown();
                return releaseQueued.await(10, TimeUnit.SECONDS);
            }, "queued");
            // Let it wait long enough for its queue time to dwarf the time it then runs.
            await().atMost(Duration.ofSeconds(10)).until(() -> queued.age().toMillis() >= 200);
            assertThat(queued.isPending()).isTrue();
            releaseFirst.countDown();
            assertThat(queuedStarted.await(10, TimeUnit.SECONDS)).isTrue();

            JobsEndpoint.JobDescriptor described = new JobsEndpoint(Map.of("jobScheduler", scheduler))
                    .scheduler("jobScheduler").jobs().stream()
                    .filter(job -> job.name().equals("queued")).findFirst().orElseThrow();

            assertThat(described.state()).isEqualTo("active");
            assertThat(Duration.parse(described.age()).toNanos())
                    .isGreaterThanOrEqualTo(queuedNanos.get(10, TimeUnit.SECONDS));
            releaseQueued.countDown();
        }
    }
}
