package io.aiojobs;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Work that the caller cannot cancel: a task on a thread of its own, or a stage being tracked.
 * Only the scheduler's {@code close()} stops it. It stays in the scheduler until the work itself
 * has ended: for a task, until its body returns, not merely until its result is settled.
 *
 * <p>Thread-safe. {@code thread} and {@code cancelled} are guarded by this object's monitor
 * (held for a few instructions, never while the task runs); {@code result} is a
 * {@code CompletableFuture}, safe on its own.
 */
final class Shield<T> implements Runnable {

    private final JobScheduler scheduler;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final CompletionStage<T> stage;
    private Callable<T> task;
    private Thread thread;
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

    /** For a stage: follow it until it completes. May end the shield at once. */
    void track() {
        this.stage.whenComplete((value, error) -> {
            if (error == null) {
                this.result.complete(value);
            } else {
                this.result.completeExceptionally(Outcomes.unwrap(error));
            }
            this.scheduler.admission().removeShield(this);
        });
    }

    /** For a task: run it on the current thread, marked as this shield's (Worker.shield). */
    @Override
    public void run() {
        synchronized (this) {
            if (this.cancelled) {
                end(null, null, true);
                return;
            }
            this.thread = Thread.currentThread();
        }
        Worker marker = Worker.of(this.scheduler);
        Shield<?> outer = marker.shield;
        marker.shield = this;
        T value = null;
        Throwable error = null;
        try {
            value = this.task.call();
        } catch (Throwable e) {
            error = e;
        } finally {
            marker.shield = outer;
            marker.release();
        }
        boolean wasCancelled;
        synchronized (this) {
            this.thread = null;
            wasCancelled = this.cancelled;
        }
        Thread.interrupted(); // nobody interrupts on this shield's behalf once thread is cleared
        end(value, error, wasCancelled);
    }

    /** The executor refused the task: a failure, unless close() had cancelled it already. */
    void rejected(Throwable error) {
        boolean wasCancelled;
        synchronized (this) {
            wasCancelled = this.cancelled;
        }
        end(null, wasCancelled ? null : error, wasCancelled);
    }

    private void end(T value, Throwable error, boolean stopRequested) {
        this.task = null;
        switch (Outcomes.of(error, stopRequested ? JobListener.Outcome.CANCELLED : null)) {
            case SUCCESS -> this.result.complete(value);
            case FAILURE -> this.result.completeExceptionally(error);
            default -> this.result.cancel(false);
        }
        this.scheduler.admission().removeShield(this);
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
