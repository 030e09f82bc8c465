package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What users plug in (listeners, executors, thread factories, decorators, the tasks
 * themselves) may fail with anything, {@link Error}s included: the job concerned fails visibly
 * or keeps its outcome, no slot leaks, and the scheduler keeps working.
 */
class FaultsInPluggedPartsTest {

    private static final Duration WAIT = Duration.ofSeconds(Testing.WAIT_SECONDS);

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void aListenerThatThrowsErrorsFromEveryCallbackChangesNoOutcomeAndLeaksNoSlot() throws Exception {
        JobListener broken = new JobListener() {
            @Override
            public void onSpawned(Job<?> job) {
                throw new NoClassDefFoundError("io/micrometer/Missing");
            }

            @Override
            public void onStarted(Job<?> job, long queuedNanos) {
                throw new NoClassDefFoundError("io/micrometer/Missing");
            }

            @Override
            public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
                throw new NoClassDefFoundError("io/micrometer/Missing");
            }

            @Override
            public void onCloseTimeout(Job<?> job) {
                throw new NoClassDefFoundError("io/micrometer/Missing");
            }
        };
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).listener(broken));
        for (int i = 0; i < 3; i++) {
            int value = i;
            assertThat(scheduler.spawn(() -> value).await(WAIT)).isEqualTo(value);
        }
        Job<Object> failing = scheduler.spawn(() -> {
            throw new IllegalStateException("own failure");
        });
        assertThatThrownBy(() -> failing.await(WAIT)).hasMessage("own failure");
        assertThat(scheduler.activeCount()).isZero();
        assertThat(scheduler.spawn(() -> "still works").await(WAIT)).isEqualTo("still works");
        // The failure may end before await() comes (then it is reported, once); nothing else is.
        assertThat(this.testing.reports.all()).allMatch(context -> context.job() == failing);
    }

    @Test
    void spawnHoldsNoMonitorOfTheJobWhileListenersHearOfIt() throws Exception {
        List<Boolean> held = new CopyOnWriteArrayList<>();
        JobScheduler scheduler = this.testing.scheduler(b -> b.listener(new JobListener() {
            @Override
            public void onSpawned(Job<?> job) {
                held.add(Thread.holdsLock(job) || Thread.holdsLock(job.scheduler));
            }
        }));
        scheduler.spawn(() -> 1).await(WAIT);
        assertThat(held).containsExactly(false);
    }

    @Test
    void anExecutorThatThrowsAnErrorFailsThatJobVisiblyFreesItsSlotAndLaterJobsRun() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Executor faulty = task -> {
            if (calls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("unable to create native thread");
            }
            Thread thread = Threads.platformThreadFactory("faulty").newThread(task);
            thread.start();
        };
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).executor(faulty));
        Job<Integer> refused = scheduler.spawn(() -> 1);
        assertThatThrownBy(() -> refused.await(WAIT)).isInstanceOf(OutOfMemoryError.class);
        assertThat(scheduler.activeCount()).isZero();
        assertThat(scheduler.spawn(() -> 2).await(WAIT)).isEqualTo(2);
    }

    @Test
    void anUnawaitedJobRefusedByAnErroringExecutorIsReported() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.executor(task -> {
            throw new OutOfMemoryError("unable to create native thread");
        }));
        Job<Integer> refused = scheduler.spawn(() -> 1);
        ExceptionContext report = this.testing.reports.await(1).get(0);
        assertThat(report.message()).isEqualTo("Job processing failed");
        assertThat(report.job()).isSameAs(refused);
        assertThat(report.exception()).isInstanceOf(OutOfMemoryError.class);
        assertThat(scheduler.activeCount()).isZero();
    }

    @Test
    void aThreadFactoryThatReturnsNullFailsTheJobInsteadOfLeavingItQueued() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(2).threadFactory(task -> null));
        Job<Integer> job = scheduler.spawn(() -> 1);
        assertThatThrownBy(() -> job.await(WAIT)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("returned no thread");
        assertThat(scheduler.activeCount()).isZero();
        assertThat(scheduler.shield(() -> 1)).failsWithin(WAIT)
                .withThrowableThat().withCauseInstanceOf(RejectedExecutionException.class);
        assertThat(scheduler.awaitIdle(Duration.ZERO)).as("nothing left to wait for").isTrue();
    }

    @Test
    void aDecoratorThatThrowsOrReturnsNullMakesShieldThrowAndLeavesNoShieldBehind() {
        AtomicInteger calls = new AtomicInteger();
        JobScheduler scheduler = this.testing.scheduler(b -> b.taskDecorator(body -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("decorator broke");
            }
            return null;
        }));
        assertThatThrownBy(() -> scheduler.shield(() -> 1)).hasMessage("decorator broke");
        assertThatThrownBy(() -> scheduler.shield(() -> 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("task decorator returned null");
        assertThat(scheduler.awaitIdle(Duration.ZERO)).as("no phantom shield to wait for").isTrue();
        scheduler.close();
        assertThat(this.testing.reports.all()).as("no shield reported as still running").isEmpty();
    }

    @Test
    void aBodyThatOverflowsItsStackIsReportedOnceAndItsSlotIsUsableAfterwards() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Job<Integer> unawaited = scheduler.spawn(FaultsInPluggedPartsTest::recurse);
        ExceptionContext report = this.testing.reports.await(1).get(0);
        assertThat(report.job()).isSameAs(unawaited);
        assertThat(report.exception()).isInstanceOf(StackOverflowError.class);
        assertThatThrownBy(unawaited::await).isInstanceOf(StackOverflowError.class);
        assertThat(scheduler.spawn(() -> 3).await(WAIT)).isEqualTo(3);
        assertThat(this.testing.reports.all()).hasSize(1);
    }

    @Test
    void aBodyThatThrowsOutOfMemoryErrorIsRethrownAsIsByAwait() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        OutOfMemoryError error = new OutOfMemoryError("Java heap space");
        Job<Object> job = scheduler.spawn(() -> {
            throw error;
        });
        assertThatThrownBy(() -> job.await(WAIT)).isSameAs(error);
        assertThat(scheduler.spawn(() -> 4).await(WAIT)).isEqualTo(4);
        // Reported once, or not at all if await() came before the end.
        assertThat(this.testing.reports.all()).hasSizeLessThanOrEqualTo(1)
                .allMatch(context -> context.exception() == error);
    }

    private static int recurse() {
        return recurse() + 1;
    }
}
