package io.aiojobs.spring.web;

import java.net.http.HttpResponse;

import io.aiojobs.JobListener.Outcome;
import io.aiojobs.JobScheduler;
import io.aiojobs.spring.web.TestControllers.TimeoutController;
import io.aiojobs.spring.web.TestControllers.Work;
import io.aiojobs.spring.web.WebTestApplication.Outcomes;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MVC async timeouts ({@code spring.mvc.async.request-timeout=300ms}) against work that waits for
 * a latch the test releases only after the timeout response: MVC interrupts a plain
 * {@code Callable}; an {@code @Atomic} one completes as a job.
 */
@WebTest
class AtomicAsyncTimeoutTests {

    @LocalServerPort
    int port;

    @Autowired
    Outcomes outcomes;

    @Autowired
    JobScheduler jobScheduler;

    @Test
    void plainCallableIsInterruptedByTheAsyncTimeout() throws Exception {
        Work work = TimeoutController.work = new Work();

        HttpResponse<String> response = Http.get(this.port, "/timeout/callable/plain");

        // 503 from the timeout, or 500 when the interrupted callable's own exception wins the race.
        assertThat(response.statusCode()).isIn(500, 503);
        assertThat(work.interrupted.await(10, SECONDS)).isTrue();
        assertThat(work.completed.getCount()).isEqualTo(1);
    }

    @Test
    void atomicCallableOutlivesTheAsyncTimeoutAndCompletesAsAJob() throws Exception {
        Work work = TimeoutController.work = new Work();

        HttpResponse<String> response = Http.get(this.port, "/timeout/callable/atomic");
        assertThat(response.statusCode()).isEqualTo(503);
        work.release.countDown();

        assertThat(work.completed.await(10, SECONDS)).isTrue();
        assertThat(work.interrupted.getCount()).isEqualTo(1);
        assertThat(work.thread).startsWith("web-test-");
        assertThat(this.outcomes.awaitOutcome("GET /timeout/callable/atomic")).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void atomicWebAsyncTaskKeepsItsTimeoutCallbackAndCompletes() throws Exception {
        Work work = TimeoutController.work = new Work();

        HttpResponse<String> response = Http.get(this.port, "/timeout/task/atomic");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("task timed out");
        work.release.countDown();

        assertThat(work.completed.await(10, SECONDS)).isTrue();
        assertThat(work.interrupted.getCount()).isEqualTo(1);
        assertThat(this.outcomes.awaitOutcome("GET /timeout/task/atomic")).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void plainFutureIsNeitherCancelledByMvcNorTrackedByTheScheduler() throws Exception {
        Work work = TimeoutController.work = new Work();

        HttpResponse<String> response = Http.get(this.port, "/timeout/future/plain");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(this.jobScheduler).noneMatch(job -> job.getName().equals("GET /timeout/future/plain"));
        work.release.countDown();

        assertThat(work.completed.await(10, SECONDS)).isTrue();
    }

    @Test
    void atomicFutureKeepsItsJobActiveUntilTheFutureCompletes() throws Exception {
        Work work = TimeoutController.work = new Work();

        HttpResponse<String> response = Http.get(this.port, "/timeout/future/atomic");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(this.jobScheduler)
                .anyMatch(job -> job.getName().equals("GET /timeout/future/atomic") && job.isActive());
        work.release.countDown();

        assertThat(work.completed.await(10, SECONDS)).isTrue();
        assertThat(this.outcomes.awaitOutcome("GET /timeout/future/atomic")).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void atomicFutureAndDeferredResultAnswerWithTheirResult() throws Exception {
        Work work = TimeoutController.work = new Work();
        work.release.countDown();
        HttpResponse<String> future = Http.get(this.port, "/timeout/future/atomic?fast");
        work = TimeoutController.work = new Work();
        work.release.countDown();
        HttpResponse<String> deferred = Http.get(this.port, "/timeout/deferred/atomic");

        assertThat(future.statusCode()).isEqualTo(200);
        assertThat(future.body()).isEqualTo("done");
        assertThat(deferred.statusCode()).isEqualTo(200);
        assertThat(deferred.body()).isEqualTo("done");
        assertThat(this.outcomes.awaitOutcome("GET /timeout/deferred/atomic")).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void atomicDeferredResultJobLastsUntilTheRequestHasItsTimeoutAnswer() throws Exception {
        Work work = TimeoutController.work = new Work();

        HttpResponse<String> response = Http.get(this.port, "/timeout/deferred/atomic-expiring");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(this.outcomes.awaitOutcome("GET /timeout/deferred/atomic-expiring")).isEqualTo(Outcome.SUCCESS);
        // The DeferredResult's producer is the application's, outside the job: it goes on.
        work.release.countDown();
        assertThat(work.completed.await(10, SECONDS)).isTrue();
    }
}
