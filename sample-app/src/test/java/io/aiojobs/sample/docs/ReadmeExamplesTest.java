package io.aiojobs.sample.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Runs the examples shown in {@code README.md} and {@code docs/porting.md}. The text between
 * {@code tag::NAME[]} and {@code end::NAME[]} is what the documents show, word for word
 * ({@link ReadmeSnippetsTest} checks that); the assertions around it check that it does what the
 * documents say.
 */
class ReadmeExamplesTest {

    private static final Logger log = LoggerFactory.getLogger(ReadmeExamplesTest.class);

    @Test
    void aServiceSpawnsAFireAndForgetJob() throws Exception {
        RecordingMailSender mail = new RecordingMailSender(1);
        try (JobScheduler jobs = new JobScheduler()) {
            new WelcomeMailer(jobs, mail).welcome("ann@example.com");

            assertThat(mail.sent.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(mail.messages).containsExactly("ann@example.com: Welcome!");
        }
    }

    @Test
    void theCoreWorksWithoutSpring() throws Exception {
        // tag::core-quickstart[]
        int value;
        try (JobScheduler scheduler = JobScheduler.builder().limit(4).build()) {
            Job<Integer> answer = scheduler.spawn(() -> 6 * 7, "answer");
            scheduler.spawn(() -> log.info("fire and forget"), "hello");
            value = answer.await(Duration.ofSeconds(1)); // or TimeoutException, and the job is cancelled
            scheduler.waitAndClose(); // lets "hello" finish, then closes
        }
        // end::core-quickstart[]
        assertThat(value).isEqualTo(42);
    }

    @Test
    void jobsAreAwaitedClosedAndInspected() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (JobScheduler scheduler = JobScheduler.builder().limit(1).build()) {
            // tag::job-api[]
            Job<String> first = scheduler.spawn(() -> {
                release.await();
                return "done";
            }, "first");
            Job<String> second = scheduler.spawn(() -> "never runs", "second");

            assert first.isActive() && second.isPending(); // limit(1): the second waits
            second.setName("second-renamed");
            second.close(); // a pending job is dropped without running
            assert second.isClosed() && second.getName().equals("second-renamed");

            release.countDown();
            String result = first.await(); // "done"; rethrows the job's own exception if it failed
            // end::job-api[]
            assertThat(result).isEqualTo("done");
            assertThat(first.isActive()).isFalse();
            assertThat(second.isClosed()).isTrue();
            assertThatThrownBy(second::await).isInstanceOf(java.util.concurrent.CancellationException.class);
        }
    }

    @Test
    void awaitWithATimeoutCancelsTheJob() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        try (JobScheduler scheduler = new JobScheduler()) {
            Job<Void> slow = scheduler.spawn(() -> {
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    interrupted.countDown();
                }
            }, "slow");

            assertThatThrownBy(() -> slow.await(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(slow.isClosed()).isTrue();
        }
    }

    @Test
    void anExceptionHandlerReceivesFailuresNobodyAwaited() throws Exception {
        List<String> alerts = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        Alerts alerting = (message, error) -> {
            alerts.add(message + ": " + error.getMessage());
            reported.countDown();
        };
        // tag::exception-handler[]
        JobScheduler scheduler = JobScheduler.builder()
                .limit(100)
                .pendingLimit(10_000)
                .closeTimeout(Duration.ofMillis(100))
                .waitTimeout(Duration.ofSeconds(60))
                .exceptionHandler((sched, context) -> alerting.send(context.message(), context.exception()))
                .build();
        // end::exception-handler[]
        try (scheduler) {
            scheduler.spawn(() -> {
                throw new IllegalStateException("boom");
            }, "failing");

            assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(alerts).containsExactly("Job processing failed: boom");
        }
    }

    // --- fixtures -------------------------------------------------------------------------------

    /** Sends mail; a stand-in for your own mail client. */
    interface MailSender {

        void send(String to, String text);
    }

    /** Receives alerts; a stand-in for your own alerting. */
    interface Alerts {

        void send(String message, Throwable error);
    }

    // tag::inject-scheduler[]
    @Service
    static class WelcomeMailer {

        private final JobScheduler jobs;

        private final MailSender mail;

        WelcomeMailer(JobScheduler jobs, MailSender mail) { // the starter's bean, injected
            this.jobs = jobs;
            this.mail = mail;
        }

        void welcome(String email) {
            // Returns at once. The job runs within aiojobs.scheduler.limit, its failure is logged,
            // and a graceful shutdown lets it finish (up to aiojobs.scheduler.wait-timeout).
            this.jobs.spawn(() -> this.mail.send(email, "Welcome!"), "welcome-" + email);
        }
    }
    // end::inject-scheduler[]

    private static final class RecordingMailSender implements MailSender {

        final List<String> messages = new CopyOnWriteArrayList<>();

        final CountDownLatch sent;

        RecordingMailSender(int expected) {
            this.sent = new CountDownLatch(expected);
        }

        @Override
        public void send(String to, String text) {
            this.messages.add(to + ": " + text);
            this.sent.countDown();
        }
    }
}
