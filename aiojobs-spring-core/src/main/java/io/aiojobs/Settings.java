package io.aiojobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/**
 * The immutable copy of a {@link JobScheduler.Builder}'s settings, checked when each was set.
 * Thread-safe (immutable; {@code listeners} is an unmodifiable copy).
 *
 * @param limit most jobs active at once; 0 = no limit
 * @param pendingLimit most jobs pending; 0 = unbounded
 * @param closeTimeout how long closing waits for interrupted work to end
 * @param waitTimeout the grace period of {@code waitAndClose()}
 * @param jobTimeout the run timeout of jobs spawned without one; zero = none
 * @param exceptionHandler the user's handler, or null for the logging default
 * @param name the scheduler's name, the prefix of its threads' names
 * @param executor the user's executor, or null
 * @param threadFactory the user's thread factory, or null
 * @param virtualThreads the user's choice of thread kind, or null for the default
 * @param captureSpawnSite whether each spawn records its stack
 * @param taskDecorator wraps each body at spawn, or null
 * @param listeners the job listeners, possibly none
 * @param paused whether the scheduler starts paused
 */
record Settings(int limit, int pendingLimit, Duration closeTimeout, Duration waitTimeout,
        Duration jobTimeout, JobScheduler.ExceptionHandler exceptionHandler, String name, Executor executor,
        ThreadFactory threadFactory, Boolean virtualThreads, boolean captureSpawnSite,
        UnaryOperator<Runnable> taskDecorator, List<JobListener> listeners, boolean paused) {

    Settings {
        listeners = List.copyOf(listeners);
    }
}
