package io.aiojobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Shutting the application down while jobs run, as SIGTERM does (its shutdown hook closes the
 * context): jobs finish within the grace period, the rest are interrupted, and the log says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownTest {

    @Test
    void aJobRunningAtShutdownIsAllowedToFinish(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext app = start("aiojobs.scheduler.wait-timeout=20s");
        String port = app.getEnvironment().getProperty("local.server.port");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        Job<String> job = app.getBean(JobScheduler.class).spawn(() -> {
            started.countDown();
            // Still working when shutdown begins: this sleep is the job's work, not synchronisation.
            // Had the scheduler been closed at once, the interrupt would have ended it here.
            assertThat(closing.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
            return "finished";
        }, "slow-export");
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        app.addApplicationListener(new LastClosedListener(closing));

        app.close();

        assertThat(job.future()).isCompletedWithValue("finished");
        assertThat(output).contains("Dashboard: http://localhost:" + port + "/");
        assertThat(output).contains("Shutting down with 1 job(s) running and 0 pending: waiting up to 20s")
                .contains("of the 1 job(s) in flight, 1 finished, 0 failed, 0 cancelled");
    }

    @Test
    void aJobStillRunningAfterTheGracePeriodIsInterrupted(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext app = start("aiojobs.scheduler.wait-timeout=200ms");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Job<Void> job = app.getBean(JobScheduler.class).spawn(() -> {
            started.countDown();
            try {
                never.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                interrupted.countDown();
            }
        }, "stuck-export");
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        app.close();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(job.isClosed()).isTrue();
        assertThat(output).contains("waiting up to 200ms")
                .contains("of the 1 job(s) in flight, 0 finished, 0 failed, 1 cancelled [stuck-export]");
    }

    /** Counts down once the context is closing, after the application's own listeners. */
    private record LastClosedListener(CountDownLatch latch) implements ApplicationListener<ContextClosedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            this.latch.countDown();
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    private static ConfigurableApplicationContext start(String waitTimeout) {
        // Command-line arguments, as a user would pass them, override application.yml.
        return new SpringApplicationBuilder(SampleApplication.class)
                .run("--server.port=0", "--" + waitTimeout);
    }
}
