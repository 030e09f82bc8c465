package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ShieldTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void shieldedWorkStartsAtOnceBeyondTheLimitAndIsNotAJob() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        Gate shielded = this.testing.gate();
        CompletableFuture<String> result = scheduler.shield(() -> {
            shielded.pass();
            return "saved";
        });
        shielded.awaitReached();
        assertThat(scheduler).hasSize(1);
        assertThat(scheduler.activeCount()).isEqualTo(1);
        shielded.open();
        assertThat(Testing.get(result)).isEqualTo("saved");
    }

    @Test
    void cancellingTheFutureDoesNotStopTheWork() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        CompletableFuture<Void> result = scheduler.shield(() -> {
            gate.pass();
            interrupted.set(Thread.currentThread().isInterrupted());
            finished.set(true);
            return null;
        });
        gate.awaitReached();
        assertThat(result.cancel(true)).isTrue();
        Forked<Void> closing = this.testing.fork(() -> {
            scheduler.waitAndClose();
            return null;
        });
        awaitBlocked(closing.thread());
        assertThat(finished).isFalse();
        gate.open();
        closing.get();
        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
    }

    @Test
    void interruptingTheWaiterDoesNotStopTheWork() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        CompletableFuture<String> result = scheduler.shield(() -> {
            gate.pass();
            return "done anyway";
        });
        gate.awaitReached();
        Forked<String> waiter = this.testing.fork(() -> result.get());
        awaitBlocked(waiter.thread());
        waiter.thread().interrupt();
        assertThatThrownBy(waiter::get).cause().isInstanceOf(InterruptedException.class);
        gate.open();
        assertThat(Testing.get(result)).isEqualTo("done anyway");
    }

    @Test
    void aShieldInsideAJobSurvivesClosingTheJob() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        CompletableFuture<CompletableFuture<String>> inner = new CompletableFuture<>();
        Job<String> job = scheduler.spawn(() -> {
            CompletableFuture<String> shielded = scheduler.shield(() -> {
                gate.pass();
                return "committed";
            });
            inner.complete(shielded);
            return shielded.get();
        });
        CompletableFuture<String> shielded = Testing.get(inner);
        gate.awaitReached();
        job.close();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        gate.open();
        assertThat(Testing.get(shielded)).isEqualTo("committed");
    }

    @Test
    void closeInterruptsShieldedWork() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        CompletableFuture<Void> result = scheduler.shield(gate.task());
        gate.awaitReached();
        scheduler.close();
        assertThat(result).isCancelled();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void shieldedWorkStillRunningAfterTheCloseTimeoutIsReportedWithoutAJob() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(30)));
        Gate gate = this.testing.gate();
        CompletableFuture<String> result = scheduler.shield(() -> {
            gate.passIgnoringInterrupts();
            return "late";
        });
        gate.awaitReached();
        scheduler.close();
        assertThat(this.testing.reports.await(1)).singleElement().satisfies(context -> {
            assertThat(context.message()).isEqualTo("Job closing timed out");
            assertThat(context.job()).isNull();
        });
        gate.open();
        assertThat(catchOutcome(result)).isInstanceOf(CancellationException.class);
    }

    @Test
    void theShieldedTaskFailureReachesTheFutureUnwrapped() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        IllegalStateException failure = new IllegalStateException("no");
        CompletableFuture<Object> result = scheduler.shield(() -> {
            throw failure;
        });
        assertThatThrownBy(() -> Testing.get(result)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(failure);
    }

    @Test
    void aShieldedStageIsWaitedForByWaitAndCloseAndNotCancelledThroughItsFuture() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        CompletableFuture<String> stage = new CompletableFuture<>();
        CompletableFuture<String> result = scheduler.shield(stage);
        assertThat(result.cancel(true)).isTrue();
        assertThat(stage).isNotDone();
        Forked<Void> closing = this.testing.fork(() -> {
            scheduler.waitAndClose();
            return null;
        });
        awaitBlocked(closing.thread());
        stage.complete("done");
        closing.get();
        assertThat(scheduler.isClosed()).isTrue();
    }

    @Test
    void aShieldedStageGivesItsOutcomeUnwrapped() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        IllegalStateException failure = new IllegalStateException("stage failed");
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> result = scheduler.shield(failing.thenApply(value -> value));
        failing.completeExceptionally(failure);
        assertThatThrownBy(() -> Testing.get(result)).cause().isSameAs(failure);
        assertThat(Testing.get(scheduler.shield(CompletableFuture.completedFuture(3)))).isEqualTo(3);
    }

    @Test
    void closeCancelsAShieldedStage() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        CompletableFuture<String> stage = new CompletableFuture<>();
        CompletableFuture<String> result = scheduler.shield(stage);
        scheduler.close();
        assertThat(stage).isCancelled();
        assertThat(result).isCancelled();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void aStageThatCannotBeCancelledIsReportedWhenClosingTimesOut() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(20)));
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletionStage<String> stage = source.minimalCompletionStage();
        scheduler.shield(stage);
        scheduler.close();
        assertThat(this.testing.reports.await(1)).singleElement().satisfies(context -> {
            assertThat(context.message()).isEqualTo("Job closing timed out");
            assertThat(context.job()).isNull();
        });
        source.complete("late");
    }

    @Test
    void shieldAfterCloseIsRejected() {
        JobScheduler scheduler = this.testing.scheduler();
        scheduler.close();
        assertThatThrownBy(() -> scheduler.shield(() -> 1))
                .isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessage("Scheduling a new job after closing");
        assertThatThrownBy(() -> scheduler.shield(CompletableFuture.completedFuture(1)))
                .isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessage("Scheduling a new job after closing");
    }

    @Test
    void nullWorkIsRejectedAtOnce() {
        JobScheduler scheduler = this.testing.scheduler();
        assertThatNullPointerException().isThrownBy(() -> scheduler.shield((Callable<?>) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.shield((CompletionStage<?>) null));
    }

    @Test
    void shieldedWorkRefusedByTheExecutorFailsItsFuture() {
        JobScheduler scheduler = this.testing.scheduler(b -> b.executor(task -> {
            throw new RejectedExecutionException("full");
        }));
        CompletableFuture<Integer> result = scheduler.shield(() -> 1);
        assertThatThrownBy(() -> Testing.get(result)).cause().hasMessage("full");
        scheduler.waitAndClose(Duration.ofSeconds(Testing.WAIT_SECONDS));
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void shieldedWorkCanCloseTheSchedulerWithoutWaitingForItselfOrBeingReported() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.waitTimeout(Duration.ofHours(1))
                .closeTimeout(Duration.ofHours(1)));
        CompletableFuture<Boolean> waited = scheduler.shield(() -> {
            scheduler.waitAndClose();
            return Thread.currentThread().isInterrupted();
        });
        assertThat(Testing.get(waited)).isFalse();
        assertThat(scheduler.isClosed()).isTrue();
        JobScheduler other = this.testing.scheduler(b -> b.closeTimeout(Duration.ofHours(1)));
        CompletableFuture<String> closed = other.shield(() -> {
            other.close();
            return "finished undisturbed";
        });
        assertThat(Testing.get(closed)).isEqualTo("finished undisturbed");
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void shieldedWorkClosedBeforeTheExecutorRefusedItEndsCancelled() throws Exception {
        JobScheduler[] self = new JobScheduler[1];
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(10)).executor(task -> {
            self[0].close();
            throw new RejectedExecutionException("executor shut down");
        }));
        self[0] = scheduler;
        CompletableFuture<Integer> result = scheduler.shield(() -> 1);
        assertThat(result).isCancelled();
    }

    private static Throwable catchOutcome(CompletableFuture<?> future) {
        try {
            Testing.get(future);
            return null;
        } catch (Throwable e) {
            return e;
        }
    }
}
