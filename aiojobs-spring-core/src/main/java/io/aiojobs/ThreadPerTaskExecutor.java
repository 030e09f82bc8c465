package io.aiojobs;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * Starts a new thread for every task (Java 17 has no {@code Executors.newThreadPerTaskExecutor}):
 * what jobs run on with virtual threads. It tracks no thread: the scheduler tracks its jobs, and
 * waits for them itself. Thread-safe.
 */
final class ThreadPerTaskExecutor implements Executor {

    private final ThreadFactory factory;
    private volatile boolean shutdown;

    ThreadPerTaskExecutor(ThreadFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * @throws RejectedExecutionException after {@link #shutdown()}, or when the factory makes no
     *     thread
     */
    @Override
    public void execute(Runnable task) {
        if (this.shutdown) {
            throw new RejectedExecutionException("Executor has been shut down");
        }
        Thread thread = this.factory.newThread(task);
        if (thread == null) {
            throw new RejectedExecutionException("Thread factory returned no thread");
        }
        thread.start();
    }

    /** Refuses new tasks; threads already started run on. */
    void shutdown() {
        this.shutdown = true;
    }
}
