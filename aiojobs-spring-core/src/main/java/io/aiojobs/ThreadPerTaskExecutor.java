package io.aiojobs;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Starts a new thread for every task (Java 17 has no {@code Executors.newThreadPerTaskExecutor}).
 * It does not track its threads: the scheduler tracks its jobs, and waits for them itself.
 */
final class ThreadPerTaskExecutor extends AbstractExecutorService {

    private final ThreadFactory factory;
    private volatile boolean shutdown;

    ThreadPerTaskExecutor(ThreadFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

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

    @Override
    public void shutdown() {
        this.shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        this.shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return this.shutdown;
    }

    @Override
    public boolean isTerminated() {
        return this.shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return this.shutdown;
    }
}
