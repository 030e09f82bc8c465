package io.aiojobs.benchmarks;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bytes retained per job (issue #6, benchmark 5), measured as heap used after full GCs: with
 * {@code N} jobs held by a paused scheduler, against a baseline of the same {@code N} task objects
 * held by this program alone. Finished jobs must retain nothing once they left the scheduler.
 * Run with {@code -XX:+UseSerialGC} so that {@code System.gc()} compacts the whole heap.
 *
 * <p>Prints {@code key=value} lines that {@link BenchMain} turns into its table.
 */
public final class MemoryFootprint {

    private MemoryFootprint() {
    }

    /** A task of its own per job, so that the baseline holds N distinct objects too. */
    static final class Task implements Runnable {
        final int index;
        final CountDownLatch done;

        Task(int index, CountDownLatch done) {
            this.index = index;
            this.done = done;
        }

        @Override
        public void run() {
            this.done.countDown();
        }
    }

    /**
     * Measures and prints the footprint.
     *
     * @param args optionally the number of jobs, by default 100000
     * @throws Exception if a measurement cannot complete
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean virtual = Runtime.version().feature() >= 21;
        warmUp(virtual);
        CountDownLatch done = new CountDownLatch(n);
        Task[] tasks = new Task[n];
        for (int i = 0; i < n; i++) {
            tasks[i] = new Task(i, done);
        }
        long baseline = usedAfterGc();

        JobScheduler scheduler = JobScheduler.builder().limit(100).pendingLimit(0)
                .virtualThreads(virtual).paused(true).build();
        List<WeakReference<Job<?>>> spawned = new ArrayList<>(n);
        for (Task task : tasks) {
            spawned.add(new WeakReference<>(scheduler.spawn(task)));
        }
        long pending = usedAfterGc() - weakReferenceBytes(n);
        print("memory.pendingBytesPerJob", (pending - baseline) / (double) n);

        scheduler.resume();
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Jobs did not finish");
        }
        awaitEmpty(scheduler);
        long finished = usedAfterGc() - weakReferenceBytes(n);
        print("memory.finishedBytesPerJob", (finished - baseline) / (double) n);
        System.out.println("memory.finishedJobsStillReachable="
                + spawned.stream().filter(job -> job.get() != null).count());
        spawned = null;

        scheduler.close();
        Thread.sleep(100); // the pool's threads end after close
        print("memory.closedBytesPerJob", (usedAfterGc() - baseline) / (double) n);

        print("memory.threadPoolQueueBytesPerTask", threadPoolQueue(tasks, baseline));
    }

    /** Loads and initialises everything a job touches, so that the baseline already holds it. */
    private static void warmUp(boolean virtual) throws InterruptedException {
        JobScheduler scheduler = JobScheduler.builder().limit(100).pendingLimit(0)
                .virtualThreads(virtual).paused(true).build();
        CountDownLatch done = new CountDownLatch(20_000);
        for (int i = 0; i < 20_000; i++) {
            scheduler.spawn(new Task(i, done));
        }
        scheduler.resume();
        Batches.await(done);
        awaitEmpty(scheduler);
        scheduler.close();
    }

    /** A ThreadPoolExecutor with its one thread held, queueing the same tasks: for scale. */
    private static double threadPoolQueue(Task[] tasks, long baseline) throws InterruptedException {
        ThreadPoolExecutor pool = Contender.threadPool(1);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Batches.await(started);
        long before = usedAfterGc();
        for (Task task : tasks) {
            pool.execute(task);
        }
        long queued = usedAfterGc();
        gate.countDown();
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        return (queued - before) / (double) tasks.length;
    }

    /** The list of weak references kept to check that finished jobs are collected. */
    private static long weakReferenceBytes(int n) {
        return n * (32L + 4) + 16;
    }

    /** Waits (bounded) for the last jobs to leave the scheduler after their tasks counted down. */
    private static void awaitEmpty(JobScheduler scheduler) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!scheduler.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Jobs did not leave: " + scheduler);
            }
            Thread.sleep(1);
        }
    }

    static long usedAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    private static void print(String key, double value) {
        System.out.printf("%s=%.1f%n", key, value);
    }
}
