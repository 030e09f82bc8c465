package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AwaitTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void awaitReturnsTheValueAndLeavesTheJobClosed() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<String> job = scheduler.spawn(() -> {
            gate.pass();
            return "value";
        });
        Forked<String> waiter = this.testing.fork(job::await);
        awaitBlocked(waiter.thread());
        gate.open();
        assertThat(waiter.get()).isEqualTo("value");
        assertThat(job.isClosed()).isTrue();
        assertThat(job.isActive()).isFalse();
        assertThat(job.isPending()).isFalse();
    }

    @Test
    void awaitRethrowsTheVeryExceptionOfTheTask() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        IOException failure = new IOException("disk full");
        Job<Object> job = scheduler.spawn(() -> {
            throw failure;
        });
        assertThatThrownBy(job::await).isSameAs(failure);
        assertThat(job.isClosed()).isTrue();
    }

    @Test
    void awaitRethrowsAnErrorOfTheTaskAsItIs() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        AssertionError failure = new AssertionError("broken");
        Job<Object> job = scheduler.spawn(() -> {
            throw failure;
        });
        assertThatThrownBy(job::await).isSameAs(failure);
    }

    @Test
    void awaitingAFinishedJobAgainGivesTheSameOutcome() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        IllegalStateException failure = new IllegalStateException("bad");
        Job<Integer> ok = scheduler.spawn(() -> 1);
        Job<Integer> failed = scheduler.spawn(() -> {
            gate.pass();
            throw failure;
        });
        Forked<Integer> waiter = this.testing.fork(failed::await);
        awaitBlocked(waiter.thread());
        gate.open();
        assertThatThrownBy(waiter::get).cause().isSameAs(failure);
        assertThat(ok.await()).isEqualTo(1);
        assertThat(ok.await()).isEqualTo(1);
        assertThat(ok.await(millis(0))).isEqualTo(1);
        assertThatThrownBy(failed::await).isSameAs(failure);
        assertThatThrownBy(failed::await).isSameAs(failure);
        assertThatThrownBy(() -> failed.await(millis(0))).isSameAs(failure);
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void awaitThrowsCancellationWhenTheJobWasClosedFirst() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(gate.task());
        gate.awaitReached();
        job.close();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void aWaiterSeesCancellationWhenTheJobIsClosedWhileItWaits() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(gate.task());
        gate.awaitReached();
        Forked<Void> waiter = this.testing.fork(job::await);
        awaitBlocked(waiter.thread());
        scheduler.close();
        assertThatThrownBy(waiter::get).isInstanceOf(CancellationException.class);
    }

    @Test
    void interruptingTheWaiterThrowsInterruptedExceptionAndLeavesTheJobAlone() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        AtomicBoolean jobInterrupted = new AtomicBoolean();
        Job<String> job = scheduler.spawn(() -> {
            gate.pass();
            jobInterrupted.set(Thread.currentThread().isInterrupted());
            return "finished";
        });
        gate.awaitReached();
        Forked<String> waiter = this.testing.fork(job::await);
        awaitBlocked(waiter.thread());
        waiter.thread().interrupt();
        assertThatThrownBy(waiter::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InterruptedException.class);
        assertThat(job.isActive()).isTrue();
        gate.open();
        assertThat(job.await()).isEqualTo("finished");
        assertThat(jobInterrupted).isFalse();
    }

    @Test
    void aFailureSeenByNoWaiterBecauseItWasInterruptedIsReported() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(() -> {
            gate.pass();
            throw new IllegalStateException("late failure");
        });
        gate.awaitReached();
        Forked<Void> waiter = this.testing.fork(job::await);
        awaitBlocked(waiter.thread());
        waiter.thread().interrupt();
        assertThatThrownBy(waiter::get).cause().isInstanceOf(InterruptedException.class);
        gate.open();
        assertThat(this.testing.reports.await(1)).singleElement()
                .extracting(ExceptionContext::message).isEqualTo("Job processing failed");
        assertThatThrownBy(job::await).hasMessage("late failure");
    }

    @Test
    void awaitWithATimeoutClosesTheJobAndThrowsTimeoutException() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(gate.task());
        gate.awaitReached();
        assertThatThrownBy(() -> job.await(millis(20))).isInstanceOf(TimeoutException.class);
        assertThat(job.isClosed()).isTrue();
        assertThat(scheduler).doesNotContain(job);
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void awaitWithATimeoutClosesAPendingJobWhichThenNeverRuns() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        AtomicBoolean ran = new AtomicBoolean();
        Job<Boolean> pending = scheduler.spawn(() -> ran.getAndSet(true));
        assertThatThrownBy(() -> pending.await(millis(10))).isInstanceOf(TimeoutException.class);
        assertThat(pending.isClosed()).isTrue();
        assertThat(scheduler.pendingCount()).isZero();
        gate.open();
        scheduler.waitAndClose();
        assertThat(ran).isFalse();
    }

    @Test
    void awaitWithATimeoutReturnsTheValueWhenInTime() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Job<Integer> job = scheduler.spawn(() -> 12);
        assertThat(job.await(java.time.Duration.ofSeconds(Testing.WAIT_SECONDS))).isEqualTo(12);
    }

    @Test
    void awaitWithABadTimeoutIsRejectedAtOnce() {
        JobScheduler scheduler = this.testing.scheduler();
        Job<Integer> job = scheduler.spawn(() -> 12);
        assertThatNullPointerException().isThrownBy(() -> job.await(null));
        assertThatThrownBy(() -> job.await(millis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJobCannotAwaitItself() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        CompletableFuture<Job<?>> self = new CompletableFuture<>();
        Job<Object> job = scheduler.spawn(() -> {
            try {
                return Testing.get(self).await();
            } catch (IllegalStateException expected) {
                return expected;
            }
        });
        self.complete(job);
        assertThat(job.await()).isInstanceOf(IllegalStateException.class);
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void aJobCanAwaitAnotherJob() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Integer> inner = scheduler.spawn(() -> {
            gate.pass();
            return 20;
        });
        Job<Integer> outer = scheduler.spawn(() -> inner.await() + 1);
        gate.open();
        assertThat(outer.await()).isEqualTo(21);
    }

    @Test
    void aJobHasLeftTheSchedulerOnceItsOutcomeIsVisible() throws Exception {
        // Python's done-callback removes the job before any waiter resumes; so must we. A
        // watcher spins on the job while it ends: whenever await/future() already give the
        // outcome, the job must have left the collection and the counts.
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        for (int i = 0; i < 300; i++) {
            Gate gate = this.testing.gate();
            Job<Void> job = scheduler.spawn(gate.task());
            gate.awaitReached();
            Forked<Boolean> watcher = this.testing.fork(() -> {
                while (true) {
                    boolean done = job.future().isDone();
                    boolean contained = scheduler.contains(job);
                    int active = scheduler.activeCount();
                    if (done) {
                        return !contained && active == 0;
                    }
                }
            });
            gate.open();
            assertThat(watcher.get()).as("iteration %d: left before its outcome showed", i).isTrue();
        }
    }

    @Test
    void aCallbackOnAJobsEndCanSpawnAndAwaitAJob() throws Exception {
        // The callback runs on the ended job's pool thread, which the new job must not queue
        // behind (with platform threads the pool has only limit threads).
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        Job<Integer> first = scheduler.spawn(() -> {
            gate.pass();
            return 1;
        });
        CompletableFuture<Integer> chained = first.future().thenApply(value -> {
            try {
                return scheduler.spawn(() -> value + 1).await();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        gate.open();
        assertThat(Testing.get(chained)).isEqualTo(2);
    }

    @Test
    void aCallbackOnAJobsEndCanAwaitTheJobQueuedBehindIt() throws Exception {
        // The ended job's thread takes the next pending job on before it runs the callbacks of
        // the end; a callback that waits for that job must not wait for its own thread.
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        Job<Integer> first = scheduler.spawn(() -> {
            gate.pass();
            return 1;
        });
        Job<Integer> second = scheduler.spawn(() -> 2);
        Job<Integer> third = scheduler.spawn(() -> 3);
        CompletableFuture<Integer> chained = first.future().thenApply(value -> {
            try {
                return value + second.await() + third.await();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        gate.open();
        assertThat(Testing.get(chained)).isEqualTo(6);
        assertThat(scheduler).isEmpty();
    }

    @Test
    void aListenerCanCloseTheJobQueuedBehindTheOneThatEnded() throws Exception {
        CompletableFuture<Job<?>> next = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).closeTimeout(java.time.Duration.ofHours(1))
                .listener(new JobListener() {
                    @Override
                    public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
                        if (job.getName().equals("first")) {
                            try {
                                next.join().close();
                                closed.countDown();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                }));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task(), "first");
        gate.awaitReached();
        AtomicBoolean ran = new AtomicBoolean();
        next.complete(scheduler.spawn(() -> ran.getAndSet(true), "second"));
        gate.open();
        Testing.await(closed);
        assertThatThrownBy(() -> next.join().await()).isInstanceOf(CancellationException.class);
        assertThat(ran).isFalse();
    }
}
