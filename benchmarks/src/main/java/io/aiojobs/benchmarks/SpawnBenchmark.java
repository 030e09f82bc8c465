package io.aiojobs.benchmarks;

import java.util.concurrent.CountDownLatch;
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
 * Spawn, run and finish a batch of trivial jobs, waiting for all of them: the scheduler's hot path
 * against baseline executors with the same concurrency limit (issue #6, benchmarks 1 and 2).
 *
 * <p>Run with several JMH threads ({@code -t 1,2,8}) it measures spawners contending for one
 * scheduler: each thread submits its own batch and waits for it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpawnBenchmark {

    /** Which contender runs the jobs; see {@link Contender}. */
    @Param({Contender.SCHEDULER, Contender.THREAD_POOL, Contender.SPRING_POOL, Contender.SPRING_SIMPLE})
    public String kind;

    /** How many jobs may run at once; 0 for no limit. */
    @Param({"1", "10", "16", "100", "0"})
    public int limit;

    /** {@code platform} or {@code virtual} (Java 21+) threads. */
    @Param({"platform"})
    public String threads;

    /** Jobs per operation; 1 for a round trip (submit one job, wait for it). */
    @Param({"1000"})
    public int batch;

    private Contender contender;

    @Setup(Level.Trial)
    public void start() {
        this.contender = Contender.create(this.kind, this.limit, "virtual".equals(this.threads));
    }

    @TearDown(Level.Trial)
    public void stop() {
        this.contender.close();
    }

    /** Submits {@code batch} trivial tasks and waits until every one has run. */
    @Benchmark
    public void batch() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(this.batch);
        Runnable task = done::countDown;
        for (int i = 0; i < this.batch; i++) {
            this.contender.submit(task);
        }
        Batches.await(done);
    }
}
