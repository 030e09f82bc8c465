package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The slots on one thread: the limit, hand-over, a late end that frees nothing twice. */
class ActiveSetTest {

    private final JobScheduler scheduler = new JobScheduler();

    @AfterEach
    void close() {
        this.scheduler.close();
    }

    @Test
    void slotsRunOutAtTheLimitAndFreeWhenAJobLeaves() {
        ActiveSet slots = new ActiveSet(2);
        Job<?> a = job();
        Job<?> b = job();
        slots.add(a);
        assertThat(slots.hasFreeSlot()).isTrue();
        slots.add(b);
        assertThat(slots.hasFreeSlot()).isFalse();
        assertThat(slots.remove(a)).isTrue();
        assertThat(slots.hasFreeSlot()).isTrue();
        assertThat(slots.size()).isEqualTo(1);
        assertThat(slots.contains(a)).isFalse();
        assertThat(slots.contains(b)).isTrue();
    }

    @Test
    void aJobThatLeftAlreadyFreesNothingWhenItEndsLate() {
        ActiveSet slots = new ActiveSet(1);
        Job<?> stuck = job();
        slots.add(stuck);
        assertThat(slots.remove(stuck)).as("given up on by close()").isTrue();
        assertThat(slots.remove(stuck)).as("its late end").isFalse();
        assertThat(slots.size()).isZero();
    }

    @Test
    void aHandOverPassesTheSlotWithoutChangingTheCount() {
        ActiveSet slots = new ActiveSet(1);
        Job<?> ended = job();
        Job<?> next = job();
        Job<?> other = job();
        slots.add(ended);
        assertThat(slots.handOver(ended, next)).isTrue();
        assertThat(slots.size()).isEqualTo(1);
        assertThat(slots.handOver(ended, other)).as("ended holds no slot any more").isFalse();
        List<Job<?>> held = new ArrayList<>();
        slots.copyTo(held);
        assertThat(held).containsExactly(next);
    }

    @Test
    void noLimitMeansAFreeSlotAlways() {
        ActiveSet slots = new ActiveSet(0);
        for (int i = 0; i < 1000; i++) {
            slots.add(job());
        }
        assertThat(slots.hasFreeSlot()).isTrue();
        assertThat(slots.size()).isEqualTo(1000);
    }

    private Job<?> job() {
        return new Job<>(this.scheduler, () -> null, null, null, List.of(), false);
    }
}
