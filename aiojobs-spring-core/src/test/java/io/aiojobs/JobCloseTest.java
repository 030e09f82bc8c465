package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JobCloseTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void aClosedPendingJobNeverRuns() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        AtomicBoolean ran = new AtomicBoolean();
        Job<Boolean> pending = scheduler.spawn(() -> ran.getAndSet(true));
        pending.close();
        assertThat(pending.isClosed()).isTrue();
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(scheduler).doesNotContain(pending);
        assertThatThrownBy(pending::await).isInstanceOf(CancellationException.class);
        gate.open();
        scheduler.waitAndClose();
        assertThat(ran).isFalse();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void closingAnActiveJobInterruptsItAndWaitsForItToEnd() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        AtomicBoolean interrupted = new AtomicBoolean();
        Job<Void> job = scheduler.spawn(() -> {
            try {
                gate.pass();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        });
        gate.awaitReached();
        job.close(Duration.ofSeconds(Testing.WAIT_SECONDS));
        assertThat(interrupted).isTrue();
        assertThat(job.isClosed()).isTrue();
        assertThat(scheduler).isEmpty();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void closingAJobThatIgnoresInterruptsTimesOutAndTheJobStaysClosed() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(() -> {
            gate.passIgnoringInterrupts();
            return null;
        });
        gate.awaitReached();
        assertThatThrownBy(() -> job.close(millis(20))).isInstanceOf(TimeoutException.class);
        assertThat(job.isClosed()).isTrue();
        job.close();
        gate.open();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThat(scheduler).isEmpty();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void closeRethrowsTheExceptionTheJobEndedWithAndDoesNotReportIt() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        IllegalStateException failure = new IllegalStateException("cleanup failed");
        Job<Void> job = scheduler.spawn(() -> {
            try {
                gate.pass();
            } catch (InterruptedException e) {
                throw failure;
            }
            return null;
        });
        gate.awaitReached();
        assertThatThrownBy(() -> job.close(Duration.ofSeconds(Testing.WAIT_SECONDS))).isSameAs(failure);
        assertThatThrownBy(job::await).isSameAs(failure);
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void closeOfAFinishedJobIsANoOp() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Integer> ok = scheduler.spawn(() -> 1);
        assertThat(ok.await()).isEqualTo(1);
        ok.close();
        ok.close(Duration.ZERO);
        assertThat(ok.await()).isEqualTo(1);
        Job<Void> failed = scheduler.spawn(() -> {
            gate.pass();
            throw new IllegalStateException("reported");
        });
        gate.open();
        this.testing.reports.await(1);
        failed.close();
        assertThat(this.testing.reports.all()).hasSize(1);
    }

    @Test
    void interruptingAThreadBlockedInCloseThrowsInterruptedAndTheJobStaysCancelled() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<String> job = scheduler.spawn(() -> {
            gate.passIgnoringInterrupts();
            return "too late";
        });
        gate.awaitReached();
        Forked<Void> closer = this.testing.fork(() -> {
            job.close(Duration.ofSeconds(Testing.WAIT_SECONDS));
            return null;
        });
        awaitBlocked(closer.thread());
        closer.thread().interrupt();
        assertThatThrownBy(closer::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InterruptedException.class);
        assertThat(job.isClosed()).isTrue();
        gate.open();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void aJobThatClosesItselfIsInterruptedAndEndsCancelled() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        CompletableFuture<Job<?>> self = new CompletableFuture<>();
        Job<Boolean> job = scheduler.spawn(() -> {
            Testing.get(self).close();
            return Thread.currentThread().isInterrupted();
        });
        self.complete(job);
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThat(scheduler).isEmpty();
    }

    @Test
    void closeWithABadTimeoutIsRejectedAtOnce() {
        JobScheduler scheduler = this.testing.scheduler();
        Job<Integer> job = scheduler.spawn(() -> 1);
        assertThatNullPointerException().isThrownBy(() -> job.close(null));
        assertThatThrownBy(() -> job.close(millis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactlyOneStateHoldsThroughTheLifeOfAJob() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        Job<Void> active = scheduler.spawn(gate.task(), "first");
        gate.awaitReached();
        Job<Integer> pending = scheduler.spawn(() -> 2, "second");
        assertState(active, "active");
        assertState(pending, "pending");
        assertThat(active.toString()).contains("first").contains("active");
        assertThat(pending.toString()).contains("second").contains("pending");
        assertThat(active.age().isNegative()).isFalse();
        gate.open();
        pending.await();
        assertState(active, "closed");
        assertState(pending, "closed");
        assertThat(pending.toString()).contains("second").contains("closed");
    }

    private static void assertState(Job<?> job, String state) {
        assertThat(job.isPending()).isEqualTo(state.equals("pending"));
        assertThat(job.isActive()).isEqualTo(state.equals("active"));
        assertThat(job.isClosed()).isEqualTo(state.equals("closed"));
        assertThat(job.toString()).contains(state);
    }

    @Test
    void theFutureIsAViewThatCannotAffectTheJob() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<String> job = scheduler.spawn(() -> {
            gate.pass();
            return "real";
        });
        gate.awaitReached();
        CompletableFuture<String> cancelled = job.future();
        CompletableFuture<String> completed = job.future();
        CompletableFuture<String> watched = job.future();
        assertThat(cancelled.cancel(true)).isTrue();
        assertThat(completed.complete("fake")).isTrue();
        assertThat(job.isActive()).isTrue();
        gate.open();
        assertThat(Testing.get(watched)).isEqualTo("real");
        assertThat(job.await()).isEqualTo("real");
        assertThat(Testing.get(job.future())).isEqualTo("real");
    }

    @Test
    void theFutureCarriesFailureAndCancellation() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        IllegalStateException failure = new IllegalStateException("boom");
        Job<Void> failing = scheduler.spawn(() -> {
            gate.pass();
            throw failure;
        });
        gate.awaitReached();
        CompletableFuture<Void> failed = failing.future();
        Job<Integer> pending = scheduler.spawn(() -> 1);
        CompletableFuture<Integer> dropped = pending.future();
        pending.close();
        assertThat(dropped).isCancelled();
        gate.open();
        assertThatThrownBy(() -> Testing.get(failed)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(failure);
        // A future is not an await: the unobserved failure is reported.
        assertThat(this.testing.reports.await(1)).singleElement()
                .extracting(ExceptionContext::exception).isSameAs(failure);
    }

    @Test
    void closeRethrowsTheFailureEvenWhenAnAwaiterSawItToo() throws Exception {
        // The failure was not reported, so both the awaiter and the closer get it, whichever
        // of the two reads it first.
        JobScheduler scheduler = this.testing.scheduler();
        for (int i = 0; i < 20; i++) {
            Gate gate = this.testing.gate();
            IllegalStateException failure = new IllegalStateException("failed while closing");
            Job<Void> job = scheduler.spawn(() -> {
                gate.passIgnoringInterrupts();
                throw failure;
            });
            gate.awaitReached();
            Forked<Void> waiter = this.testing.fork(job::await);
            Forked<Void> closer = this.testing.fork(() -> {
                job.close(Duration.ofSeconds(Testing.WAIT_SECONDS));
                return null;
            });
            awaitBlocked(waiter.thread());
            awaitBlocked(closer.thread());
            gate.open();
            assertThatThrownBy(waiter::get).as("iteration %d", i).cause().isSameAs(failure);
            assertThatThrownBy(closer::get).as("iteration %d", i).cause().isSameAs(failure);
        }
        assertThat(this.testing.reports.all()).isEmpty();
    }
}
