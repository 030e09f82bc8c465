package io.aiojobs;

import static io.aiojobs.Testing.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SpawnOptions: an immutable value whose withers check what they are given. */
class SpawnOptionsTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void withersReturnNewValuesAndLeaveTheOldOnesAlone() {
        SpawnOptions defaults = SpawnOptions.defaults();
        SpawnOptions named = defaults.name("report");
        SpawnOptions timed = named.timeout(Duration.ofSeconds(25)).queueTimeout(millis(1500));
        assertThat(defaults.name()).isNull();
        assertThat(defaults.timeout()).isNull();
        assertThat(defaults.queueTimeout()).isNull();
        assertThat(named.name()).isEqualTo("report");
        assertThat(named.timeout()).isNull();
        assertThat(timed.timeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(timed.queueTimeout()).isEqualTo(millis(1500));
        assertThat(timed).isEqualTo(SpawnOptions.defaults().queueTimeout(millis(1500)).name("report")
                .timeout(Duration.ofSeconds(25))).hasSameHashCodeAs(timed);
        assertThat(timed.toString()).isEqualTo("SpawnOptions[name=report, timeout=25s, queueTimeout=1.5s]");
        assertThat(defaults.toString()).isEqualTo("SpawnOptions[]");
    }

    @Test
    void nullOrNegativeOptionsAreRefusedNamingTheOption() {
        SpawnOptions options = SpawnOptions.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> options.name(null)).withMessageContaining("name");
        assertThatIllegalArgumentException().isThrownBy(() -> options.timeout(null))
                .withMessage("timeout must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> options.timeout(millis(-1)))
                .withMessage("timeout must be >= 0 but was -1ms");
        assertThatIllegalArgumentException().isThrownBy(() -> options.queueTimeout(null))
                .withMessage("queueTimeout must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> options.queueTimeout(Duration.ofSeconds(-2)))
                .withMessage("queueTimeout must be >= 0 but was -2s");
    }

    @Test
    void spawnWithOptionsNamesTheJobAndAZeroQueueTimeoutDoesNotWait() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1).pendingLimit(1));
        Testing.Gate gate = this.testing.gate();
        Job<Void> running = scheduler.spawn(gate.task(), SpawnOptions.defaults().name("first"));
        assertThat(running.getName()).isEqualTo("first");
        Job<Void> queued = scheduler.spawn(() -> { }, SpawnOptions.defaults().name("second"));
        assertThat(queued.getName()).isEqualTo("second");
        assertThatThrownBy(() -> scheduler.spawn(() -> 3, SpawnOptions.defaults().queueTimeout(Duration.ZERO)))
                .isInstanceOf(QueueFullException.class).hasMessageContaining("stayed full for 0s");
        assertThat(scheduler.size()).as("the refused job was never spawned").isEqualTo(2);
        gate.open();
        queued.await();
    }

    @Test
    void spawnRefusesNullTaskOrOptions() {
        JobScheduler scheduler = this.testing.scheduler();
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Callable<?>) null, SpawnOptions.defaults()));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Runnable) null, SpawnOptions.defaults()));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn(() -> 1, (SpawnOptions) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn(() -> { }, (SpawnOptions) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawnAsync(null));
        assertThatNullPointerException()
                .isThrownBy(() -> scheduler.spawnAsync(() -> null, (SpawnOptions) null));
        assertThat(scheduler).isEmpty();
    }

    @Test
    void theBuilderRefusesANegativeJobTimeout() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JobScheduler.builder().jobTimeout(millis(-5)))
                .withMessage("jobTimeout must be >= 0 but was -5ms");
        assertThatNullPointerException().isThrownBy(() -> JobScheduler.builder().jobTimeout(null));
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofNanos(300_000))).isEqualTo("<1ms");
        assertThat(Durations.format(millis(100))).isEqualTo("100ms");
        assertThat(Durations.format(millis(999))).isEqualTo("999ms");
        assertThat(Durations.format(millis(1000))).isEqualTo("1s");
        assertThat(Durations.format(millis(1200))).isEqualTo("1.2s");
        assertThat(Durations.format(millis(1500))).isEqualTo("1.5s");
        assertThat(Durations.format(millis(1234))).isEqualTo("1.234s");
        assertThat(Durations.format(Duration.ofSeconds(25))).isEqualTo("25s");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.format(Duration.ofMinutes(65))).isEqualTo("1h5m");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(millis(-100))).isEqualTo("-100ms");
        assertThat(Durations.format(Duration.ofSeconds(Long.MAX_VALUE))).endsWith("h");
    }
}
