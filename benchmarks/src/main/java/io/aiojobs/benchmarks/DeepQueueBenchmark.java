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
 * A deep queue draining (issue #6, benchmark 3): {@code limit} gate tasks hold every slot while
 * {@code depth} trivial tasks queue up behind them, then the gate opens and all drain. Spring's
 * {@code SimpleAsyncTaskExecutor} is left out: its throttle blocks the submitter instead of
 * queueing, so it cannot hold a queue at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DeepQueueBenchmark {

    /** Which contender runs the jobs; see {@link Contender}. */
    @Param({Contender.SCHEDULER, Contender.THREAD_POOL, Contender.SPRING_POOL})
    public String kind;

    /** How many jobs may run at once. */
    @Param({"100"})
    public int limit;

    /** {@code platform} or {@code virtual} (Java 21+) threads. */
    @Param({"platform"})
    public String threads;

    /** Jobs queued behind the gate. */
    @Param({"100000"})
    public int depth;

    private Contender contender;

    @Setup(Level.Trial)
    public void start() {
        this.contender = Contender.create(this.kind, this.limit, "virtual".equals(this.threads));
    }

    @TearDown(Level.Trial)
    public void stop() {
        this.contender.close();
    }

    /** Fills the slots, queues {@code depth} tasks, opens the gate and waits for the lot. */
    @Benchmark
    public void drain() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(this.limit);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(this.limit + this.depth);
        Runnable blocker = () -> {
            started.countDown();
            try {
                Batches.await(gate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        };
        for (int i = 0; i < this.limit; i++) {
            this.contender.submit(blocker);
        }
        Batches.await(started);
        Runnable task = done::countDown;
        for (int i = 0; i < this.depth; i++) {
            this.contender.submit(task);
        }
        gate.countDown();
        Batches.await(done);
    }
}
