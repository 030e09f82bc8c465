package io.aiojobs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads jobs run on, chosen once per scheduler from its settings. The core is compiled for
 * Java 17, so virtual threads (Java 21+) are reached through method handles, looked up once per
 * scheduler, never on the hot path. Stateless.
 */
final class Threads {

    private static final int FEATURE = Runtime.version().feature();

    /**
     * Where a scheduler's work runs: {@code jobs} for jobs; {@code spare}, which always has a
     * thread free, for shielded work and for jobs that must not queue behind the thread that
     * dispatches them; {@code pooled} when {@code jobs} is a pool of {@code limit} threads (then
     * a callback on one of them must not wait for a job queued behind it); {@code shutdown}
     * for what the scheduler made itself.
     */
    record Choice(Executor jobs, Executor spare, boolean pooled, Runnable shutdown) {
    }

    private Threads() {
    }

    static Choice choose(Settings settings) {
        if (settings.executor() != null) {
            return new Choice(settings.executor(), settings.executor(), false, () -> { });
        }
        boolean virtual = settings.threadFactory() == null && (settings.virtualThreads() != null
                ? settings.virtualThreads() : virtualThreadsAvailable());
        if (virtual) {
            ThreadPerTaskExecutor perTask = new ThreadPerTaskExecutor(virtualThreadFactory(settings.name()));
            return new Choice(perTask, perTask, false, perTask::shutdown);
        }
        ThreadFactory factory = checked(settings.threadFactory() != null
                ? settings.threadFactory() : platformThreadFactory(settings.name()));
        ThreadPoolExecutor jobs = jobPool(settings.limit(), factory);
        ThreadPoolExecutor spare = cachedPool(factory);
        return new Choice(jobs, spare, settings.limit() > 0, () -> {
            jobs.shutdown();
            spare.shutdown();
        });
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
     * A factory that returns null (the ThreadFactory contract allows it) would leave a pool's
     * task in its queue with no thread to run it: refuse the task instead, so the job fails.
     */
    private static ThreadFactory checked(ThreadFactory factory) {
        return task -> {
            Thread thread = factory.newThread(task);
            if (thread == null) {
                throw new RejectedExecutionException("Thread factory " + factory + " returned no thread");
            }
            return thread;
        };
    }

    /** Reuses idle threads, makes new ones as needed; idle threads end after a minute. */
    private static ThreadPoolExecutor cachedPool(ThreadFactory factory) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory);
    }

    /**
     * The pool of platform threads that jobs run on. At most {@code limit} jobs are active, so
     * {@code limit} threads suffice: a job dispatched while every thread is still busy telling
     * of a finished job waits in the queue for the first to be free, instead of being handed to
     * a parked thread or a new one, which costs a wake-up per job (what makes a cached pool
     * several times slower than a fixed one for short jobs). Idle threads end after a minute.
     * With no limit, a cached pool.
     */
    private static ThreadPoolExecutor jobPool(int limit, ThreadFactory factory) {
        if (limit == 0) {
            return cachedPool(factory);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limit, limit, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
