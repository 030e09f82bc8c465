package io.aiojobs;

import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.JobListener.Outcome;
import io.aiojobs.Testing.Gate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ListenerTest {

    @RegisterExtension
    final Testing testing = new Testing();

    /** Records events as text, e.g. {@code finished a SUCCESS}. */
    static class Recorder implements JobListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Long> runNanos = new CopyOnWriteArrayList<>();
        final List<Long> queuedNanos = new CopyOnWriteArrayList<>();
        final CountDownLatch finished;

        Recorder(int expectedFinishes) {
            this.finished = new CountDownLatch(expectedFinishes);
        }

        @Override
        public void onSpawned(Job<?> job) {
            this.events.add("spawned " + job.getName());
        }

        @Override
        public void onStarted(Job<?> job, long queued) {
            this.queuedNanos.add(queued);
            this.events.add("started " + job.getName());
        }

        @Override
        public void onFinished(Job<?> job, Outcome outcome, long run) {
            this.runNanos.add(run);
            this.events.add("finished " + job.getName() + " " + outcome);
            this.finished.countDown();
        }

        @Override
        public void onCloseTimeout(Job<?> job) {
            this.events.add("close timeout " + (job == null ? "shield" : job.getName()));
        }
    }

    @Test
    void listenersHearEveryJobEndOnceWithItsOutcome() throws Exception {
        Recorder recorder = new Recorder(4);
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).listener(recorder));
        Gate gate = this.testing.gate();
        Job<Void> blocker = scheduler.spawn(gate.task(), "a");
        gate.awaitReached();
        scheduler.spawn(() -> 1, "b");
        Job<Integer> dropped = scheduler.spawn(() -> 1, "c");
        dropped.close();
        scheduler.spawn(() -> {
            throw new IllegalStateException("x");
        }, "d");
        gate.open();
        Testing.await(recorder.finished);
        assertThat(recorder.events).containsSubsequence("spawned a", "started a", "finished a SUCCESS");
        assertThat(recorder.events).contains("finished b SUCCESS", "finished c CANCELLED",
                "finished d FAILURE");
        assertThat(recorder.events).doesNotContain("started c");
        assertThat(recorder.events).filteredOn(e -> e.startsWith("finished")).hasSize(4);
        assertThat(recorder.runNanos).contains(-1L);
        assertThat(recorder.runNanos).filteredOn(n -> n != -1L).allMatch(n -> n >= 0);
        assertThat(recorder.queuedNanos).allMatch(n -> n >= 0);
        assertThat(blocker.isClosed()).isTrue();
    }

    @Test
    void listenersHearCloseTimeoutsAndCancelledJobs() throws Exception {
        Recorder recorder = new Recorder(1);
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(20)).listener(recorder));
        Gate gate = this.testing.gate();
        scheduler.spawn(() -> {
            gate.passIgnoringInterrupts();
            return null;
        }, "stuck");
        Gate shielded = this.testing.gate();
        scheduler.shield(() -> {
            shielded.passIgnoringInterrupts();
            return null;
        });
        gate.awaitReached();
        shielded.awaitReached();
        scheduler.close();
        assertThat(recorder.events).contains("close timeout stuck", "close timeout shield");
        gate.open();
        Testing.await(recorder.finished);
        assertThat(recorder.events).contains("finished stuck CANCELLED");
    }

    @Test
    void aThrowingListenerChangesNothing() throws Exception {
        Recorder recorder = new Recorder(1);
        JobListener broken = new JobListener() {
            @Override
            public void onSpawned(Job<?> job) {
                throw new IllegalStateException("listener");
            }

            @Override
            public void onStarted(Job<?> job, long queuedNanos) {
                throw new IllegalStateException("listener");
            }

            @Override
            public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
                throw new IllegalStateException("listener");
            }
        };
        JobScheduler scheduler = this.testing.scheduler(b -> b.listener(broken).listener(recorder));
        assertThat(scheduler.spawn(() -> 5, "ok").await()).isEqualTo(5);
        Testing.await(recorder.finished);
        assertThat(recorder.events).contains("finished ok SUCCESS");
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void aPendingJobIsAnnouncedAsSpawnedBeforeItStartsEvenWhenPromotedAtOnce() throws Exception {
        // A pending job can be promoted by another thread as soon as it is queued, while its
        // spawner is still about to call onSpawned: listeners must still hear spawned first.
        Gate spawnedGate = this.testing.gate();
        CountDownLatch inOnSpawned = new CountDownLatch(1);
        Recorder recorder = new Recorder(2) {
            @Override
            public void onSpawned(Job<?> job) {
                if (job.getName().equals("b")) {
                    inOnSpawned.countDown();
                    spawnedGate.passIgnoringInterrupts();
                }
                super.onSpawned(job);
            }
        };
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).listener(recorder));
        Gate gate = this.testing.gate();
        java.util.concurrent.CompletableFuture<Thread> worker = new java.util.concurrent.CompletableFuture<>();
        Job<Void> a = scheduler.spawn(() -> {
            worker.complete(Thread.currentThread());
            gate.pass();
            return null;
        }, "a");
        gate.awaitReached();
        Testing.Forked<Job<Integer>> spawner = this.testing.fork(() -> scheduler.spawn(() -> 2, "b"));
        Testing.await(inOnSpawned);
        gate.open();
        a.await();
        // The worker goes on with b: it either runs it (too early) or waits for onSpawned.
        Thread thread = Testing.get(worker);
        Testing.eventually(() -> thread.getState() == Thread.State.BLOCKED
                || thread.getState() == Thread.State.WAITING
                || recorder.events.contains("started b"), "b started or waited");
        spawnedGate.open();
        assertThat(spawner.get().await()).isEqualTo(2);
        Testing.await(recorder.finished);
        assertThat(recorder.events).containsSubsequence("spawned b", "started b", "finished b SUCCESS");
    }

    @Test
    void queuedAndRunTimesCoverAtLeastTheTimeTheJobWaitedAndRan() throws Exception {
        Recorder recorder = new Recorder(2);
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).listener(recorder));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task(), "first");
        gate.awaitReached();
        scheduler.spawn(() -> 2, "second");
        long heldFrom = System.nanoTime();
        // Both lower bounds are measured inside the real intervals: after "first" started (and
        // "second" was queued) and before the gate that ends one and starts the other opens.
        long heldUntil = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
        while (System.nanoTime() < heldUntil) {
            Thread.onSpinWait();
        }
        long held = System.nanoTime() - heldFrom;
        gate.open();
        Testing.await(recorder.finished);
        assertThat(recorder.events).containsSubsequence("started first", "started second");
        assertThat(recorder.queuedNanos.get(1)).as("queued time of second").isGreaterThanOrEqualTo(held);
        assertThat(recorder.runNanos.get(0)).as("run time of first").isGreaterThanOrEqualTo(held);
    }
}
