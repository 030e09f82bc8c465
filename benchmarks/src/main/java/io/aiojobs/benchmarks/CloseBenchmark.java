package io.aiojobs.benchmarks;

import io.aiojobs.JobScheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Closing a scheduler that holds {@code jobs} jobs (issue #6, benchmark 4). The cost must grow
 * linearly: compare the score at 10 000 with the one at 100 000.
 *
 * <ul>
 * <li>{@code close}: {@code limit} jobs run (blocked until interrupted), the rest are pending;
 * close() drops the pending ones, interrupts the running ones and waits for them.</li>
 * <li>{@code waitAndClose}: a paused scheduler holds every job pending; waitAndClose() resumes it,
 * waits for all of them to run through the limit, then closes.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CloseBenchmark {

    /** A scheduler full of jobs, rebuilt before every single-shot invocation. */
    @State(Scope.Thread)
    public static class Loaded {

        /** How many jobs the scheduler holds. */
        @Param({"10000", "100000"})
        public int jobs;

        /** How many jobs may run at once. */
        @Param({"100"})
        public int limit;

        /** {@code platform} or {@code virtual} (Java 21+) threads. */
        @Param({"platform"})
        public String threads;

        JobScheduler scheduler;
        private ThreadPoolExecutor pool;

        /**
         * On platform threads, every scheduler of the trial shares one pool of {@code limit}
         * threads (like the one a scheduler makes for itself), so that the single shots measure
         * closing, not starting 100 threads. Virtual threads are made per job anyway.
         */
        @Setup(Level.Trial)
        public void startPool() {
            if (!"virtual".equals(this.threads)) {
                this.pool = Contender.threadPool(this.limit);
                this.pool.prestartAllCoreThreads();
            }
        }

        @TearDown(Level.Trial)
        public void stopPool() {
            if (this.pool != null) {
                this.pool.shutdownNow();
            }
        }

        /** A long close timeout: on a loaded machine waking 100 threads may take a while. */
        JobScheduler.Builder builder() {
            JobScheduler.Builder builder = JobScheduler.builder().limit(this.limit).pendingLimit(0)
                    .closeTimeout(Duration.ofSeconds(10));
            return this.pool != null ? builder.executor(this.pool) : builder.virtualThreads(true);
        }

        @TearDown(Level.Invocation)
        public void closeLeftovers() {
            this.scheduler.close();
        }
    }

    /** {@code limit} jobs running until interrupted, {@code jobs - limit} pending behind them. */
    public static class Busy extends Loaded {

        @Setup(Level.Invocation)
        public void fill() throws InterruptedException {
            this.scheduler = builder().build();
            CountDownLatch started = new CountDownLatch(this.limit);
            CountDownLatch never = new CountDownLatch(1);
            for (int i = 0; i < this.limit; i++) {
                this.scheduler.spawn(() -> {
                    started.countDown();
                    never.await();
                    return null;
                });
            }
            Batches.await(started);
            Runnable task = () -> { };
            for (int i = this.limit; i < this.jobs; i++) {
                this.scheduler.spawn(task);
            }
        }
    }

    /** A paused scheduler with {@code jobs} trivial jobs pending. */
    public static class Paused extends Loaded {

        @Setup(Level.Invocation)
        public void fill() {
            this.scheduler = builder().paused(true).build();
            Runnable task = () -> { };
            for (int i = 0; i < this.jobs; i++) {
                this.scheduler.spawn(task);
            }
        }
    }

    /** Drops the pending jobs, interrupts the running ones and waits for them to end. */
    @Benchmark
    public void close(Busy state) {
        state.scheduler.close();
        check(state.scheduler);
    }

    /** Runs every pending job through the limit, then closes. */
    @Benchmark
    public void waitAndClose(Paused state) {
        state.scheduler.waitAndClose();
        check(state.scheduler);
    }

    private static void check(JobScheduler scheduler) {
        if (!scheduler.isEmpty()) {
            throw new IllegalStateException("Jobs left after closing: " + scheduler);
        }
    }
}
