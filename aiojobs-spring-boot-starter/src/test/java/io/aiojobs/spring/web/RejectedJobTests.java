package io.aiojobs.spring.web;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import io.aiojobs.spring.web.TestControllers.RejectionController;
import io.aiojobs.spring.web.TestControllers.Work;
import io.aiojobs.spring.web.WebTestApplication.SpawnedJobs;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 503 answers when the scheduler refuses an {@code @Atomic} request's job
 * ({@code aiojobs.web.queue-timeout=200ms}, {@code aiojobs.web.retry-after=7s}).
 */
@WebTest
class RejectedJobTests {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("tinyScheduler")
    JobScheduler tinyScheduler;

    @Autowired
    @Qualifier("closingScheduler")
    JobScheduler closingScheduler;

    @Autowired
    @Qualifier("shutdownScheduler")
    JobScheduler shutdownScheduler;

    @Autowired
    @Qualifier("pendingScheduler")
    JobScheduler pendingScheduler;

    @Autowired
    SpawnedJobs spawnedJobs;

    @Test
    void fullQueueAnswers503WithRetryAfterOnceTheQueueTimeoutHasPassed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Job<Boolean> running = this.tinyScheduler.spawn(() -> release.await(10, TimeUnit.SECONDS));
        Job<Boolean> waiting = this.tinyScheduler.spawn(() -> true);
        try {
            HttpResponse<String> response = Http.get(this.port, "/reject/busy");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        } finally {
            release.countDown();
        }
        assertThat(running.await()).isTrue();
        assertThat(waiting.await()).isTrue();
        assertThat(Http.get(this.port, "/reject/busy").body()).isEqualTo("ran");
    }

    @Test
    void closedSchedulerAnswers503UnlessTheApplicationHandlesTheRejectionItself() throws Exception {
        this.closingScheduler.close();

        HttpResponse<String> mapped = Http.get(this.port, "/reject/closed");
        HttpResponse<String> own = Http.get(this.port, "/own-reject/closed");

        assertThat(mapped.statusCode()).isEqualTo(503);
        assertThat(mapped.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(own.statusCode()).isEqualTo(429);
        assertThat(own.body()).isEqualTo("own handler");
    }

    @Test
    void asyncRequestWhoseJobIsDroppedUnstartedByTheSchedulersShutdownAnswers503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        this.pendingScheduler.spawn(() -> release.await(10, TimeUnit.SECONDS));
        try {
            CompletableFuture<HttpResponse<String>> response = Http.getAsync(this.port, "/reject/never-started");
            assertThat(this.spawnedJobs.spawned("GET /reject/never-started").await(10, TimeUnit.SECONDS)).isTrue();

            this.pendingScheduler.close();

            assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        } finally {
            release.countDown();
        }
    }

    @Test
    void requestWhoseJobIsCutShortByTheSchedulersShutdownAnswers503() throws Exception {
        Work work = RejectionController.work = new Work();
        CompletableFuture<HttpResponse<String>> response = Http.getAsync(this.port, "/reject/cut-short");
        assertThat(work.started.await(10, TimeUnit.SECONDS)).isTrue();

        this.shutdownScheduler.close();

        assertThat(work.interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    }
}
