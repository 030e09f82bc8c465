package io.aiojobs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
public final class Job<T> {

    /*
     * Life of a job. Two fields tell where it is:
     *
     * state (written under the scheduler's lock, on its hot paths by release stores): PENDING ->
     *   ACTIVE -> GONE, or PENDING -> GONE.
     *   PENDING: in the scheduler's queue.   ACTIVE: holds a slot (counted in activeCount).
     *   GONE: left the scheduler (ended, discarded while pending, or let go by close(): given
     *   up on after closeTimeout, or cancelled before its task started, so it never will).
     *
     * closed (written under this job's monitor): false -> true, once, when the task ends or
     *   when someone asks the job to close. The public view is: closed ? "closed"
     *   : state == ACTIVE ? "active" : "pending".
     *
     * The outcome fields (done, outcome, value, failure) are written once, under this job's
     * monitor, by the thread that ends the job. waiters counts await()/close() calls in progress:
     * a failure that ends the job while waiters > 0 goes to them; otherwise it is reported to
     * the exception handler. failureHandled records that one of the two has happened, reported
     * that the handler got it (close() rethrows a failure unless it was reported).
     *
     * published (under this job's monitor) turns true in publish(), after the job has left the
     * scheduler: await(), close() and future() show the outcome only from then on, so whoever
     * sees a job's outcome also sees it gone from the collection and the counts (as in aiojobs,
     * where the done-callback runs before any waiter resumes).
     */
    static final int PENDING = 0;
    static final int ACTIVE = 1;
    static final int GONE = 2;

    private static final int SUCCESS = 1;
    private static final int FAILURE = 2;
    private static final int CANCELLED = 3;

    final JobScheduler scheduler;
    private Callable<T> task;
    private Runnable decorated;
    private final List<StackTraceElement> spawnSite;
    final long spawnNanos;
    private volatile String name;
    long id;

