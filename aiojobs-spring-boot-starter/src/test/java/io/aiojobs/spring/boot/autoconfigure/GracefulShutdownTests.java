package io.aiojobs.spring.boot.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.support.DependencyInjectionTestExecutionListener;
import org.springframework.test.context.support.DirtiesContextTestExecutionListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Shuts a real application with a real embedded server down while a request is in flight, while
 * the job that request spawns and a fire-and-forget job run: the request is drained, both jobs
 * (and a job spawned while the scheduler waits) finish undisturbed before the scheduler closes,
 * and nothing runs afterwards.
 */
@SpringBootTest(classes = GracefulShutdownTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.lifecycle.timeout-per-shutdown-phase=20s")
@DirtiesContext
// The test closes its application itself: the default listeners would use the closed context.
@TestExecutionListeners(listeners = { DependencyInjectionTestExecutionListener.class,
        DirtiesContextTestExecutionListener.class })
class GracefulShutdownTests {

    /** Spring Boot's graceful shutdown phase (WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE). */
    static final int GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    @LocalServerPort
    private int port;

    @Autowired
    private ConfigurableApplicationContext context;

    @Autowired
    private JobScheduler scheduler;

    @Autowired
    private Probe probe;

    @Autowired
    private JobSchedulerLifecycle lifecycle;

    @Test
    void shutdownDrainsTheRequestThenLetsEveryJobFinishBeforeClosingTheScheduler() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/work")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(this.probe.requestEntered.await(10, TimeUnit.SECONDS)).isTrue();
        Job<String> background = this.scheduler.spawn(() -> this.probe.work("background", this.scheduler),
                "background");

        Thread closer = new Thread(this.context::close, "test-closer");
        closer.start();
        // The context is closing (ContextClosedEvent is out) and the server is about to drain:
        // the in-flight request now spawns its job, which must be accepted.
        assertThat(this.probe.gracefulShutdownStarting.await(10, TimeUnit.SECONDS)).isTrue();
        this.probe.requestRelease.countDown();
        HttpResponse<String> answer = response.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("spawned");
        assertThat(this.probe.jobsStarted.await(10, TimeUnit.SECONDS)).isTrue();

        // The scheduler's own stop has begun: it must wait for the jobs, not cancel them.
        await().atMost(Duration.ofSeconds(10)).until(() -> !this.lifecycle.isRunning());
        assertThat(background.isActive()).isTrue();
        assertThat(this.probe.requestJob.get(10, TimeUnit.SECONDS).isActive()).isTrue();
        this.probe.jobsRelease.countDown();

        closer.join(15_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(this.context.isActive()).isFalse();
        assertThat(this.probe.interrupted).isEmpty();
        assertThat(this.probe.finished).containsExactlyInAnyOrder("background", "request", "follow-up");
        assertThat(this.probe.schedulerClosedWhenFinished).containsOnly(Map.entry("background", false),
                Map.entry("request", false), Map.entry("follow-up", false));
        assertThat(background.await(Duration.ofSeconds(1))).isEqualTo("background done");
        assertThat(this.scheduler.isClosed()).isTrue();
        assertThat(this.scheduler).isEmpty();
        assertThatThrownBy(() -> this.scheduler.spawn(() -> "late"))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
    @Import(WorkController.class)
    static class TestApplication {

        @Bean
        Probe probe() {
            return new Probe();
        }

        @Bean
        SmartLifecycle gracefulShutdownSignal(Probe probe) {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    this.running = true;
                }

                @Override
                public void stop() {
                    this.running = false;
                    probe.gracefulShutdownStarting.countDown();
                }

                @Override
                public boolean isRunning() {
                    return this.running;
                }

                @Override
                public int getPhase() {
                    // Stopped just before the web server starts draining its requests.
                    return GRACEFUL_SHUTDOWN_PHASE + 1;
                }
            };
        }
    }

    @RestController
    static class WorkController {

        private final JobScheduler scheduler;
        private final Probe probe;

        WorkController(JobScheduler scheduler, Probe probe) {
            this.scheduler = scheduler;
            this.probe = probe;
        }

        @GetMapping("/work")
        String work() throws InterruptedException {
            this.probe.requestEntered.countDown();
            assertThat(this.probe.requestRelease.await(10, TimeUnit.SECONDS)).isTrue();
            this.probe.requestJob.complete(this.scheduler.spawn(() -> this.probe.work("request", null), "request"));
            return "spawned";
        }
    }

    static final class Probe {

        final CountDownLatch requestEntered = new CountDownLatch(1);
        final CountDownLatch requestRelease = new CountDownLatch(1);
        final CountDownLatch gracefulShutdownStarting = new CountDownLatch(1);
        final CountDownLatch jobsStarted = new CountDownLatch(2);
        final CountDownLatch jobsRelease = new CountDownLatch(1);
        final CompletableFuture<Job<String>> requestJob = new CompletableFuture<>();
        final List<String> interrupted = new CopyOnWriteArrayList<>();
        final List<String> finished = new CopyOnWriteArrayList<>();
        final Map<String, Boolean> schedulerClosedWhenFinished = new ConcurrentHashMap<>();
        volatile JobScheduler scheduler;

        /** A job body: waits for the test, then, for the background job, spawns a follow-up. */
        String work(String name, JobScheduler followUpOn) {
            this.jobsStarted.countDown();
            try {
                if (!this.jobsRelease.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                this.interrupted.add(name);
                Thread.currentThread().interrupt();
                return name + " interrupted";
            }
            if (followUpOn != null) {
                this.scheduler = followUpOn;
                // Spawned while the scheduler waits to close: it must still run, and in time.
                followUpOn.spawn(() -> this.end("follow-up"), "follow-up");
            }
            return end(name);
        }

        private String end(String name) {
            JobScheduler owner = this.scheduler;
            this.schedulerClosedWhenFinished.put(name, owner != null && owner.isClosed());
            this.finished.add(name);
            return name + " done";
        }
    }
}
