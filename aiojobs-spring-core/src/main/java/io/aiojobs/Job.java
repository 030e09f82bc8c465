package io.aiojobs;

// Over 400 lines, and it cannot be split further: most of it is the public API's documentation;
// the job's life (states and transitions) is in JobState, and the end of a job is told by Ending.

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A unit of work spawned on a {@link JobScheduler}: a task that runs once, on its own thread,
 * when the scheduler has a free slot.
 *
 * <p>A job is <em>pending</em> while it waits in the scheduler's queue, <em>active</em> once it
 * has a slot, and <em>closed</em> once it has finished or been closed; a pending job may be
 * closed without ever running. Exactly one of {@link #isPending()}, {@link #isActive()} and
 * {@link #isClosed()} is true at any time.
 *
 * <p>Wait for the outcome with {@link #await()}, cancel with {@link #close()}, or watch it through
 * {@link #future()}. A job that fails while nobody awaits or closes it is reported to the
 * scheduler's exception handler exactly once, so errors never vanish.
 *
 * <p>This class is thread-safe: any thread may await, close or inspect a job.
 *
 * @param <T> the type of the task's result
 */
public final class Job<T> extends JobState {

    // Set at spawn, on the spawning thread, before the job is admitted; read by any thread.
    final JobScheduler scheduler;
    private final List<StackTraceElement> spawnSite;
    final long spawnNanos;
    /** The body: the task, then (if the scheduler has a decorator) its decorated run. Dropped once DONE. */
    private Callable<T> task;
    private Runnable runnable;
    private Runnable decorated;
    /**
     * Only with listeners: the spawning thread until its onSpawned has returned, then null;
     * other events of the job wait for that (awaitAnnounced). Written by the spawner; read by
     * any thread. {@code announceWaiter} is the last thread that waits for it, to be unparked.
     */
    private volatile Thread announcer;
    private volatile Thread announceWaiter;

    /** 0 until the generated name is first asked for, then unique within the scheduler (CAS). */
    private volatile long number;
    private volatile String name;
    private static final VarHandle NUMBER;

    static {
        try {
            NUMBER = MethodHandles.lookup().findVarHandle(Job.class, "number", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The link of the pending queue's inbox (PendingQueue): written by the spawner before its
     * push, read by the lock holder that takes the inbox.
     */
    Job<?> nextPending;
    /** Links of the scheduler's active set (ActiveSet); guarded by the scheduler's lock. */
    Job<?> prevActive;
    Job<?> nextActive;

    /** Written by the job's thread; read after the job is DONE (or by its publisher once ENDED). */
    private T value;
    long startNanos;
    long runNanos = -1;
    /** The run timeout in nanoseconds, 0 for none; set at spawn, before the job is admitted. */
    long timeoutNanos;
    /** The timer's entry for this job (Deadlines), while it runs with a timeout; cleared at its end. */
    private volatile ScheduledFuture<?> deadline;
    /**
     * An async job's stage, written by its runner before RUNNING -> WAITING and read by whoever
     * moves it on from WAITING (the state's CAS orders the two).
     */
    private CompletionStage<? extends T> awaited;
    /** A job of {@code task}, or of {@code runnable} (then its result is null); one is null. */
    Job(JobScheduler scheduler, Callable<T> task, Runnable runnable, String name,
            List<StackTraceElement> spawnSite, boolean announced) {
        this.scheduler = scheduler;
        this.task = task;
        this.runnable = runnable;
        if (name != null) {
            this.name = name; // a volatile store costs a fence: spared for the usual null
        }
        this.spawnSite = spawnSite;
        // Listeners get the exact time spent queued; age() makes do with the coarse clock.
        this.spawnNanos = announced ? System.nanoTime() : CoarseClock.nanoTime();
        if (announced) {
            this.announcer = Thread.currentThread();
        }
    }

    /**
     * Whether the job waits in the pending queue for a free slot.
     *
     * @return {@code true} while pending
     */
    public boolean isPending() {
        return stage() == PENDING;
    }

    /**
     * Whether the job holds one of the scheduler's slots and runs (or is about to).
     *
     * @return {@code true} while active
     */
    public boolean isActive() {
        int stage = stage();
        return stage >= ACTIVE && stage <= WAITING;
    }

    /**
     * Whether the job has finished or has been closed. A job being closed counts as closed at
     * once, even while its thread is still winding down.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return stage() >= CLOSING;
    }

    /**
     * The job's name: the one given to {@code spawn} or {@link #setName}, else a generated
     * {@code job-N}, unique within its scheduler.
     *
     * @return the name, never {@code null}
     */
    public String getName() {
        String given = this.name;
        if (given != null) {
            return given;
        }
        long n = this.number;
        if (n == 0) {
            long made = this.scheduler.nextJobNumber();
            long raced = (long) NUMBER.compareAndExchange(this, 0L, made);
            n = raced != 0 ? raced : made;
        }
        return "job-" + n;
    }

    /**
     * Renames the job. By default, a job is named {@code job-N}.
     *
     * @param name the new name, or {@code null} for the generated one
     */
    public void setName(String name) {
        this.name = name;
    }

    /**
     * How long ago the job was spawned. Without a {@link JobListener}, the spawn time is read
     * from a clock that is refreshed about every millisecond (by one daemon thread,
     * {@code io.aiojobs.CoarseClock}, while jobs are being spawned), which is far cheaper than
     * {@link System#nanoTime()}: the age is then up to about a millisecond too long.
     *
     * @return the time since spawn, never negative
     */
    public Duration age() {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - this.spawnNanos));
    }

    /**
     * Waits for the job to finish and returns its result.
     *
     * @return the task's result
     * @throws Exception the very exception the task threw, not wrapped
     * @throws JobTimeoutException if the job ran past its run timeout and was closed for it
     * @throws CancellationException if the job was closed before it finished
     * @throws InterruptedException if the waiting thread is interrupted; the job is not affected
     * @throws IllegalStateException if called from the job's own task, which would wait forever
     */
    public T await() throws Exception {
        return awaitNanos(-1);
    }

    /**
     * Waits at most {@code timeout} for the job to finish and returns its result. When the time
     * is up the job is closed, as aiojobs does, and {@link TimeoutException} is thrown.
     *
     * @param timeout how long to wait
     * @return the task's result
     * @throws Exception the very exception the task threw, not wrapped
     * @throws TimeoutException if the job did not finish in time (it is closed then)
     * @throws JobTimeoutException if the job ran past its run timeout and was closed for it
     * @throws CancellationException if the job was closed before it finished
     * @throws InterruptedException if the waiting thread is interrupted; the job is not affected
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if called from the job's own task
     */
    public T await(Duration timeout) throws Exception {
        return awaitNanos(Checks.toNanos(Checks.nonNegative(timeout, "timeout")));
    }

    /**
     * Closes the job, waiting up to the scheduler's {@link JobScheduler#closeTimeout()} for it to
     * stop. See {@link #close(Duration)}.
     *
     * @throws Exception the task's own exception, if it failed and that was not reported yet
     * @throws TimeoutException if the task did not stop in time
     * @throws InterruptedException if the closing thread is interrupted while it waits
     */
    public void close() throws Exception {
        close(this.scheduler.closeTimeout());
    }

    /**
     * Closes the job: a pending job never runs; an active job's thread is interrupted, and this
     * call waits up to {@code timeout} for its task to end; an async job waiting for its stage
     * has the stage cancelled and ends at once, cancelled. No-op on a closed job. Called from
     * the job's own task, it interrupts that task and returns at once.
     *
     * @param timeout how long to wait for the task to stop
     * @throws Exception the task's own exception, if it ended by failing (other than by being
     *     interrupted) and that was not reported yet
     * @throws TimeoutException if the task did not stop in time; the job stays closed
     * @throws InterruptedException if the closing thread is interrupted while it waits; the job
     *     stays closed
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void close(Duration timeout) throws Exception {
        long nanos = Checks.toNanos(Checks.nonNegative(timeout, "timeout"));
        if (stopOrCancel(true) != RUNNING) {
            return; // closed already, or ended here without having run
        }
        if (this.runner == Thread.currentThread()) {
            leaveWaiting(false);
            return; // closed from its own task: interrupted, nothing to wait for
        }
        if (!waitForDone(nanos)) {
            leaveWaiting(false);
            this.scheduler.reports().closeTimeoutEvent(this);
            throw new TimeoutException(Outcomes.CLOSE_TIMED_OUT + ": " + this);
        }
        if (leaveWaiting(true) && !reported()) {
            throw Outcomes.asException(this.failure);
        }
    }

    /**
     * A future that completes with the job's outcome: its result, the task's exception, or
     * cancellation when the job is closed first. Completing or cancelling it does not affect the
     * job, and does not count as awaiting it. Dependent actions added with the non-async methods
     * may run on the job's own thread as it ends, which may have taken the next pending job on:
     * such an action may wait for other jobs with {@link #await()} or {@link #close()}, which
     * let that job run elsewhere, but should not block on another job's future (use the
     * {@code ...Async} variants for that).
     *
     * @return a new view of the outcome
     */
    public CompletableFuture<T> future() {
        CompletableFuture<T> view = new CompletableFuture<>();
        if (visibleHere()) {
            settle(view);
        } else {
            CompletableFuture<Void> done = signal();
            if (stage() == DONE) {
                settle(view);
            } else {
                done.whenComplete((ignored, error) -> settle(view));
            }
        }
        return view;
    }

    /**
     * The job's name and state, e.g. {@code Job[job-7 active]}.
     *
     * @return a description of the job
     */
    @Override
    public String toString() {
        String shown = isClosed() ? "closed" : isActive() ? "active" : "pending";
        return "Job[" + getName() + " " + shown + "]";
    }

    // ---- waiting ----

    private T awaitNanos(long nanos) throws Exception {
        if (visibleHere()) {
            return result(true);
        }
        int stage = stage();
        if ((stage == RUNNING || stage == CLOSING || stage == TIMED_OUT)
                && this.runner == Thread.currentThread()) {
            throw new IllegalStateException("A job cannot await itself: " + this);
        }
        Worker.handOffIfCarried(this);
        if (!addWaiter()) {
            return result(true);
        }
        boolean done;
        try {
            done = waitForDone(nanos);
        } catch (InterruptedException e) {
            if (leaveWaiting(false)) {
                reportFailure();
            }
            throw e;
        }
        if (!done) {
            throw closeAfterTimeout();
        }
        leaveWaiting(true);
        return result(false);
    }

    /**
     * await(timeout) ran out: close the job, still registered as a waiter, so that a failure it
     * ends with comes to this caller (attached to the TimeoutException) and is not reported.
     */
    private TimeoutException closeAfterTimeout() {
        TimeoutException timeout = new TimeoutException("Job did not finish in time: " + this);
        stopOrCancel(false);
        boolean done;
        try {
            done = waitForDone(Checks.toNanos(this.scheduler.closeTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            leaveWaiting(false);
            this.scheduler.reports().closeTimeoutEvent(this);
            timeout.addSuppressed(new TimeoutException(Outcomes.CLOSE_TIMED_OUT + ": " + this));
        } else if (leaveWaiting(true)) {
            timeout.addSuppressed(this.failure);
        }
        return timeout;
    }

    /** Whether the outcome may be read on this thread: DONE, or this thread is telling of its end. */
    private boolean visibleHere() {
        int stage = stage();
        return stage == DONE || (stage == ENDED && Worker.reports(this));
    }

    /** The outcome; a failure returned by a waiter counts as taken by it. */
    private T result(boolean take) throws Exception {
        if (this.outcome == JobListener.Outcome.SUCCESS) {
            return this.value;
        }
        if (this.outcome == JobListener.Outcome.FAILURE) {
            if (take) {
                observe();
            }
            throw Outcomes.asException(this.failure);
        }
        if (this.outcome == JobListener.Outcome.TIMEOUT) {
            throw timeoutException();
        }
        CancellationException cancelled = new CancellationException("Job was closed: " + getName());
        if (this.failure != null) {
            cancelled.initCause(this.failure);
        }
        throw cancelled;
    }

    private void settle(CompletableFuture<T> view) {
        if (this.outcome == JobListener.Outcome.SUCCESS) {
            view.complete(this.value);
        } else if (this.outcome == JobListener.Outcome.FAILURE) {
            view.completeExceptionally(this.failure);
        } else if (this.outcome == JobListener.Outcome.TIMEOUT) {
            view.completeExceptionally(timeoutException()); // a CancellationException: isCancelled()
        } else {
            view.cancel(false);
        }
    }

    /** The exception of a job that timed out, naming it and its timeout. */
    JobTimeoutException timeoutException() {
        return new JobTimeoutException("Job " + getName() + " timed out after "
                + Durations.format(Duration.ofNanos(this.timeoutNanos)));
    }

    /** Whether the job is in the queue (PENDING). */
    boolean isQueued() {
        return stage() == PENDING;
    }

    /** Job.close() and await's timeout: stop() for a user, discarding or ending here what never ran. */
    private int stopOrCancel(boolean asWaiter) {
        for (;;) {
            int found = stop(asWaiter);
            if (found == PENDING) {
                if (this.scheduler.discard(this)) {
                    return PENDING;
                }
                continue; // promoted meanwhile
            }
            if (found == ACTIVE) {
                this.scheduler.endElsewhere(this);
            } else if (found == WAITING) {
                cancelStage();
                this.scheduler.endElsewhere(this);
            }
            return found;
        }
    }

    /** Runs the body of a claimed job; returns what it threw, if anything. */
    Throwable runBody() {
        if (this.decorated == null) {
            return invoke();
        }
        try {
            this.decorated.run();
        } catch (Throwable e) {
            return this.failure != null ? this.failure : e;
        }
        return this.failure;
    }

    private Throwable invoke() {
        try {
            if (this.task != null) {
                this.value = this.task.call();
            } else {
                this.runnable.run();
            }
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /**
     * Wraps the body with the scheduler's decorator, at spawn. The decorator does not see the
     * task's exception go by: the wrapped body leaves it in {@code failure} for runBody (only the
     * runner writes it before the job has ENDED).
     */
    void decorate(java.util.function.UnaryOperator<Runnable> decorator) {
        Runnable decorated = decorator.apply(() -> this.failure = invoke());
        if (decorated == null) {
            throw new NullPointerException("task decorator returned null");
        }
        this.decorated = decorated;
    }

    /**
     * Makes this an async job of {@code body}, at spawn: its task calls the body and keeps the
     * stage it returns, which the runner then waits for without a thread (Worker).
     */
    void async(Callable<? extends CompletionStage<T>> body) {
        this.task = () -> {
            CompletionStage<T> stage = body.call();
            if (stage == null) {
                throw new NullPointerException("The task of async job " + getName()
                        + " returned null instead of a CompletionStage");
            }
            this.awaited = stage;
            return null;
        };
    }

    /** Whether the body just run gave a stage to wait for (an async job). By the runner. */
    boolean gaveStage() {
        return this.awaited != null;
    }

    /**
     * Waits for the stage without a thread: when it completes, {@code completed} is called with
     * what it threw (null for a value), on the completing thread, after the value is stored.
     * The stage may be complete already: then on this thread, before this returns.
     */
    void listen(java.util.function.Consumer<Throwable> completed) {
        try {
            this.awaited.whenComplete((result, error) -> {
                if (error == null) {
                    this.value = result;
                }
                completed.accept(error == null ? null : Outcomes.unwrap(error));
            });
        } catch (Throwable broken) {
            completed.accept(broken); // a stage whose whenComplete throws: the job fails with that
        }
    }

    /** Cancels an async job's stage (closed, timed out); a stage that cannot be cancelled is left. */
    void cancelStage() {
        CompletionStage<? extends T> stage = this.awaited;
        if (stage == null) {
            return;
        }
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (Throwable notCancellable) {
            // UnsupportedOperationException, or a failing dependant: the job ends regardless.
        }
    }

    /** Deadlines: the timer's entry for this job (its deadline, then its close-timeout check). */
    void setDeadline(ScheduledFuture<?> entry) {
        this.deadline = entry;
    }

    /** The job has ended: its deadline, if any, leaves the timer. */
    void clearDeadline() {
        ScheduledFuture<?> entry = this.deadline;
        if (entry != null) {
            this.deadline = null;
            entry.cancel(false);
        }
    }

    /** Lets go of the task once DONE: a finished job retains nothing of it. */
    void release() {
        this.task = null;
        this.runnable = null;
        this.decorated = null;
        this.awaited = null;
    }

    void reportFailure() {
        this.scheduler.reports().failed(this, this.failure);
    }

    /**
     * Lets the spawner's onSpawned come first: another thread about to tell of this job waits
     * until it has returned. That wait happens only when a job is promoted, or closed, by
     * another thread while its spawner is still in onSpawned. The spawner clears
     * {@code announcer} and then unparks the waiter it sees; a waiter writes
     * {@code announceWaiter} and then reads {@code announcer} (both volatile, so one sees the
     * other), and parks for at most a millisecond at a time besides, so that two waiters at once
     * (only one can be named) cannot miss the end. A latch per job did the same and cost a
     * quarter of the listener path (A/B at limit 16).
     */
    void awaitAnnounced() {
        Thread spawner = this.announcer;
        if (spawner == null || spawner == Thread.currentThread()) {
            return;
        }
        this.announceWaiter = Thread.currentThread();
        boolean interrupted = false;
        while (this.announcer != null) {
            java.util.concurrent.locks.LockSupport.parkNanos(this, 1_000_000);
            interrupted |= Thread.interrupted(); // else park would return at once, again and again
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** onSpawned has returned: other events may follow. */
    void announced() {
        this.announcer = null;
        Thread waiter = this.announceWaiter;
        if (waiter != null) {
            java.util.concurrent.locks.LockSupport.unpark(waiter);
        }
    }

    List<StackTraceElement> spawnSite() {
        return this.spawnSite;
    }
}
