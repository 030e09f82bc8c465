package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CloseTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void closeDropsPendingJobsWithoutRunningThemAndInterruptsActiveOnes() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        AtomicBoolean interrupted = new AtomicBoolean();
        Job<Void> active = scheduler.spawn(() -> {
            try {
                gate.pass();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        });
        gate.awaitReached();
        AtomicInteger ran = new AtomicInteger();
        Job<?> pending = scheduler.spawn(ran::incrementAndGet);
        scheduler.close();
        assertThat(scheduler.isClosed()).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(active.isClosed()).isTrue();
        assertThat(pending.isClosed()).isTrue();
        assertThatThrownBy(active::await).isInstanceOf(CancellationException.class);
        assertThatThrownBy(pending::await).isInstanceOf(CancellationException.class);
        assertThat(ran).hasValue(0);
        assertThat(scheduler).isEmpty();
        assertThat(scheduler.activeCount()).isZero();
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void closeGivesUpOnJobsThatIgnoreInterruptsAndReportsEach() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(200)).captureSpawnSite(true));
        Gate gate = this.testing.gate();
        CountDownLatch started = new CountDownLatch(4);
        List<Job<?>> stuck = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stuck.add(scheduler.spawn(() -> {
                started.countDown();
                gate.passIgnoringInterrupts();
                return null;
            }));
        }
        Testing.await(started);
        long begin = System.nanoTime();
        scheduler.close();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        // All four are waited for together: about one closeTimeout, not four in turn.
        assertThat(took).isGreaterThanOrEqualTo(190).isLessThan(4 * 200);
        List<ExceptionContext> reports = this.testing.reports.await(4);
        assertThat(reports).hasSize(4).allSatisfy(context -> {
            assertThat(context.message()).isEqualTo("Job closing timed out");
            assertThat(context.exception()).isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(context.sourceTraceback()).isNotEmpty();
        });
        assertThat(reports).extracting(ExceptionContext::job).containsExactlyInAnyOrderElementsOf(stuck);
        assertThat(stuck).allMatch(Job::isClosed);
        assertThat(scheduler).isEmpty();
        assertThat(scheduler.activeCount()).isZero();
        assertThat(scheduler.toString()).isEqualTo("JobScheduler[closed jobs=0]");
        gate.open();
        for (Job<?> job : stuck) {
            assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        }
        assertThat(this.testing.reports.all()).hasSize(4);
    }

    @Test
    void aJobThatFailsAfterTheSchedulerInterruptedItIsReported() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(() -> {
            try {
                gate.pass();
            } catch (InterruptedException e) {
                throw new IllegalStateException("failed on interrupt");
            }
            return null;
        });
        gate.awaitReached();
        scheduler.close();
        assertThat(this.testing.reports.await(1)).singleElement().satisfies(context -> {
            assertThat(context.message()).isEqualTo("Job processing failed");
            assertThat(context.job()).isSameAs(job);
        });
    }

    @Test
    void closeIsIdempotentAndAutoCloseable() throws Exception {
        Job<Void> job;
        Gate gate = this.testing.gate();
        try (JobScheduler scheduler = this.testing.scheduler()) {
            job = scheduler.spawn(gate.task());
            gate.awaitReached();
        }
        assertThat(job.isClosed()).isTrue();
        JobScheduler scheduler = this.testing.scheduler();
        scheduler.close();
        scheduler.close();
        assertThat(scheduler.isClosed()).isTrue();
        assertThat(scheduler.toString()).isEqualTo("JobScheduler[closed jobs=0]");
    }

    @Test
    void closeCalledWithTheInterruptFlagSetStopsWaitingAndKeepsTheFlag() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(Duration.ofSeconds(Testing.WAIT_SECONDS)));
        Gate gate = this.testing.gate();
        scheduler.spawn(() -> {
            gate.passIgnoringInterrupts();
            return null;
        });
        gate.awaitReached();
        Forked<Boolean> closer = this.testing.fork(() -> {
            Thread.currentThread().interrupt();
            scheduler.close();
            return Thread.currentThread().isInterrupted();
        });
        assertThat(closer.get()).isTrue();
        assertThat(this.testing.reports.await(1)).extracting(ExceptionContext::message)
                .containsExactly("Job closing timed out");
        assertThat(scheduler).isEmpty();
    }

    @Test
    void aJobCanCloseItsSchedulerAndFinishesUndisturbed() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        AtomicInteger ran = new AtomicInteger();
        Gate gate = this.testing.gate();
        Job<Boolean> closer = scheduler.spawn(() -> {
            gate.pass();
            scheduler.close();
            return Thread.currentThread().isInterrupted();
        });
        gate.awaitReached();
        Job<?> pending = scheduler.spawn(ran::incrementAndGet);
        gate.open();
        assertThat(closer.await()).isFalse();
        assertThatThrownBy(pending::await).isInstanceOf(CancellationException.class);
        assertThat(ran).hasValue(0);
        assertThat(scheduler).isEmpty();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void waitAndCloseWaitsForJobsIncludingThoseSpawnedMeanwhileThenCloses() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate first = this.testing.gate();
        Gate second = this.testing.gate();
        CompletableFuture<Job<String>> child = new CompletableFuture<>();
        Job<Void> parent = scheduler.spawn(() -> {
            first.pass();
            child.complete(scheduler.spawn(() -> {
                second.pass();
                return "child done";
            }));
            return null;
        });
        first.awaitReached();
        Forked<Void> closing = this.testing.fork(() -> {
            scheduler.waitAndClose();
            return null;
        });
        awaitBlocked(closing.thread());
        first.open();
        Job<String> spawned = Testing.get(child);
        second.awaitReached();
        assertThat(closing.result()).isNotDone();
        assertThat(scheduler.isClosed()).isFalse();
        second.open();
        closing.get();
        assertThat(scheduler.isClosed()).isTrue();
        assertThat(parent.await()).isNull();
        assertThat(spawned.await()).isEqualTo("child done");
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void waitAndCloseReturnsWhenTheWorkIsDoneNotAfterItsTimeout() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.waitTimeout(Duration.ofHours(1)));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        Forked<Void> closing = this.testing.fork(() -> {
            scheduler.waitAndClose();
            return null;
        });
        awaitBlocked(closing.thread());
        gate.open();
        closing.get();
        assertThat(scheduler.isClosed()).isTrue();
    }

    @Test
    void waitAndCloseClosesWhatIsLeftAfterItsTimeout() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(gate.task());
        gate.awaitReached();
        scheduler.waitAndClose(millis(30));
        assertThat(scheduler.isClosed()).isTrue();
        assertThat(job.isClosed()).isTrue();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void anInterruptedWaitAndCloseGoesStraightToCloseAndKeepsTheFlag() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(gate.task());
        gate.awaitReached();
        Forked<Boolean> closing = this.testing.fork(() -> {
            scheduler.waitAndClose(Duration.ofHours(1));
            return Thread.currentThread().isInterrupted();
        });
        awaitBlocked(closing.thread());
        closing.thread().interrupt();
        assertThat(closing.get()).isTrue();
        assertThat(scheduler.isClosed()).isTrue();
        assertThat(job.isClosed()).isTrue();
    }

    @Test
    void waitAndCloseFromAJobDoesNotWaitForThatJob() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.waitTimeout(Duration.ofHours(1)));
        Job<Boolean> job = scheduler.spawn(() -> {
            scheduler.waitAndClose();
            return scheduler.isClosed();
        });
        assertThat(job.await()).isTrue();
    }

    @Test
    void waitAndCloseWithABadTimeoutIsRejectedAtOnce() {
        JobScheduler scheduler = this.testing.scheduler();
        assertThatNullPointerException().isThrownBy(() -> scheduler.waitAndClose(null));
        assertThatThrownBy(() -> scheduler.waitAndClose(millis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(scheduler.isClosed()).isFalse();
    }

    @Test
    void waitAndCloseOfAnEmptySchedulerClosesAtOnce() {
        JobScheduler scheduler = this.testing.scheduler(b -> b.waitTimeout(Duration.ofHours(1)));
        scheduler.waitAndClose();
        assertThat(scheduler.isClosed()).isTrue();
        assertThatThrownBy(() -> scheduler.spawn(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        scheduler.waitAndClose();
    }

    @Test
    void aJobClosedBeforeTheExecutorRefusedItEndsCancelledNotFailed() throws Exception {
        // The spawner lost the race with close(): its job was accepted, then the scheduler closed
        // (and shut its own executor down) before the job was handed over.
        JobScheduler[] self = new JobScheduler[1];
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(10)).executor(task -> {
            self[0].close();
            throw new RejectedExecutionException("executor shut down");
        }));
        self[0] = scheduler;
        Job<Integer> job = scheduler.spawn(() -> 1);
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        // Nor did close() wait for it: its task had not started, and never will.
        assertThat(this.testing.reports.all()).isEmpty();
        assertThat(scheduler).isEmpty();
    }

    @Test
    void anExceptionHandlerThatClosesTheSchedulerDoesNotWaitForTheJobQueuedBehind() throws Exception {
        // The failing job's thread reports the failure after it has taken the next pending job
        // on; close() from there must not wait for that job, which cannot start until it returns.
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).closeTimeout(Duration.ofHours(1))
                .exceptionHandler((s, context) -> {
                    this.testing.reports.handle(s, context);
                    s.close();
                }));
        Gate gate = this.testing.gate();
        scheduler.spawn(() -> {
            gate.pass();
            throw new IllegalStateException("fail fast");
        });
        gate.awaitReached();
        AtomicInteger ran = new AtomicInteger();
        Job<?> queued = scheduler.spawn(ran::incrementAndGet);
        gate.open();
        assertThatThrownBy(() -> Testing.get(queued.future())).isInstanceOf(CancellationException.class);
        assertThat(ran).hasValue(0);
        assertThat(scheduler.isClosed()).isTrue();
        assertThat(this.testing.reports.messages()).containsExactly("Job processing failed");
    }

    @Test
    void anExceptionHandlerOrListenerCanWaitAndCloseWithoutWaitingForItsOwnReport() throws Exception {
        // waitAndClose() waits until the ends of jobs have been reported; called from that very
        // report (on the job's thread) it must not wait for itself.
        CountDownLatch closedFromHandler = new CountDownLatch(1);
        JobScheduler scheduler = this.testing.scheduler(b -> b.waitTimeout(Duration.ofHours(1))
                .exceptionHandler((s, context) -> {
                    s.waitAndClose();
                    closedFromHandler.countDown();
                }));
        scheduler.spawn(() -> {
            throw new IllegalStateException("fatal");
        });
        Testing.await(closedFromHandler);
        assertThat(scheduler.isClosed()).isTrue();

        CountDownLatch closedFromListener = new CountDownLatch(1);
        CompletableFuture<JobScheduler> self = new CompletableFuture<>();
        JobScheduler other = this.testing.scheduler(b -> b.waitTimeout(Duration.ofHours(1))
                .listener(new JobListener() {
                    @Override
                    public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
                        self.join().waitAndClose();
                        closedFromListener.countDown();
                    }
                }));
        self.complete(other);
        other.spawn(() -> 1);
        Testing.await(closedFromListener);
        assertThat(other.isClosed()).isTrue();
    }
}
