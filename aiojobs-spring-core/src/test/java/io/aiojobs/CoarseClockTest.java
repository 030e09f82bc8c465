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
    void itsThreadEndsOnceNobodyReadsItAndReadersCloseTogetherStartItAgain() {
        CoarseClock.nanoTime();
        CoarseClock.nanoTime();
        assertThat(clockThreadAlive()).isTrue();
        // No test runs alongside this one, so nothing else reads the clock now.
        Testing.eventually(() -> !clockThreadAlive(), "the clock's thread ends when idle");
        long before = System.nanoTime();
        assertThat(CoarseClock.nanoTime()).as("a read of the stopped clock is exact")
                .isGreaterThanOrEqualTo(before);
        CoarseClock.nanoTime();
        assertThat(clockThreadAlive()).as("two reads in a row start it").isTrue();
    }

    private static boolean clockThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("io.aiojobs.CoarseClock") && thread.isAlive());
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
