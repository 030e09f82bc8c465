package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static io.aiojobs.Testing.eventually;
import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ledger of a shutdown: every job that ended while it lasted, by outcome, and what was left. */
class CloseReportTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void waitAndCloseCountsEveryOutcomeAndNamesWhatItGaveUpOn() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(100)));
        Gate finish = this.testing.gate();
        Gate afterTimeout = this.testing.gate();
        Gate never = this.testing.gate();
        Gate stuckGate = this.testing.gate();
        Gate interruptible = this.testing.gate();
        Job<Void> completes = scheduler.spawn(finish.task(), "completes");
        Job<Void> fails = scheduler.spawn(() -> {
            finish.pass();
            throw new IllegalStateException("fails");
        }, "fails");
        Job<Void> timed = scheduler.spawn(() -> {
            try {
                never.pass();
            } catch (InterruptedException timedOut) {
                afterTimeout.passIgnoringInterrupts();
            }
            return null;
        }, SpawnOptions.defaults().name("times-out").timeout(millis(10)));
        scheduler.spawn(() -> {
            stuckGate.passIgnoringInterrupts();
            return null;
        }, "stuck");
        Job<Void> cancelled = scheduler.spawn(interruptible.task(), "cancelled");
        assertThat(scheduler.closeReport()).isEmpty();
        eventually(timed::isClosed, "the timed job timed out");
        stuckGate.awaitReached();

        Forked<Void> closer = this.testing.fork(() -> {
            scheduler.waitAndClose(Duration.ofMinutes(1));
            return null;
        });
        awaitBlocked(closer.thread());
        finish.open();
        afterTimeout.open();
        interruptible.awaitReached();
        cancelled.close();
        for (Job<?> ended : java.util.List.of(completes, fails, timed)) {
            Testing.get(ended.future().handle((value, error) -> null));
        }
        // The grace period ends now: close at once, giving up on what still runs without waiting.
        closer.thread().interrupt();
        closer.get();

        CloseReport report = scheduler.closeReport().orElseThrow();
        assertThat(report.completed()).isOne();
        assertThat(report.failed()).isOne();
        assertThat(report.timedOut()).isOne();
        assertThat(report.cancelled()).isOne();
        assertThat(report.stillRunning()).containsExactly("stuck");
        assertThat(report.took()).isPositive();
        assertThat(report.clean()).isFalse();
        assertThat(report.toString()).startsWith("took=").contains(
                "completed=1, failed=1, cancelled=1, timedOut=1, stillRunning=[stuck]");
    }

    @Test
    void closeCountsTheJobsItInterruptsAndThePendingOnesItDropsAsCancelled() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        scheduler.spawn(() -> 1);
        scheduler.spawn(() -> 2);
        gate.awaitReached();
        scheduler.close();
        CloseReport report = scheduler.closeReport().orElseThrow();
        assertThat(report.cancelled()).isEqualTo(3);
        assertThat(report.completed() + report.failed() + report.timedOut()).isZero();
        assertThat(report.stillRunning()).isEmpty();
    }

    @Test
    void closeAloneReportsToo_andALaterCloseLeavesTheReportAsItIs() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        assertThat(scheduler.spawn(() -> 1).await()).isOne();
        scheduler.close();
        CloseReport report = scheduler.closeReport().orElseThrow();
        assertThat(report).isEqualTo(new CloseReport(report.took(), 0, 0, 0, 0, java.util.List.of()));
        assertThat(report.clean()).isTrue();
        scheduler.close();
        scheduler.waitAndClose();
        assertThat(scheduler.closeReport()).containsSame(report);
    }

    @Test
    void shieldedWorkStillRunningIsNamedShield() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.closeTimeout(millis(20)));
        Gate gate = this.testing.gate();
        CompletableFuture<Void> shielded = scheduler.shield(() -> {
            gate.passIgnoringInterrupts();
            return null;
        });
        gate.awaitReached();
        scheduler.close();
        assertThat(scheduler.closeReport().orElseThrow().stillRunning()).containsExactly("shield");
        gate.open();
        Testing.get(shielded.exceptionally(e -> null));
    }

    @Test
    void aCleanWaitAndCloseIsCleanAndTookItsTime() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        scheduler.spawn(gate.task());
        scheduler.spawn(gate.task());
        gate.awaitReached();
        Forked<Void> closer = this.testing.fork(() -> {
            scheduler.waitAndClose();
            return null;
        });
        awaitBlocked(closer.thread());
        gate.open();
        closer.get();
        CloseReport report = scheduler.closeReport().orElseThrow();
        assertThat(report.completed()).isEqualTo(2);
        assertThat(report.clean()).isTrue();
    }
}
