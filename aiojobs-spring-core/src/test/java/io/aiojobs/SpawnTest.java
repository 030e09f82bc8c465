package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SpawnTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void aJobStartsAtOnceWhileThereIsAFreeSlot() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(2));
        Gate gate = this.testing.gate();
        Job<String> job = scheduler.spawn(() -> {
            gate.pass();
            return "done";
        });
        gate.awaitReached();
        assertThat(job.isActive()).isTrue();
        assertThat(scheduler.activeCount()).isEqualTo(1);
        assertThat(scheduler.pendingCount()).isZero();
        gate.open();
        assertThat(job.await()).isEqualTo("done");
    }

    @Test
    void jobsBeyondTheLimitWaitAndStartFirstInFirstOut() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        List<Integer> order = new CopyOnWriteArrayList<>();
        Job<?> first = scheduler.spawn(() -> {
            gate.pass();
            return order.add(0);
        });
        gate.awaitReached();
        Job<?>[] queued = new Job<?>[5];
        for (int i = 0; i < queued.length; i++) {
            int n = i + 1;
            queued[i] = scheduler.spawn(() -> {
                order.add(n);
            });
        }
        assertThat(scheduler.activeCount()).isEqualTo(1);
        assertThat(scheduler.pendingCount()).isEqualTo(5);
        assertThat(queued).allMatch(Job::isPending);
        gate.open();
        first.await();
        for (Job<?> job : queued) {
            job.await();
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(scheduler.activeCount()).isZero();
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void aLimitOfZeroStartsEveryJobAtOnce() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(0));
        Gate gate = this.testing.gate();
        CountDownLatch started = new CountDownLatch(150);
        for (int i = 0; i < 150; i++) {
            scheduler.spawn(() -> {
                started.countDown();
                gate.pass();
                return null;
            });
        }
        Testing.await(started);
        assertThat(scheduler.activeCount()).isEqualTo(150);
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void spawnBlocksOnAFullPendingQueueUntilAPlaceFrees() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        Job<?> waiting = scheduler.spawn(() -> { });
        Forked<Job<Integer>> blocked = this.testing.fork(() -> scheduler.spawn(() -> 42));
        awaitBlocked(blocked.thread());
        assertThat(blocked.result()).isNotDone();
        assertThat(scheduler.pendingCount()).isEqualTo(1);
        gate.open();
        assertThat(blocked.get().await()).isEqualTo(42);
        assertThat(waiting.isClosed()).isTrue();
    }

    @Test
    void closingAPendingJobFreesAPlaceForABlockedSpawner() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        Job<?> waiting = scheduler.spawn(() -> { });
        Forked<Job<Integer>> blocked = this.testing.fork(() -> scheduler.spawn(() -> 42));
        awaitBlocked(blocked.thread());
        waiting.close();
        Job<Integer> job = blocked.get();
        assertThat(job.isPending()).isTrue();
        gate.open();
        assertThat(job.await()).isEqualTo(42);
    }

    @Test
    void aSpawnerInterruptedWhileBlockedGetsRejectedKeepsItsFlagAndTheJobIsDiscarded() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        scheduler.spawn(() -> { });
        AtomicInteger ran = new AtomicInteger();
        Forked<Boolean> blocked = this.testing.fork(() -> {
            try {
                scheduler.spawn(() -> ran.incrementAndGet());
                return false;
            } catch (RejectedExecutionException expected) {
                return Thread.currentThread().isInterrupted();
            }
        });
        awaitBlocked(blocked.thread());
        blocked.thread().interrupt();
        assertThat(blocked.get()).as("interrupt flag restored").isTrue();
        assertThat(scheduler.pendingCount()).isEqualTo(1);
        assertThat(scheduler).hasSize(2);
        gate.open();
        scheduler.waitAndClose();
        assertThat(ran).hasValue(0);
    }

    @Test
    void spawnAfterCloseIsRejected() {
        JobScheduler scheduler = this.testing.scheduler();
        scheduler.close();
        assertThatThrownBy(() -> scheduler.spawn(() -> 1))
                .isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessage("Scheduling a new job after closing");
        assertThatThrownBy(() -> scheduler.spawn(() -> { }, "named"))
                .isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessage("Scheduling a new job after closing");
        assertThatThrownBy(() -> scheduler.spawn(() -> 1, "named", Duration.ZERO))
                .isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessage("Scheduling a new job after closing");
        assertThat(scheduler).isEmpty();
    }

    @Test
    void aSpawnerBlockedWhenTheSchedulerClosesIsRejected() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        scheduler.spawn(() -> { });
        Forked<Job<Integer>> blocked = this.testing.fork(() -> scheduler.spawn(() -> 42));
        awaitBlocked(blocked.thread());
        scheduler.close();
        assertThatThrownBy(blocked::get).isInstanceOf(ExecutionException.class)
                .cause().isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessage("Scheduling a new job after closing");
    }

    @Test
    void nullTasksAreRejectedAtOnce() {
        JobScheduler scheduler = this.testing.scheduler();
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Callable<?>) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Runnable) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Callable<?>) null, "x"));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Runnable) null, "x"));
        assertThatNullPointerException()
                .isThrownBy(() -> scheduler.spawn((Callable<?>) null, "x", Duration.ZERO));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn(() -> 1, "x", null));
        assertThatThrownBy(() -> scheduler.spawn(() -> 1, "x", millis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueTimeout");
        assertThat(scheduler).isEmpty();
    }

    @Test
    void aRunnableJobResultsInNullAndACallableInItsValue() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        AtomicInteger ran = new AtomicInteger();
        Job<Void> runnable = scheduler.spawn((Runnable) ran::incrementAndGet, "counter");
        assertThat(runnable.await()).isNull();
        assertThat(runnable.getName()).isEqualTo("counter");
        assertThat(scheduler.spawn((Runnable) ran::incrementAndGet).await()).isNull();
        assertThat(scheduler.spawn(ran::incrementAndGet).await()).isEqualTo(3);
        assertThat(scheduler.spawn(ran::incrementAndGet, "named").await()).isEqualTo(4);
    }

    @Test
    void aBoundedSpawnFailsWithQueueFullWhenThePendingQueueStaysFull() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        scheduler.spawn(() -> { });
        assertThatThrownBy(() -> scheduler.spawn(() -> 1, "x", millis(20)))
                .isInstanceOf(QueueFullException.class)
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> scheduler.spawn(() -> 1, "x", Duration.ZERO))
                .isInstanceOf(QueueFullException.class);
        assertThat(scheduler).hasSize(2);
        gate.open();
        scheduler.waitAndClose();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void aBoundedSpawnTakesAPlaceThatFreesInTime() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        gate.awaitReached();
        Job<?> waiting = scheduler.spawn(() -> { });
        Forked<Job<Integer>> blocked = this.testing.fork(
                () -> scheduler.spawn(() -> 7, "bounded", Duration.ofSeconds(Testing.WAIT_SECONDS)));
        awaitBlocked(blocked.thread());
        waiting.close();
        gate.open();
        assertThat(blocked.get().await()).isEqualTo(7);
    }

    @Test
    void aBoundedSpawnDoesNotWaitWhenThereIsRoom() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        assertThat(scheduler.spawn(() -> 3, null, Duration.ZERO).await()).isEqualTo(3);
    }

    @Test
    void jobsGetGeneratedUniqueNamesUnlessNamed() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Job<?> a = scheduler.spawn(() -> 1);
        Job<?> b = scheduler.spawn(() -> 2);
        Job<?> named = scheduler.spawn(() -> 3, "mailer");
        assertThat(a.getName()).isNotNull().isNotEqualTo(b.getName());
        assertThat(named.getName()).isEqualTo("mailer");
        named.setName("renamed");
        assertThat(named.getName()).isEqualTo("renamed");
        assertThat(named.toString()).contains("renamed");
        named.setName(null);
        assertThat(named.getName()).isNotNull().isNotEqualTo(a.getName()).isNotEqualTo(b.getName());
    }

    @Test
    void aPausedSchedulerHoldsJobsPendingWithoutBlockingUntilResumed() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.paused(true).limit(2).pendingLimit(1));
        assertThat(scheduler.isPaused()).isTrue();
        AtomicInteger ran = new AtomicInteger();
        Job<?>[] jobs = new Job<?>[4];
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = scheduler.spawn(ran::incrementAndGet);
        }
        assertThat(scheduler.pendingCount()).isEqualTo(4);
        assertThat(scheduler.activeCount()).isZero();
        assertThat(jobs).allMatch(Job::isPending);
        assertThat(ran).hasValue(0);
        scheduler.resume();
        assertThat(scheduler.isPaused()).isFalse();
        for (Job<?> job : jobs) {
            job.await();
        }
        assertThat(ran).hasValue(4);
        scheduler.resume();
    }

    @Test
    void waitAndCloseResumesAPausedScheduler() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.paused(true));
        Job<Integer> job = scheduler.spawn(() -> 5);
        scheduler.waitAndClose();
        assertThat(job.await()).isEqualTo(5);
    }

    @Test
    void closingAPausedSchedulerDropsItsJobsWithoutRunningThem() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.paused(true));
        AtomicInteger ran = new AtomicInteger();
        Job<?> job = scheduler.spawn(ran::incrementAndGet);
        scheduler.close();
        assertThat(job.isClosed()).isTrue();
        assertThatThrownBy(job::await).isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(ran).hasValue(0);
    }

    @Test
    void jobsRunOnThreadsFromTheGivenThreadFactory() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.threadFactory(task -> {
            Thread thread = new Thread(task, "custom-thread");
            thread.setDaemon(true);
            return thread;
        }));
        assertThat(scheduler.spawn(() -> Thread.currentThread().getName()).await())
                .isEqualTo("custom-thread");
    }

    @Test
    void jobsRunOnTheGivenExecutor() throws Exception {
        AtomicInteger executed = new AtomicInteger();
        JobScheduler scheduler = this.testing.scheduler(b -> b.executor(task -> {
            executed.incrementAndGet();
            Thread thread = new Thread(task, "from-executor");
            thread.setDaemon(true);
            thread.start();
        }));
        assertThat(scheduler.spawn(() -> Thread.currentThread().getName()).await())
                .isEqualTo("from-executor");
        assertThat(executed).hasValue(1);
    }

    @Test
    void platformThreadsAreNamedAfterTheScheduler() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.name("mailer").virtualThreads(false));
        Thread thread = scheduler.spawn(Thread::currentThread).await();
        assertThat(thread.getName()).matches("mailer-\\d+");
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void jobsRunOnVirtualThreadsByDefaultOnJava21AndLater() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.name("vt"));
        Thread thread = scheduler.spawn(Thread::currentThread).await();
        assertThat(thread.getName()).matches("vt-\\d+");
        if (Runtime.version().feature() >= 21) {
            assertThat(Thread.class.getMethod("isVirtual").invoke(thread)).isEqualTo(true);
        } else {
            assertThat(thread.isDaemon()).isTrue();
        }
    }

    @Test
    void aJobRefusedByTheExecutorFailsVisiblyAndTheQueueMovesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).executor(task -> {
            if (calls.incrementAndGet() == 1) {
                throw new RejectedExecutionException("no threads left");
            }
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            thread.start();
        }));
        Job<Integer> refused = scheduler.spawn(() -> 1);
        Job<Integer> next = scheduler.spawn(() -> 2);
        assertThat(next.await()).isEqualTo(2);
        assertThat(refused.isClosed()).isTrue();
        assertThatThrownBy(refused::await).isInstanceOf(RejectedExecutionException.class)
                .hasMessage("no threads left");
        List<ExceptionContext> reports = this.testing.reports.await(1);
        assertThat(reports).singleElement().satisfies(context -> {
            assertThat(context.message()).isEqualTo("Job processing failed");
            assertThat(context.job()).isSameAs(refused);
            assertThat(context.exception()).hasMessage("no threads left");
        });
        assertThat(scheduler).isEmpty();
    }

    @Test
    void aJobRefusedWhilePendingDoesNotHangTheJobsBehindIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Gate gate = this.testing.gate();
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).executor(task -> {
            int call = calls.incrementAndGet();
            if (call == 2 || call == 3) {
                throw new RejectedExecutionException("refused " + call);
            }
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            thread.start();
        }));
        Job<?> first = scheduler.spawn(gate.task());
        gate.awaitReached();
        Job<Integer> second = scheduler.spawn(() -> 2);
        Job<Integer> third = scheduler.spawn(() -> 3);
        Job<Integer> fourth = scheduler.spawn(() -> 4);
        gate.open();
        first.await();
        assertThat(fourth.await()).isEqualTo(4);
        assertThat(second.isClosed()).isTrue();
        assertThat(third.isClosed()).isTrue();
        assertThat(scheduler).isEmpty();
    }

    @Test
    void theTaskDecoratorWrapsEveryJobOnTheSpawningThread() throws Exception {
        ThreadLocal<String> context = new ThreadLocal<>();
        JobScheduler scheduler = this.testing.scheduler(b -> b.taskDecorator(body -> {
            String captured = context.get();
            return () -> {
                context.set(captured);
                try {
                    body.run();
                } finally {
                    context.remove();
                }
            };
        }));
        context.set("request-1");
        try {
            assertThat(scheduler.spawn(context::get).await()).isEqualTo("request-1");
            assertThat(Testing.get(scheduler.shield(context::get))).isEqualTo("request-1");
        } finally {
            context.remove();
        }
    }

    @Test
    void aDecoratorReturningNullIsRejectedAtSpawn() {
        JobScheduler scheduler = this.testing.scheduler(b -> b.taskDecorator(body -> null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn(() -> 1));
        assertThat(scheduler).isEmpty();
    }

    @Test
    void aJobCanSpawnJobs() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Job<Job<Integer>> parent = scheduler.spawn(() -> scheduler.spawn(() -> 9));
        assertThat(parent.await().await()).isEqualTo(9);
    }
}
