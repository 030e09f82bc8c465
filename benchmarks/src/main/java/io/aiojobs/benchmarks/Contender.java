package io.aiojobs.benchmarks;

import io.aiojobs.JobScheduler;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * One way of running tasks with at most {@code limit} at once (0 = no limit): the scheduler, or a
 * baseline executor set up to match it. Every contender is fed the same trivial tasks, so their
 * timings compare the machinery alone.
 */
abstract class Contender implements AutoCloseable {

    /** The scheduler under test; on platform threads, or virtual threads when {@code virtual}. */
    static final String SCHEDULER = "scheduler";
    /** A raw {@link ThreadPoolExecutor}: {@code limit} threads and an unbounded queue. */
    static final String THREAD_POOL = "threadPool";
    /** Spring's {@link ThreadPoolTaskExecutor}, {@code limit} core and max threads. */
    static final String SPRING_POOL = "springPool";
    /** Spring's {@link SimpleAsyncTaskExecutor} with a concurrency limit of {@code limit}. */
    static final String SPRING_SIMPLE = "springSimple";
    /** A virtual-thread-per-task executor, each task gated by a {@code Semaphore(limit)}. */
    static final String VIRTUAL_SEMAPHORE = "virtualSemaphore";

    /** Runs the task, now or once a place frees; may block the caller (Spring's throttle does). */
    abstract void submit(Runnable task);

    @Override
    public abstract void close();

    static Contender create(String kind, int limit, boolean virtual) {
        return switch (kind) {
            case SCHEDULER -> scheduler(JobScheduler.builder().limit(limit).pendingLimit(0)
                    .virtualThreads(virtual).build());
            case THREAD_POOL -> executor(threadPool(limit));
            case SPRING_POOL -> springPool(limit, virtual);
            case SPRING_SIMPLE -> springSimple(limit, virtual);
            case VIRTUAL_SEMAPHORE -> virtualSemaphore(limit);
            default -> throw new IllegalArgumentException("Unknown contender: " + kind);
        };
    }

    static Contender scheduler(JobScheduler scheduler) {
        return new Contender() {
            @Override
            void submit(Runnable task) {
                scheduler.spawn(task);
            }

            @Override
            public void close() {
                scheduler.close();
            }
        };
    }

    /** limit threads, unbounded FIFO queue; with no limit, a cached pool (as the scheduler's). */
    static ThreadPoolExecutor threadPool(int limit) {
        AtomicLong counter = new AtomicLong();
        return limit > 0
                ? new ThreadPoolExecutor(limit, limit, 60, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), task -> daemon(task, counter))
                : new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                        new SynchronousQueue<>(), task -> daemon(task, counter));
    }

    private static Thread daemon(Runnable task, AtomicLong counter) {
        Thread thread = new Thread(task, "pool-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    private static Contender executor(ExecutorService executor) {
        return new Contender() {
            @Override
            void submit(Runnable task) {
                executor.execute(task);
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }

    private static Contender springPool(int limit, boolean virtual) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        if (limit > 0) {
            executor.setCorePoolSize(limit);
            executor.setMaxPoolSize(limit);
        } else {
            executor.setCorePoolSize(0);
            executor.setQueueCapacity(0);
        }
        executor.setDaemon(true);
        executor.setVirtualThreads(virtual);
        executor.initialize();
        return new Contender() {
            @Override
            void submit(Runnable task) {
                executor.execute(task);
            }

            @Override
            public void close() {
                executor.shutdown();
            }
        };
    }

    private static Contender springSimple(int limit, boolean virtual) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("simple-");
        executor.setDaemon(true);
        executor.setVirtualThreads(virtual);
        executor.setConcurrencyLimit(limit > 0 ? limit : SimpleAsyncTaskExecutor.UNBOUNDED_CONCURRENCY);
        return new Contender() {
            @Override
            void submit(Runnable task) {
                executor.execute(task);
            }

            @Override
            public void close() {
                executor.close();
            }
        };
    }

    private static Contender virtualSemaphore(int limit) {
        ExecutorService executor = newVirtualThreadPerTaskExecutor();
        if (limit == 0) {
            return executor(executor);
        }
        Semaphore permits = new Semaphore(limit);
        return new Contender() {
            @Override
            void submit(Runnable task) {
                executor.execute(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        task.run();
                    } finally {
                        permits.release();
                    }
                });
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }

    /** Executors.newVirtualThreadPerTaskExecutor(), reached reflectively: we compile for 17. */
    static ExecutorService newVirtualThreadPerTaskExecutor() {
        try {
            Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) factory.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("Virtual threads need Java 21 or later", e);
        }
    }

    /** The contenders compared on one kind of thread: the scheduler first, then its baselines. */
    static String[] kinds(boolean virtual) {
        return virtual
                ? new String[] {SCHEDULER, VIRTUAL_SEMAPHORE, SPRING_POOL, SPRING_SIMPLE}
                : new String[] {SCHEDULER, THREAD_POOL, SPRING_POOL, SPRING_SIMPLE};
    }
}
