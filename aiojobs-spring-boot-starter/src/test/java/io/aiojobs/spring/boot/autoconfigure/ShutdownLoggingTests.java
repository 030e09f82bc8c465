package io.aiojobs.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aiojobs.JobScheduler;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the lifecycle logs when the application shuts down with jobs in flight. */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownLoggingTests {

    private static final String CANCELLING = "cancelling them";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class));

    @Test
    void jobsLeftWhenTheGracePeriodEndsAreCountedAndNamedInAWarningBeforeTheyAreCancelled(CapturedOutput output)
            throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        List<Boolean> warnedBeforeInterrupt = new CopyOnWriteArrayList<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        this.contextRunner.withPropertyValues("aiojobs.scheduler.limit=2", "aiojobs.scheduler.wait-timeout=200ms",
                "aiojobs.scheduler.close-timeout=5s").run(context -> {
                    JobScheduler scheduler = context.getBean(JobScheduler.class);
                    for (int i = 1; i <= 2; i++) {
                        scheduler.spawn(() -> {
                            started.countDown();
                            try {
                                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException ex) {
                                warnedBeforeInterrupt.add(output.toString().contains(CANCELLING));
                                interrupted.countDown();
                            }
                        }, "slow-" + i);
                    }
                    for (int i = 1; i <= 5; i++) {
                        String name = "queued-" + i;
                        scheduler.spawn(() -> ran.add(name), name);
                    }
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                    context.close();
                    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
                });

        assertThat(warnedBeforeInterrupt).containsExactly(true, true);
        assertThat(ran).isEmpty();
        assertThat(linesContaining(output, "Waiting up to")).singleElement(InstanceOfAssertFactories.STRING)
                .contains("INFO").contains("Waiting up to PT0.2S for 7 job(s) of scheduler 'jobScheduler' to finish"
                        + " (2 running, 5 pending)");
        String warning = linesContaining(output, CANCELLING).get(0);
        assertThat(warning).contains("WARN")
                .contains("The shutdown grace period of scheduler 'jobScheduler' (wait timeout PT0.2S)"
                        + " is over with 2 job(s) still running and 5 pending:"
                        + " cancelling them")
                .endsWith(" and 2 more");
        long named = List.of("slow-1", "slow-2", "queued-1", "queued-2", "queued-3", "queued-4", "queued-5")
                .stream().filter(warning::contains).count();
        assertThat(named).isEqualTo(5);
        assertThat(linesContaining(output, CANCELLING)).hasSize(1);
    }

    @Test
    void jobsThatFinishWithinTheGracePeriodAreAnnouncedOnceAndNothingIsCancelled(CapturedOutput output)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> finished = new CopyOnWriteArrayList<>();
        this.contextRunner.run(context -> {
            JobScheduler scheduler = context.getBean(JobScheduler.class);
            scheduler.spawn(() -> {
                started.countDown();
                if (release.await(10, TimeUnit.SECONDS)) {
                    finished.add("report");
                }
                return null;
            }, "report");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            Thread closer = new Thread(context::close);
            closer.start();
            // The job is still running when the wait begins, and then finishes in time.
            await().atMost(Duration.ofSeconds(10)).until(() -> output.toString().contains("Waiting up to"));
            release.countDown();
            closer.join(10_000);
            assertThat(closer.isAlive()).isFalse();
        });

        assertThat(finished).containsExactly("report");
        assertThat(linesContaining(output, "Waiting up to")).singleElement(InstanceOfAssertFactories.STRING)
                .contains("for 1 job(s) of scheduler 'jobScheduler' to finish (1 running, 0 pending)");
        assertThat(output.toString()).doesNotContain(CANCELLING);
    }

    private static List<String> linesContaining(CapturedOutput output, String text) {
        return output.toString().lines().filter(line -> line.contains(text)).toList();
    }
}
