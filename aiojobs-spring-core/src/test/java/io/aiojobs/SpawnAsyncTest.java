package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Forked;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Async jobs: they hold a slot, not a thread, until their stage completes. */
class SpawnAsyncTest {

    @RegisterExtension
    final Testing testing = new Testing();

    private final ExecutorService oneThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        this.oneThread.shutdownNow();
    }

    @Test
    void waitingJobsHoldTheirSlotsButNoThread() throws Exception {
        // One thread for jobs, a limit of three: three jobs wait at once, so none holds it.
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(3).executor(this.oneThread));
        CompletableFuture<Integer> a = new CompletableFuture<>();
        CompletableFuture<Integer> b = new CompletableFuture<>();
        CompletableFuture<Integer> c = new CompletableFuture<>();
        Job<Integer> ja = scheduler.spawnAsync(() -> a);
        Job<Integer> jb = scheduler.spawnAsync(() -> b);
        Job<Integer> jc = scheduler.spawnAsync(() -> c);
        Job<Integer> pending = scheduler.spawnAsync(() -> CompletableFuture.completedFuture(4));
        assertThat(pending.isPending()).as("the limit counts waiting async jobs").isTrue();
        assertThat(scheduler.activeCount()).isEqualTo(3);
        assertThat(ja.isActive() && jb.isActive() && jc.isActive()).isTrue();
        // The one thread is free: a plain job needs it... and gets it once a slot frees.
        b.complete(2);
        assertThat(jb.await()).isEqualTo(2);
        assertThat(pending.await()).isEqualTo(4);
        a.complete(1);
        c.complete(3);
        assertThat(ja.await() + jc.await()).isEqualTo(4);
        assertThat(scheduler).isEmpty();
    }

    @Test
    void theJobsOutcomeIsTheStagesWithCompletionExceptionUnwrapped() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        assertThat(scheduler.spawnAsync(() -> CompletableFuture.supplyAsync(() -> "value")).await())
                .isEqualTo("value");
        Job<String> failed = scheduler.spawnAsync(() -> CompletableFuture.<String>supplyAsync(() -> {
            throw new IllegalStateException("stage failed");
        }).thenApply(s -> s + "!")); // a dependant: its failure is a CompletionException
        assertThatThrownBy(failed::await).isInstanceOf(IllegalStateException.class).hasMessage("stage failed");
        CompletableFuture<String> wrapped = new CompletableFuture<>();
        Job<String> wrappedJob = scheduler.spawnAsync(() -> wrapped);
        wrapped.completeExceptionally(new CompletionException(new IOException("io")));
        assertThatThrownBy(wrappedJob::await).isInstanceOf(IOException.class).hasMessage("io");
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        Job<String> cancelledJob = scheduler.spawnAsync(() -> cancelled);
        cancelled.cancel(false);
        assertThatThrownBy(cancelledJob::await).isInstanceOf(CancellationException.class);
        Job<String> threw = scheduler.spawnAsync(() -> {
            throw new IOException("before any stage");
        });
        assertThatThrownBy(threw::await).isInstanceOf(IOException.class);
    }

    @Test
    void aStageCompletedOnAForeignThreadHandsTheSlotOnWithoutRunningTheNextJobThere() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        CompletableFuture<Void> stage = new CompletableFuture<>();
        Job<Void> first = scheduler.spawnAsync(() -> stage);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Job<Void> next = scheduler.spawn(() -> ranOn.set(Thread.currentThread()));
        assertThat(next.isPending()).isTrue();
        stage.complete(null); // here, on the test's thread
        assertThat(first.await()).isNull();
        next.await();
        assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void closingAJobCancelsItsStageAndEndsItAtOnce() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).closeTimeout(Duration.ofMinutes(1)));
        CompletableFuture<String> never = new CompletableFuture<>();
        Job<String> job = scheduler.spawnAsync(() -> never);
        Job<String> next = scheduler.spawn(() -> "next");
        Testing.eventually(() -> never.getNumberOfDependents() > 0, "the job waiting for its stage");
        job.close();
        assertThat(never).isCancelled();
        assertThat(job.isClosed()).isTrue();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        assertThat(next.await()).isEqualTo("next");
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void closingTheSchedulerCancelsStagesThatNeverCompleteWithoutWaitingForThem() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(Duration.ofMinutes(1)));
        CompletableFuture<String> never = new CompletableFuture<>();
        Job<String> job = scheduler.spawnAsync(() -> never);
        Testing.eventually(() -> never.getNumberOfDependents() > 0, "the job waiting for its stage");
        long begin = System.nanoTime();
        scheduler.close();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("not the close timeout")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(never).isCancelled();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
        CloseReport report = scheduler.closeReport().orElseThrow();
        assertThat(report.cancelled()).isOne();
        assertThat(report.stillRunning()).isEmpty();
    }

    @Test
    void waitAndCloseWaitsForStages() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        CompletableFuture<String> stage = new CompletableFuture<>();
        Job<String> job = scheduler.spawnAsync(() -> stage);
        Forked<Boolean> closer = this.testing.fork(() -> {
            scheduler.waitAndClose();
            return true;
        });
        awaitBlocked(closer.thread());
        assertThat(scheduler.isClosed()).isFalse();
        stage.complete("done");
        assertThat(closer.get()).isTrue();
        assertThat(job.await()).isEqualTo("done");
        assertThat(scheduler.closeReport().orElseThrow().completed()).isOne();
    }

    @Test
    void aTaskThatReturnsNullFailsClearlyAndIsReported() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Job<String> job = scheduler.spawnAsync(() -> null, SpawnOptions.defaults().name("forgetful"));
        ExceptionContext report = this.testing.reports.await(1).get(0);
        assertThat(report.message()).isEqualTo("Job processing failed");
        assertThat(report.exception()).isInstanceOf(NullPointerException.class)
                .hasMessage("The task of async job forgetful returned null instead of a CompletionStage");
        assertThatThrownBy(job::await).isInstanceOf(NullPointerException.class);
        assertThat(scheduler.spawn(() -> "slot freed").await()).isEqualTo("slot freed");
    }

    @Test
    void aJobClosedWhileItsTaskStillRunsHasTheStageItReturnsCancelled() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Testing.Gate gate = this.testing.gate();
        CompletableFuture<String> stage = new CompletableFuture<>();
        Job<String> job = scheduler.spawnAsync(() -> {
            gate.passIgnoringInterrupts();
            return stage;
        });
        gate.awaitReached();
        Forked<Void> closer = this.testing.fork(() -> {
            job.close(Duration.ofMinutes(1));
            return null;
        });
        Testing.eventually(job::isClosed, "the job closed");
        gate.open();
        closer.get();
        assertThat(stage).isCancelled();
        assertThatThrownBy(job::await).isInstanceOf(CancellationException.class);
    }

    @Test
    void pendingAsyncJobsQueueAndAQueueTimeoutApplies() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        Job<Integer> first = scheduler.spawnAsync(() -> stage);
        Job<Integer> queued = scheduler.spawnAsync(() -> CompletableFuture.completedFuture(2));
        assertThat(queued.isPending()).isTrue();
        assertThatThrownBy(() -> scheduler.spawnAsync(() -> stage, SpawnOptions.defaults().queueTimeout(millis(0))))
                .isInstanceOf(QueueFullException.class);
        stage.complete(1);
        assertThat(first.await() + queued.await()).isEqualTo(3);
    }
}
