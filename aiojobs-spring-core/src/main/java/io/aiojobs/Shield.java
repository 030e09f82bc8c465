package io.aiojobs;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Work that the caller cannot cancel: a task on its own thread, or a stage being tracked. Only
 * the scheduler's {@code close()} stops it. It stays in the scheduler until the work itself has
 * ended: for a task, until its body returns, not merely until its result is settled.
 */
final class Shield<T> {

    private final JobScheduler scheduler;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final CompletionStage<T> stage;
    private Callable<T> task;
    // Volatile for runsOn(), which the scheduler calls under its lock (never this monitor).
    private volatile Thread thread;
    private boolean cancelled;

    private Shield(JobScheduler scheduler, Callable<T> task, CompletionStage<T> stage) {
        this.scheduler = scheduler;
        this.task = task;
        this.stage = stage;
    }

    static <T> Shield<T> ofTask(JobScheduler scheduler, Callable<T> task) {
        return new Shield<>(scheduler, task, null);
    }

    static <T> Shield<T> ofStage(JobScheduler scheduler, CompletionStage<T> stage) {
        return new Shield<>(scheduler, null, stage);
    }

    /** A view for the caller: cancelling it leaves the work alone. */
    CompletableFuture<T> view() {
        CompletableFuture<T> view = new CompletableFuture<>();
        this.result.whenComplete((value, error) -> {
            if (error == null) {
                view.complete(value);
            } else if (error instanceof CancellationException) {
                view.cancel(false);
            } else {
                view.completeExceptionally(error);
            }
        });
        return view;
    }

    /** For a stage: follow it until it completes. May run {@link #ended} at once. */
    void track() {
        this.stage.whenComplete((value, error) -> {
            if (error == null) {
                this.result.complete(value);
            } else {
                this.result.completeExceptionally(error instanceof java.util.concurrent.CompletionException
                        && error.getCause() != null ? error.getCause() : error);
            }
            this.scheduler.shieldEnded(this);
        });
    }

    /** For a task: run it on the current thread. */
    void run() {
        synchronized (this) {
            if (this.cancelled) {
                this.result.cancel(false);
                this.task = null;
                this.scheduler.shieldEnded(this);
                return;
            }
            this.thread = Thread.currentThread();
        }
        T value = null;
        Throwable error = null;
        try {
            value = this.task.call();
        } catch (Throwable e) {
            error = e;
        }
        boolean wasCancelled;
        synchronized (this) {
            this.thread = null;
            this.task = null;
            wasCancelled = this.cancelled;
        }
        Thread.interrupted();
        if (error instanceof InterruptedException || (wasCancelled && error == null)) {
            this.result.cancel(false);
        } else if (error != null) {
            this.result.completeExceptionally(error);
        } else {
            this.result.complete(value);
        }
        this.scheduler.shieldEnded(this);
    }

    /** The executor refused the task: a failure, unless close() had cancelled it already. */
    void rejected(RuntimeException error) {
        boolean wasCancelled;
        synchronized (this) {
            this.task = null;
            wasCancelled = this.cancelled;
        }
        if (wasCancelled) {
            this.result.cancel(false);
        } else {
            this.result.completeExceptionally(error);
        }
        this.scheduler.shieldEnded(this);
    }

    boolean runsOn(Thread candidate) {
        return this.thread == candidate;
    }

    /** The scheduler is closing: interrupt the task, or cancel the stage. */
    void cancel() {
        if (this.stage != null) {
            try {
                this.stage.toCompletableFuture().cancel(true);
            } catch (UnsupportedOperationException notCancellable) {
                // Tracked until it completes or the close timeout gives up on it.
            }
            return;
        }
        synchronized (this) {
            this.cancelled = true;
            if (this.thread != null && this.thread != Thread.currentThread()) {
                this.thread.interrupt();
            }
        }
    }
}