    volatile int state;
    private static final VarHandle STATE;
    private static final VarHandle CLOSED;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Job.class, "state", int.class);
            CLOSED = MethodHandles.lookup().findVarHandle(Job.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    // Links in the scheduler's active list, then (while its end is reported) publishing list;
    // publisher is the reporting thread. All three are guarded by the scheduler's lock, except
    // next while the job is in the scheduler's inbox (written by its spawner before the push).
    Job<?> prev;
    Job<?> next;
    /** Pushed to the inbox after the scheduler closed: its spawner throws. Guarded by the lock. */
    boolean rejectedLate;
    Thread publisher;
    /** Set by the spawner under the scheduler's lock: run on a thread of its own, not the pool. */
    boolean spare;
    /**
     * The thread that took this job on, in finish(), to run it once it has reported the job
     * before; callbacks of that report run on it, and must not wait for this job there.
     */
    Thread carrier;

    private volatile boolean closed;
    /**
     * The thread running the task; guarded by the monitor. Read without it only by runsOn(the
     * current thread), which that thread itself wrote last if it is the one.
     */
    private Thread runner;
    private boolean cancelled;
    private boolean done;
    private boolean claimed;
    private boolean published;
    /** The thread that ended the job and tells its listeners, before the outcome shows to others. */
    private Thread reporter;
    private boolean failureHandled;
    private boolean reported;
    private boolean reportOnPublish;
    private int waiters;
    private int outcome;
    private T value;
    private Throwable failure;
    private long startNanos;
    private long runNanos = -1;
    private CompletableFuture<T> completion;

    /** A job of {@code task}, or of {@code runnable} (then its result is null); one is null. */
    Job(JobScheduler scheduler, Callable<T> task, Runnable runnable, String name,
            List<StackTraceElement> spawnSite) {
        this.scheduler = scheduler;
        this.task = task;
        this.decorated = runnable; // run as is: what it throws ends the job as failed
        if (name != null) {
            this.name = name; // a volatile store costs a fence: spared for the usual null
        }
        this.spawnSite = spawnSite;
        // Listeners get the exact time spent queued; age() makes do with the coarse clock.
        this.spawnNanos = scheduler.listener() != null ? System.nanoTime() : CoarseClock.nanoTime();
    }

    /**
     * Whether the job waits in the pending queue for a free slot.
     *
     * @return {@code true} while pending
     */
    public boolean isPending() {
        return !this.closed && this.state != ACTIVE;
    }

    /**
     * Whether the job holds one of the scheduler's slots and runs (or is about to).
     *
     * @return {@code true} while active
     */
    public boolean isActive() {
        return !this.closed && this.state == ACTIVE;
    }

    /**
     * Whether the job has finished or has been closed. A job being closed counts as closed at
     * once, even while its thread is still winding down.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return this.closed;
    }

    /**
     * The job's name: the one given to {@code spawn} or {@link #setName}, else a generated
     * {@code job-N}, unique within its scheduler.
     *
     * @return the name, never {@code null}
     */
    public String getName() {
        String given = this.name;
        return given != null ? given : "job-" + this.id;
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
        return Duration.ofNanos(System.nanoTime() - this.spawnNanos);
    }

    /**
     * Waits for the job to finish and returns its result.
     *
     * @return the task's result
     * @throws Exception the very exception the task threw, not wrapped
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
     * call waits up to {@code timeout} for its task to end. No-op on a closed job. Called from
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
        if (!requestClose()) {
            return;
        }
        if (this.scheduler.discardPending(this)) {
            endWithoutRunning(null);
            return;
        }
        CompletableFuture<T> signal;
        synchronized (this) {
            if (this.published) {
                return;
            }
            Thread thread = this.runner;
            if (thread != null) {
                thread.interrupt();
            }
            if (thread == Thread.currentThread()) {
                return;
            }
            this.waiters++;
            signal = completionLocked();
        }
        waitForEnd(signal, nanos, true);
        synchronized (this) {
            this.waiters--;
            if (this.outcome != FAILURE || this.reported) {
                return;
            }
            this.failureHandled = true;
        }
        throw asException(this.failure);
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
        CompletableFuture<T> source;
        synchronized (this) {
            source = this.published || this.reporter == Thread.currentThread()
                    ? null : completionLocked();
        }
        if (source == null) {
            settle(view);
        } else {
            source.whenComplete((result, error) -> settle(view));
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
        CompletableFuture<T> signal;
        synchronized (this) {
            if (this.published || this.reporter == Thread.currentThread()) {
                return outcomeLocked();
            }
            if (this.runner == Thread.currentThread()) {
                throw new IllegalStateException("A job cannot await itself: " + this);
            }
            this.waiters++;
            signal = completionLocked();
        }
        if (!waitForEnd(signal, nanos, false)) {
            TimeoutException timeout = new TimeoutException("Job did not finish in time: " + this);
            Throwable failed = closeWhileWaiting();
            if (failed != null) {
                timeout.addSuppressed(failed);
            }
            throw timeout;
        }
        synchronized (this) {
            this.waiters--;
            return outcomeLocked();
        }
    }

    /**
     * Waits until the job has ended. Returns {@code false} on timeout when {@code closing} is
     * false (still registered as a waiter); a closing wait that times out unregisters and throws.
     */
    private boolean waitForEnd(CompletableFuture<T> signal, long nanos, boolean closing)
            throws InterruptedException, TimeoutException {
        handOffIfCarried();
        try {
            if (nanos < 0) {
                signal.get();
            } else {
                signal.get(nanos, TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | CancellationException ended) {
            // The outcome is read from this job's fields.
        } catch (InterruptedException e) {
            leaveWaiting();
            throw e;
        } catch (TimeoutException e) {
            if (!closing) {
                return false;
            }
            leaveWaiting();
            this.scheduler.closeTimedOut(this);
            throw new TimeoutException("Job closing timed out: " + this);
        }
        return true;
    }

    /**
     * About to wait for this job on the thread that carries it (a callback of the job before's
     * end): it could not start before the wait ends, so it runs on another thread instead.
     */
    void handOffIfCarried() {
        Thread current = Thread.currentThread();
        if (this.carrier != current) {
            return;
        }
        synchronized (this) {
            if (this.claimed) {
                return;
            }
        }
        this.carrier = null;
        this.scheduler.handOff(this);
    }

    /**
     * await(timeout) ran out: close the job, staying registered so that a failure it ends with
     * goes to this caller (returned, to be attached to the TimeoutException) and is not reported.
     */
    private Throwable closeWhileWaiting() {
        synchronized (this) {
            this.closed = true;
            this.cancelled = true;
        }
        if (this.scheduler.discardPending(this)) {
            endWithoutRunning(null);
        }
        CompletableFuture<T> signal;
        synchronized (this) {
            if (!this.done && this.runner != null) {
                this.runner.interrupt();
            }
            signal = completionLocked();
        }
        try {
            waitForEnd(signal, Checks.toNanos(this.scheduler.closeTimeout()), true);
        } catch (TimeoutException stillRunning) {
            return stillRunning;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        synchronized (this) {
            this.waiters--;
            if (this.outcome != FAILURE) {
                return null;
            }
            this.failureHandled = true;
            return this.failure;
        }
    }

    /** A waiter gives up (interrupt or timeout): a failure nobody else will see is reported now. */
    private void leaveWaiting() {
        boolean report;
        synchronized (this) {
            this.waiters--;
            report = this.done && this.outcome == FAILURE && !this.failureHandled
                    && this.waiters == 0;
            if (report) {
                this.failureHandled = true;
                this.reported = true;
            }
        }
        if (report) {
            reportFailure();
        }
    }

    private CompletableFuture<T> completionLocked() {
        if (this.completion == null) {
            this.completion = new CompletableFuture<>();
        }
        return this.completion;
    }

    /** The outcome, once done; a failure read here counts as observed. Caller holds the monitor. */
    private T outcomeLocked() throws Exception {
        switch (this.outcome) {
            case SUCCESS:
                return this.value;
            case FAILURE:
                this.failureHandled = true;
                throw asException(this.failure);
            default:
                throw cancellation();
        }
    }

    private CancellationException cancellation() {
        CancellationException cancelled = new CancellationException("Job was closed: " + getName());
        if (this.failure != null) {
            cancelled.initCause(this.failure);
        }
        return cancelled;
    }

    private void settle(CompletableFuture<T> view) {
        int how;
        synchronized (this) {
            how = this.outcome;
        }
        switch (how) {
            case SUCCESS -> view.complete(this.value);
            case FAILURE -> view.completeExceptionally(this.failure);
            default -> view.cancel(false);
        }
    }

    private static Exception asException(Throwable failure) {
        if (failure instanceof Exception exception) {
            return exception;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new ExecutionException(failure);
    }

    // ---- used by the scheduler ----

    /** Marks the job closed on the user's request; {@code false} if it was closed already. */
    private synchronized boolean requestClose() {
        if (this.closed) {
            return false;
        }
        this.closed = true;
        this.cancelled = true;
        return true;
    }

    /** cancelByScheduler(): the caller is the job's own thread; the job is left alone. */
    static final int CANCEL_SELF = 0;
    /** cancelByScheduler(): the task runs (now interrupted) or is ending; wait for it. */
    static final int CANCEL_RUNNING = 1;
    /** cancelByScheduler(): the task had not started, and now never will; no need to wait. */
    static final int CANCEL_UNSTARTED = 2;

    /**
     * The scheduler is closing: mark the job cancelled and interrupt its thread; returns one of
     * the CANCEL_ constants. An active job whose task has not started yet may be waiting for the
     * very thread that closes (a worker takes the next job on before it reports the last one).
     */
    int cancelByScheduler() {
        synchronized (this) {
            if (this.done) {
                return CANCEL_RUNNING;
            }
            Thread thread = this.runner;
            if (thread == Thread.currentThread()) {
                return CANCEL_SELF;
            }
            this.closed = true;
            this.cancelled = true;
            if (thread == null) {
                return CANCEL_UNSTARTED;
            }
            thread.interrupt();
            return CANCEL_RUNNING;
        }
    }

    /**
     * Sets state with a release store, as the scheduler does on its hot paths under its lock
     * (see the comment on JobScheduler's counts): lock-free readers (isPending, contains...)
     * still see each new state, without the fence of a volatile store.
     */
    void setStateRelease(int newState) {
        STATE.setRelease(this, newState);
    }

    boolean runsOn(Thread thread) {
        return this.runner == thread;
    }

    void decorate(java.util.function.UnaryOperator<Runnable> decorator) {
        Runnable runnable = this.decorated;
        // As for a Callable, the decorator does not see the task's exception go by.
        Runnable body = runnable == null ? this::invoke : () -> {
            try {
                runnable.run();
            } catch (Throwable e) {
                this.failure = e;
            }
        };
        this.decorated = Objects.requireNonNull(decorator.apply(body),
                "task decorator returned null");
    }

    /** claim(): another thread has taken the job over; this one leaves it alone. */
    static final int TAKEN_OVER = 0;
    /** claim(): the job is this thread's to run: runTask(), then endRunLocked(). */
    static final int RUN = 1;
    /** claim(): the job was closed before it started; it has ended without running. */
    static final int ENDED = 2;

    /**
     * Takes the job on to run it on the current thread; returns TAKEN_OVER, RUN or ENDED.
     * Does not touch the scheduler.
     */
    int claim(JobListener listener) {
        synchronized (this) {
            if (this.claimed) {
                return TAKEN_OVER;
            }
            this.claimed = true;
            if (this.cancelled) {
                endLocked(null);
                return ENDED;
            }
            this.runner = Thread.currentThread();
        }
        // Timing is only for listeners: without one, spare the two clock reads per job.
        if (listener != null) {
            this.startNanos = System.nanoTime();
            listener.onStarted(this, this.startNanos - this.spawnNanos);
        }
        return RUN;
    }

    /** Runs the task of a claimed job; returns what escaped it, if anything. */
    Throwable runTask() {
        try {
            if (this.decorated != null) {
                this.decorated.run();
            } else {
                invoke();
            }
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /**
     * The task has returned: records the outcome. Caller holds the monitor. After this, nobody
     * interrupts the thread on this job's behalf (see JobScheduler.endRun).
     */
    void endRunLocked(Throwable escaped, JobListener listener) {
        this.runner = null;
        if (listener != null) {
            this.runNanos = System.nanoTime() - this.startNanos;
        }
        endLocked(escaped);
    }

    private void invoke() {
        try {
            this.value = this.task.call();
        } catch (Throwable e) {
            this.failure = e;
        }
    }

    /**
     * The executor refused to run the job: it fails with that error, visibly; unless it was
     * closed already (an owned executor is shut down by close()), then it simply ends cancelled.
     */
    void rejected(RuntimeException error) {
        synchronized (this) {
            this.claimed = true;
            if (!this.cancelled) {
                this.failure = error;
            }
            endLocked(null);
        }
    }

    /** Decides the outcome. Caller holds the monitor. */
    private void endLocked(Throwable escaped) {
        if (this.done) {
            return;
        }
        if (escaped != null) {
            this.failure = escaped;
        }
        Throwable error = this.failure;
        if (error instanceof InterruptedException || error instanceof CancellationException
                || (this.cancelled && error == null)) {
            this.outcome = CANCELLED;
            this.value = null;
        } else if (error != null) {
            this.outcome = FAILURE;
            this.reportOnPublish = this.waiters == 0;
            this.failureHandled = this.reportOnPublish;
            this.reported = this.reportOnPublish;
        } else {
            this.outcome = SUCCESS;
        }
        this.done = true;
        // A release store: lock-free readers (isClosed...) see it, without a full fence.
        CLOSED.setRelease(this, true);
        // The thread that ends a job publishes it next (see publish()).
        this.reporter = Thread.currentThread();
    }

    /** Closed while pending (or by a closing scheduler): ends as cancelled and publishes it. */
    void endWithoutRunning(JobListener listener) {
        synchronized (this) {
            if (this.done) {
                return;
            }
            this.closed = true;
            this.cancelled = true;
            endLocked(null);
        }
        publish(listener != null ? listener : this.scheduler.listener());
    }

    /** Tells the waiters, the listener and, for an unobserved failure, the exception handler. */
    void publish(JobListener listener) {
        if (listener != null) {
            // Listeners hear of the end before anyone sees the outcome, so that whoever awaited
            // the job also sees it counted (metrics). This thread is the job's reporter (set
            // when the outcome was decided): a listener awaiting the job here gets it at once.
            listener.onFinished(this, publicOutcome(), this.runNanos);
        }
        CompletableFuture<T> signal;
        boolean report;
        synchronized (this) {
            signal = this.completion;
            report = this.reportOnPublish;
            this.reportOnPublish = false;
            this.published = true;
            this.reporter = null;
        }
        this.task = null;
        this.decorated = null;
        if (signal != null) {
            settle(signal);
        }
        if (report) {
            reportFailure();
        }
    }

    /**
     * Whether the ended job has nobody to tell: no waiter, no future, no failure to report.
     * Caller holds the monitor (and the scheduler has no listener).
     */
    boolean quietLocked() {
        return this.done && this.completion == null && !this.reportOnPublish;
    }

    /** publish() for a quiet job, under the monitor, once it has left the scheduler. */
    void publishQuietlyLocked() {
        this.published = true;
        this.reporter = null;
        this.task = null;
        this.decorated = null;
    }

    private JobListener.Outcome publicOutcome() {
        return switch (this.outcome) {
            case SUCCESS -> JobListener.Outcome.SUCCESS;
            case FAILURE -> JobListener.Outcome.FAILURE;
            default -> JobListener.Outcome.CANCELLED;
        };
    }

    private void reportFailure() {
        this.scheduler.report(new ExceptionContext("Job processing failed", this, this.failure,
                this.spawnSite));
    }

    List<StackTraceElement> spawnSite() {
        return this.spawnSite;
    }
}
