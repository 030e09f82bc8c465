package io.aiojobs.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Bounded waits: a benchmark that loses a task fails instead of hanging the run. */
final class Batches {

    private Batches() {
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Tasks did not all run within 60 s: "
                    + latch.getCount() + " left");
        }
    }
}
