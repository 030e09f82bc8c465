package io.aiojobs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads jobs run on. The core is compiled for Java 17, so virtual threads (Java 21+) are
 * reached through method handles, looked up once per scheduler, never on the hot path.
 */
final class Threads {

    private static final int FEATURE = Runtime.version().feature();

    private Threads() {
    }

    /** Whether this JVM can run virtual threads (Java 21 or later). */
    static boolean virtualThreadsAvailable() {
        return FEATURE >= 21;
    }

    /** One new virtual thread per task, named {@code prefix-N}. */
    static ThreadFactory virtualThreadFactory(String prefix) {
        if (!virtualThreadsAvailable()) {
            throw new UnsupportedOperationException(
                    "Virtual threads need Java 21 or later; this is Java " + FEATURE);
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual",
                    MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
            MethodHandle name = lookup.findVirtual(builderType, "name",
                    MethodType.methodType(builderType, String.class, long.class));
            MethodHandle factory = lookup.findVirtual(builderType, "factory",
                    MethodType.methodType(ThreadFactory.class));
            Object builder = name.invoke(ofVirtual.invoke(), prefix + "-", 1L);
            return (ThreadFactory) factory.invoke(builder);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot create virtual threads", e);
        }
    }

    /** Daemon platform threads named {@code prefix-N}. */
    static ThreadFactory platformThreadFactory(String prefix) {
        AtomicLong counter = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * A pool that reuses idle threads and makes new ones as needed: the scheduler itself bounds
     * how many jobs run, so the pool needs no bound of its own. Idle threads end after a minute.
     */
    static ExecutorService cachedPool(ThreadFactory factory) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory);
    }

    /**
     * The pool of platform threads that jobs run on. At most {@code limit} jobs are active, so
     * {@code limit} threads suffice: a job dispatched while every thread is still busy winding
     * down a finished job (publishing its outcome) waits in the queue for the first to be free,
     * instead of being handed to a parked thread or a new one, which costs a wake-up per job
     * (what makes a cached pool several times slower than a fixed one for short jobs). Idle
     * threads end after a minute. With no limit, a cached pool.
     */
    static ExecutorService jobPool(int limit, ThreadFactory factory) {
        if (limit == 0) {
            return cachedPool(factory);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limit, limit, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Starts one new thread per task (for virtual threads, which are not pooled). */
    static ExecutorService threadPerTask(ThreadFactory factory) {
        return new ThreadPerTaskExecutor(factory);
    }
}
