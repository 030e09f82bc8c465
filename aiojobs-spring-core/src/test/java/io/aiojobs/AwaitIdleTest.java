package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.aiojobs.Testing.Gate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JobScheduler#awaitIdle(Duration)}: the wait of waitAndClose, without the close. */
class AwaitIdleTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void returnsTrueOnceEveryJobHasEndedAndLeavesTheSchedulerOpen() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        Job<String> queued = scheduler.spawn(() -> "queued");
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(
                () -> scheduler.awaitIdle(Duration.ofSeconds(Testing.WAIT_SECONDS)));

        gate.open();

        assertThat(Testing.get(idle)).isTrue();
        assertThat(queued.await()).isEqualTo("queued");
        assertThat(scheduler).isEmpty();
        assertThat(scheduler.isClosed()).isFalse();
        assertThat(scheduler.spawn(() -> 1).await()).isEqualTo(1);
    }

    @Test
    void returnsFalseWhenTheTimeRunsOutAndTouchesNoJob() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> running = scheduler.spawn(gate.task());
        gate.awaitReached();

        assertThat(scheduler.awaitIdle(Duration.ZERO)).isFalse();

        assertThat(running.isActive()).isTrue();
        assertThat(scheduler.isClosed()).isFalse();
    }

    @Test
    void resumesAPausedScheduler() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.paused(true));
        Job<String> held = scheduler.spawn(() -> "held");

        assertThat(scheduler.awaitIdle(Duration.ofSeconds(Testing.WAIT_SECONDS))).isTrue();

        assertThat(held.await()).isEqualTo("held");
        assertThat(scheduler.isPaused()).isFalse();
    }

    @Test
    void rejectsANegativeTimeout() {
        JobScheduler scheduler = this.testing.scheduler();

        assertThatIllegalArgumentException().isThrownBy(() -> scheduler.awaitIdle(Duration.ofMillis(-1)))
                .withMessageContaining("timeout");
    }
}
