package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Spawners blocked on a full pending queue pass a free place on to each other. */
class BlockedSpawnersTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void aWokenSpawnerThatGetsASlotWakesTheNextBlockedSpawner() throws Exception {
        // Two spawners wait on a full queue. The pending job is closed (a place frees: the
        // first spawner is signalled) and, before that spawner wakes, the active job ends: the
        // first spawner then gets a slot at once, without queueing. The second must still be
        // told that the queue has room, or it blocks forever on an empty queue.
        for (int i = 0; i < 20; i++) {
            JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
            Gate gate = this.testing.gate();
            CompletableFuture<Job<?>> queued = new CompletableFuture<>();
            scheduler.spawn(() -> {
                gate.pass();
                Testing.get(queued).close();
                return null;
            });
            gate.awaitReached();
            queued.complete(scheduler.spawn(() -> { }));
            Forked<Job<Integer>> first = this.testing.fork(() -> scheduler.spawn(() -> 1));
            awaitBlocked(first.thread());
            Forked<Job<Integer>> second = this.testing.fork(() -> scheduler.spawn(() -> 2));
            awaitBlocked(second.thread());
            gate.open();
            assertThat(first.get().await()).isEqualTo(1);
            assertThat(second.result().get(Testing.WAIT_SECONDS, TimeUnit.SECONDS).await())
                    .as("iteration %d: second spawner got its place", i).isEqualTo(2);
            scheduler.close();
        }
    }
}
