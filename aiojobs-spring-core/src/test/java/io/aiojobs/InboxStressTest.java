package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The lock-free spawn path under fire: several threads spawn short jobs into a scheduler whose
 * slots are all busy (so they push to its inbox without the lock) while the jobs' threads take
 * the inbox and hand their slots on, and another thread closes the scheduler at a random moment.
 * No listener, so jobs end by the quiet path too. Seeded ({@code -Dstress.seed=N}) and bounded
 * in rounds and time ({@code -Dstress.rounds=N}, {@code -Dstress.budgetSeconds=S} to hunt
 * longer). Checks, while it runs, that the counts never exceed the limits, and after
 * every round that each spawn either threw {@link RejectedExecutionException} (and its body never
 * ran) or returned a job that ended, that no body ran twice, that the counts are back to 0, and
 * that only close() cancelled jobs. A job that close() finds running is cancelled even if its
 * body then returns normally (it was closed before it finished), so a cancelled job's body may
 * have run; but only the jobs active when close() came, at most limit of them: a pending job
 * that close() drops never runs.
 */
class InboxStressTest {

    private static final int MAX_ROUNDS = Integer.getInteger("stress.rounds", 60);
    private static final long BUDGET_NANOS =
            TimeUnit.SECONDS.toNanos(Long.getLong("stress.budgetSeconds", 4));
    private static final int SPAWNERS = 3;
    private static final int SPAWNS_PER_THREAD = 400;

    @Test
    void everySpawnEndsOrIsRejectedWhileSpawnersRaceTheJobsAndClose() throws Exception {
        long seed = Long.getLong("stress.seed", System.nanoTime());
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int round = 0;
        for (; round < MAX_ROUNDS && System.nanoTime() < deadline; round++) {
            try {
                new Round(seed + round).run();
            } catch (Throwable e) {
                throw new AssertionError("inbox stress round failed; replay with -Dstress.seed="
                        + (seed + round), e);
            }
        }
        assertThat(round).isPositive();
        System.out.println("InboxStressTest: seed " + seed + ", " + round + " rounds");
    }

    private static final class Round {
        private final Random random;
        private final int limit;
        private final int pendingLimit;
        private final JobScheduler scheduler;
        private final AtomicIntegerArray runs = new AtomicIntegerArray(SPAWNERS * SPAWNS_PER_THREAD);
        /** Each accepted job with the slot its body counts its runs in. */
        private final List<Map.Entry<Job<?>, Integer>> accepted = new CopyOnWriteArrayList<>();
        /** The slots of the spawns that threw. */
        private final List<Integer> rejected = new CopyOnWriteArrayList<>();
        /** Set (before the call) by the spawner that closes the scheduler mid-round. */
        private final AtomicBoolean closedMidRound = new AtomicBoolean();
        private final List<String> violations = new CopyOnWriteArrayList<>();

        Round(long seed) {
            this.random = new Random(seed);
            this.limit = 1 + this.random.nextInt(4);
            this.pendingLimit = new int[] {0, 1, 3, 50}[this.random.nextInt(4)];
            this.scheduler = JobScheduler.builder().limit(this.limit).pendingLimit(this.pendingLimit)
                    .closeTimeout(java.time.Duration.ofSeconds(10)).build();
        }

        void run() throws Exception {
            int closeAfter = this.random.nextInt(SPAWNERS * SPAWNS_PER_THREAD * 3 / 2);
            AtomicInteger spawns = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < SPAWNERS; t++) {
                int first = t * SPAWNS_PER_THREAD;
                threads.add(new Thread(() -> spawnAll(go, first, spawns, closeAfter), "spawner-" + t));
            }
            Thread sampler = new Thread(() -> sample(done), "sampler");
            threads.forEach(Thread::start);
            sampler.start();
            go.countDown();
            try {
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                    assertThat(thread.isAlive()).as(thread.getName() + " stuck").isFalse();
                }
                // A job left behind in the queue with a slot free would keep this from returning.
                assertThat(this.scheduler.awaitIdle(java.time.Duration.ofSeconds(20)))
                        .as("every accepted job ended").isTrue();
            } finally {
                // Also when a check failed: no thread of this round may outlive it.
                this.scheduler.close();
                done.set(true);
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(10));
                }
                sampler.join(TimeUnit.SECONDS.toMillis(10));
            }
            check();
        }

        private void spawnAll(CountDownLatch go, int first, AtomicInteger spawns, int closeAfter) {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < SPAWNS_PER_THREAD; i++) {
                int slot = first + i;
                if (spawns.incrementAndGet() == closeAfter) {
                    this.closedMidRound.set(true);
                    this.scheduler.close();
                }
                try {
                    Job<?> job = this.scheduler.spawn(() -> this.runs.incrementAndGet(slot));
                    this.accepted.add(Map.entry(job, slot));
                } catch (RejectedExecutionException e) {
                    this.rejected.add(slot);
                }
            }
        }

        private void sample(AtomicBoolean done) {
            while (!done.get()) {
                int active = this.scheduler.activeCount();
                int pending = this.scheduler.pendingCount();
                if (active > this.limit || active < 0) {
                    this.violations.add("activeCount " + active + " with limit " + this.limit);
                }
                if (pending < 0 || (this.pendingLimit > 0 && pending > this.pendingLimit)) {
                    this.violations.add("pendingCount " + pending + " with pendingLimit "
                            + this.pendingLimit);
                }
                Thread.onSpinWait();
            }
        }

        private void check() throws Exception {
            assertThat(this.violations).as("limits while running").isEmpty();
            assertThat(this.accepted.size() + this.rejected.size())
                    .isEqualTo(SPAWNERS * SPAWNS_PER_THREAD);
            if (!this.closedMidRound.get()) {
                assertThat(this.rejected).as("spawns rejected without close()").isEmpty();
            }
            for (int slot : this.rejected) {
                assertThat(this.runs.get(slot)).as("body runs of rejected spawn " + slot).isZero();
            }
            int cancelledAfterRunning = 0;
            for (Map.Entry<Job<?>, Integer> entry : this.accepted) {
                Job<?> job = entry.getKey();
                int slot = entry.getValue();
                assertThat(job.isClosed()).as(job + " ended").isTrue();
                boolean cancelled;
                try {
                    job.future().get(10, TimeUnit.SECONDS);
                    cancelled = false;
                } catch (CancellationException e) {
                    cancelled = true;
                } catch (ExecutionException e) {
                    throw new AssertionError(job + " failed", e);
                }
                if (!cancelled) {
                    assertThat(this.runs.get(slot)).as(job + " body runs").isEqualTo(1);
                } else {
                    assertThat(this.closedMidRound).as(job + " cancelled without close()").isTrue();
                    if (this.runs.get(slot) > 0) {
                        cancelledAfterRunning++;
                    }
                }
            }
            assertThat(cancelledAfterRunning).as("cancelled jobs whose body ran (active at close())")
                    .isLessThanOrEqualTo(this.limit);
            for (int slot = 0; slot < this.runs.length(); slot++) {
                assertThat(this.runs.get(slot)).as("slot " + slot + " runs").isLessThanOrEqualTo(1);
            }
            assertThat(this.scheduler.activeCount()).isZero();
            assertThat(this.scheduler.pendingCount()).isZero();
            assertThat(this.scheduler).isEmpty();
        }
    }
}
