package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.Testing.Gate;
import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On platform threads a scheduler runs its jobs on a pool of {@code limit} threads: these tests
 * pin down what that pool must never cost.
 */
class PlatformThreadPoolTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void shieldedWorkStartsWhileEveryJobThreadIsBusy() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(2).virtualThreads(false));
        Gate first = this.testing.gate();
        Gate second = this.testing.gate();
        scheduler.spawn(first.task());
        scheduler.spawn(second.task());
        first.awaitReached();
        second.awaitReached();

        CompletableFuture<String> shielded = scheduler.shield(() -> "saved");

        assertThat(Testing.get(shielded)).isEqualTo("saved");
    }

    @Test
    void jobsKeepRunningThroughTheFreeSlotWhileAnotherJobNeverEnds() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(2).virtualThreads(false));
        Gate stuck = this.testing.gate();
        scheduler.spawn(stuck.task());
        stuck.awaitReached();
        CountDownLatch ran = new CountDownLatch(1000);

        for (int i = 0; i < 1000; i++) {
            scheduler.spawn(ran::countDown);
        }

        Testing.await(ran);
        assertThat(scheduler.activeCount()).isLessThanOrEqualTo(2);
    }

    @Test
    void aJobSpawnedAndAwaitedFromAJobAtTheLimitRuns() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(2).virtualThreads(false));

        Job<Integer> outer = scheduler.spawn(() -> scheduler.spawn(() -> 41).await() + 1);

        assertThat(Testing.get(outer.future())).isEqualTo(42);
    }

    @Test
    void aSchedulerKeepsNoReferenceToJobsThatWentThroughItsQueue() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(0)
                .virtualThreads(false).paused(true));
        CountDownLatch ran = new CountDownLatch(2000);
        WeakReference<Job<?>> last = null;
        for (int i = 0; i < 2000; i++) {
            last = new WeakReference<>(scheduler.spawn(ran::countDown));
        }
        WeakReference<Job<?>> lastJob = last;

        scheduler.resume();

        Testing.await(ran);
        Testing.eventually(() -> {
            System.gc();
            return lastJob.get() == null;
        }, "the last finished job to be collected");
    }
}
