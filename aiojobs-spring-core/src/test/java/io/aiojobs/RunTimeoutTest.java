package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static io.aiojobs.Testing.eventually;
import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Run timeouts: counted from the start, they close the job; one timer serves them all. */
class RunTimeoutTest {

    @RegisterExtension
    final Testing testing = new Testing();

    private final Map<Job<?>, JobListener.Outcome> outcomes = new ConcurrentHashMap<>();
    private final CountDownLatch closeTimeouts = new CountDownLatch(1);
    private final JobListener recorder = new JobListener() {
        @Override
        public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
            RunTimeoutTest.this.outcomes.put(job, outcome);
        }

        @Override
        public void onCloseTimeout(Job<?> job) {
            RunTimeoutTest.this.closeTimeouts.countDown();
        }
    };

    @Test
    void anAwaitedJobPastItsTimeoutIsInterruptedAndAwaitThrowsJobTimeoutExceptionUnreported() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).listener(this.recorder));
        Gate blocker = this.testing.gate();
        scheduler.spawn(blocker.task());
        blocker.awaitReached();
        CountDownLatch interrupted = new CountDownLatch(1);
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(() -> {
            try {
                gate.pass();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return null;
        }, SpawnOptions.defaults().name("slow").timeout(millis(50)));
        // The waiter is in before the job even starts, so it is in when the timeout passes.
        Forked<Throwable> waiter = this.testing.fork(() -> {
            try {
                job.await();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        awaitBlocked(waiter.thread());
        blocker.open();
        Testing.await(interrupted);
        assertThat(waiter.get()).isInstanceOf(JobTimeoutException.class)
                .isInstanceOf(CancellationException.class)
                .hasMessage("Job slow timed out after 50ms");
        assertThat(job.isClosed()).isTrue();
        assertThat(this.outcomes).containsEntry(job, JobListener.Outcome.TIMEOUT);
        assertThat(this.testing.reports.all()).as("the waiter had it: not reported").isEmpty();
        assertThatThrownBy(() -> job.future().get(1, TimeUnit.SECONDS))
                .satisfies(RunTimeoutTest::isOrWrapsTheTimeout);
        assertThat(job.future().isCancelled()).isTrue();
    }

    @Test
    void anUnawaitedJobPastItsTimeoutIsReportedOnceAsJobTimedOut() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.captureSpawnSite(true));
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(gate.task(), SpawnOptions.defaults().timeout(millis(20)));
        ExceptionContext report = this.testing.reports.await(1).get(0);
        assertThat(report.message()).isEqualTo("Job timed out");
        assertThat(report.job()).isSameAs(job);
        assertThat(report.exception()).isInstanceOf(JobTimeoutException.class)
                .hasMessage("Job " + job.getName() + " timed out after 20ms");
        assertThat(report.sourceTraceback()).isNotEmpty();
        assertThatThrownBy(job::await).isInstanceOf(JobTimeoutException.class);
        scheduler.waitAndClose();
        assertThat(this.testing.reports.all()).hasSize(1);
    }

    @Test
    void timeSpentPendingDoesNotCount() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate blocker = this.testing.gate();
        scheduler.spawn(blocker.task());
        blocker.awaitReached();
        Job<String> job = scheduler.spawn(() -> "done", SpawnOptions.defaults().timeout(millis(50)));
        eventually(() -> job.age().toMillis() > 200, "the job pending well past its timeout");
        blocker.open();
        assertThat(job.await()).isEqualTo("done");
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void theBuildersJobTimeoutIsTheDefaultAndZeroMeansNone() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.jobTimeout(millis(20)));
        assertThat(scheduler.jobTimeout()).isEqualTo(millis(20));
        Gate gate = this.testing.gate();
        Job<Void> plain = scheduler.spawn(gate.task());
        assertThatThrownBy(plain::await).isInstanceOf(JobTimeoutException.class)
                .hasMessageContaining("after 20ms");
        Job<Integer> untimed = scheduler.spawn(() -> 1, SpawnOptions.defaults().timeout(Duration.ZERO));
        assertThat(untimed.timeoutNanos).isZero();
        assertThat(untimed.await()).isEqualTo(1);
        Job<Integer> named = scheduler.spawn(() -> 2, "named");
        assertThat(named.timeoutNanos).isEqualTo(millis(20).toNanos());
        assertThat(JobScheduler.builder().build().jobTimeout()).isZero();
    }

    @Test
    void aThousandTimedJobsThatEndEarlyLeaveNoDeadlineAndUseOneTimerThread() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.name("timed"));
        List<Job<Integer>> jobs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            jobs.add(scheduler.spawn(() -> n, SpawnOptions.defaults().timeout(Duration.ofHours(1))));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(jobs.get(i).await()).isEqualTo(i);
        }
        assertThat(scheduler.deadlines().entries()).as("deadlines left in the timer").isZero();
        long timerThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("timed-deadlines")).count();
        assertThat(timerThreads).isLessThanOrEqualTo(1);
    }

    @Test
    void aJobThatIgnoresTheInterruptIsHandledAsCloseHandlesIt() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(50)).listener(this.recorder));
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(() -> {
            gate.passIgnoringInterrupts();
            return null;
        }, SpawnOptions.defaults().timeout(millis(20)));
        List<ExceptionContext> reports = this.testing.reports.await(2);
        assertThat(reports).extracting(ExceptionContext::message)
                .containsExactlyInAnyOrder("Job timed out", "Job closing timed out");
        Testing.await(this.closeTimeouts);
        assertThat(job.isClosed()).isTrue();
        assertThat(scheduler.activeCount()).as("it keeps its slot while its thread runs").isOne();
        gate.open();
        assertThatThrownBy(job::await).isInstanceOf(JobTimeoutException.class);
        assertThat(this.outcomes).containsEntry(job, JobListener.Outcome.TIMEOUT);
        assertThat(scheduler.activeCount()).isZero();
    }

    @Test
    void aJobThatFailsOnTheInterruptFailsAndClosingItAfterTheTimeoutIsANoOp() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.listener(this.recorder));
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(() -> {
            try {
                gate.pass();
            } catch (InterruptedException e) {
                throw new IllegalStateException("gave up");
            }
            return null;
        }, SpawnOptions.defaults().timeout(millis(20)));
        List<ExceptionContext> reports = this.testing.reports.await(2);
        assertThat(reports).extracting(ExceptionContext::message)
                .containsExactlyInAnyOrder("Job timed out", "Job processing failed");
        job.close();
        assertThatThrownBy(job::await).isInstanceOf(IllegalStateException.class).hasMessage("gave up");
        assertThat(this.outcomes).containsEntry(job, JobListener.Outcome.FAILURE);
    }

    @Test
    void anAsyncJobPastItsTimeoutHasItsStageCancelled() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.listener(this.recorder));
        CompletableFuture<String> never = new CompletableFuture<>();
        Job<String> job = scheduler.spawnAsync(() -> never, SpawnOptions.defaults().timeout(millis(20)));
        assertThat(this.testing.reports.await(1)).extracting(ExceptionContext::message)
                .containsExactly("Job timed out");
        assertThatThrownBy(job::await).isInstanceOf(JobTimeoutException.class);
        assertThat(never).isCancelled();
        assertThat(this.outcomes).containsEntry(job, JobListener.Outcome.TIMEOUT);
        assertThat(scheduler.activeCount()).isZero();
    }

    @Test
    void futureOfATimedOutJobFailsWithTheTimeout() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(gate.task(), SpawnOptions.defaults().timeout(millis(10)));
        CompletableFuture<Void> future = job.future();
        assertThatThrownBy(() -> Testing.get(future)).isInstanceOf(CancellationException.class);
        assertThatThrownBy(future::join).satisfies(RunTimeoutTest::isOrWrapsTheTimeout);
        assertThat(future.isCompletedExceptionally()).isTrue();
    }

    /** Java 23 and later wrap a future's CancellationException in one of get()/join()'s own. */
    private static void isOrWrapsTheTimeout(Throwable thrown) {
        assertThat(thrown).isInstanceOf(CancellationException.class);
        Throwable timeout = thrown instanceof JobTimeoutException ? thrown : thrown.getCause();
        assertThat(timeout).isInstanceOf(JobTimeoutException.class).hasMessageContaining("timed out after");
    }
}
