package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

    @Test
    void isNeverAheadOfTheRealClock() {
        for (int i = 0; i < 100_000; i++) {
            long coarse = CoarseClock.nanoTime();
            assertThat(coarse).isLessThanOrEqualTo(System.nanoTime());
        }
    }

    @Test
    void catchesUpWithTheRealClock() {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(10);
        long coarse;
        // Busy reading on purpose: readers are what keeps the clock ticking.
        do {
            coarse = CoarseClock.nanoTime();
        } while (coarse < start && System.nanoTime() < deadline);
        assertThat(coarse).isGreaterThanOrEqualTo(start);
    }

    @Test
    void aJobWithoutListenersIsStampedByItAndNeverHasANegativeAge() throws Exception {
        try (JobScheduler scheduler = JobScheduler.builder().build()) {
            long before = CoarseClock.nanoTime();
            Job<String> job = scheduler.spawn(() -> "done");
            assertThat(job.spawnNanos).isGreaterThanOrEqualTo(before)
                    .isLessThanOrEqualTo(System.nanoTime());
            assertThat(job.await()).isEqualTo("done");
            assertThat(job.age().isNegative()).isFalse();
        }
    }
}
