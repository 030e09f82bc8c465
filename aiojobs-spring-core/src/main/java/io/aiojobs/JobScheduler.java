package io.aiojobs;

// This file cannot be split: the contract fixes the public Builder and ExceptionHandler as
// members of this class, and most of its 900 lines are the public manual. Every method
// delegates to a room of its own (listed below); none holds logic of its own beyond a few lines.

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A scheduler of background jobs, after Python's aiojobs: a limit on how many jobs run at once, a
 * bounded FIFO queue of jobs waiting for a slot, jobs you can await or close, errors that are
 * never lost, and a graceful shutdown.
 *
 * <dl>
 * <dt>Limits and the pending queue</dt>
 * <dd>{@link #spawn(Callable)} starts a job at once while fewer than {@link #limit()} jobs are
 * active; otherwise the job waits, first in first out, in the pending queue. When
 * {@link #pendingLimit()} jobs are already waiting, {@code spawn} blocks until one leaves the
 * queue. A limit of {@code 0} means no limit. The scheduler is a read-only {@link Collection} of
 * its active and pending jobs; a finished job leaves it at once.</dd>
 *
 * <dt>Closing</dt>
 * <dd>{@link #close()} refuses new jobs, drops the pending ones without running them, interrupts
 * the active ones and {@linkplain #shield(Callable) shielded} work, and waits up to
 * {@link #closeTimeout()} for them to end; what still runs then is reported and given up on.
 * {@link #waitAndClose()} first waits up to {@link #waitTimeout()} for all work to finish, jobs
 * spawned meanwhile included, then closes.</dd>
 *
 * <dt>Exceptions</dt>
 * <dd>A job whose task fails while nobody {@linkplain Job#await() awaits} or
 * {@linkplain Job#close() closes} it is reported exactly once to the
 * {@link ExceptionHandler} with the message {@code "Job processing failed"}; the default handler
 * logs it through {@link System.Logger}. A job that ends by being interrupted or cancelled has not
 * failed.</dd>
 *
 * <dt>Threads</dt>
 * <dd>Each active job runs on a thread of its own. By default that is a new virtual thread on
 * Java 21 and later, and a pooled daemon platform thread named {@code aiojobs-N} on Java 17;
 * {@link Builder#executor(Executor)} and {@link Builder#threadFactory(ThreadFactory)} choose
 * otherwise. When a job ends, its thread goes on with the next pending job, if there is one.
 * An executor that refuses a job makes that job fail (and be reported); it never hangs.</dd>
 * </dl>
 *
 * <p>This class is thread-safe: every method may be called from any thread, including from inside
 * a job. No lock is held while a job runs.
 */
public final class JobScheduler implements Collection<Job<?>>, AutoCloseable {

    /**
     * Receives the errors that nobody else would see; see {@link ExceptionContext}.
     * Implementations are called from job threads and closing threads, possibly at once, and
     * must be thread-safe.
     */
    @FunctionalInterface
    public interface ExceptionHandler {

        /**
         * Handles one error.
         *
         * @param scheduler the scheduler that reports it
         * @param context what happened
         */
        void handle(JobScheduler scheduler, ExceptionContext context);
    }

    static final String CLOSED_MESSAGE = "Scheduling a new job after closing";

    /*
     * The rooms. Each owns one piece of state and says in its first lines what guards it:
     *
     *   Settings      what the builder was told (immutable)
     *   Admission     the one lock: limit, pending queue, active set, shields, paused/closed
     *   Dispatcher    the executors, and handing jobs to them in Workers
     *   Worker        one thread's work for this scheduler (thread-confined)
     *   Ending        how a job's end is told: leave, listeners, outcome, report
     *   Closing       the close sequence
 *   Deadlines     run timeouts: one timer for all the scheduler's timed jobs
 *   Ledger        the CloseReport of the shutdown under way
     *   Reports       the exception handler and spawn sites
     *   Listeners     the job listeners, each call guarded
     *
     * Lock order: Admission.lock is the only lock; nothing is called while it is held but the
     * pending queue and the active set it guards. A job's state changes by CAS (JobState), a
     * shield's fields under that shield's monitor, which is never held while taking the lock.
     */
    private final Settings settings;
    private final Listeners listeners;
    private final Reports reports;
    private final Admission admission;
    private final Dispatcher dispatcher;
    private final Ending ending;
    private final Closing closing;
    private final Deadlines deadlines;
    private final Ledger ledger = new Ledger();
    /** The builder's jobTimeout in nanoseconds; 0 = none. */
    private final long jobTimeoutNanos;
    /** Numbers for generated job names, taken when a name is first asked for. */
    private final java.util.concurrent.atomic.AtomicLong jobNumbers = new java.util.concurrent.atomic.AtomicLong();

    /** Creates a scheduler with all the defaults; see {@link Builder}. */
    public JobScheduler() {
        this(new Builder().settings());
    }

    private JobScheduler(Settings settings) {
        this.settings = settings;
        this.listeners = Listeners.of(settings.listeners());
        this.reports = new Reports(this, settings, this.listeners);
        this.admission = new Admission(settings.limit(), settings.pendingLimit(), settings.paused());
        this.dispatcher = new Dispatcher(this, Threads.choose(settings));
        this.ending = new Ending(this, this.admission, this.listeners, this.ledger);
        long closeNanos = Checks.toNanos(settings.closeTimeout());
        this.deadlines = new Deadlines(this, settings.name(), closeNanos);
        this.closing = new Closing(this, this.admission, this.ending, this.reports, this.dispatcher,
                this.deadlines, this.ledger, closeNanos);
        this.jobTimeoutNanos = Checks.toNanos(settings.jobTimeout());
    }

    /**
     * Starts building a scheduler.
     *
     * @return a builder with every option at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- settings ----

    /**
     * The maximum number of jobs active at once. By default, 100.
     *
     * @return the limit, or {@code 0} when there is none
     */
    public int limit() {
        return this.settings.limit();
    }

    /**
     * The maximum number of jobs waiting for a slot. By default, 10000.
     *
     * @return the limit, or {@code 0} when the queue is unbounded
     */
    public int pendingLimit() {
        return this.settings.pendingLimit();
    }

    /**
     * How long {@link #close()} and {@link Job#close()} wait for an interrupted job to end. By
     * default, 100 ms.
     *
     * @return the close timeout
     */
    public Duration closeTimeout() {
        return this.settings.closeTimeout();
    }

    /**
     * The grace period of {@link #waitAndClose()}. By default, 60 s.
     *
     * @return the wait timeout
     */
    public Duration waitTimeout() {
        return this.settings.waitTimeout();
    }

    /**
     * The run timeout of jobs spawned without one of their own ({@link SpawnOptions#timeout}).
     *
     * @return the default run timeout; {@link Duration#ZERO} for none
     */
    public Duration jobTimeout() {
        return this.settings.jobTimeout();
    }

    /**
     * The exception handler given to the builder.
     *
     * @return the handler, or {@code null} when the default (logging) handler is in use
     */
    public ExceptionHandler exceptionHandler() {
        return this.settings.exceptionHandler();
    }

    /**
     * The scheduler's name, used for its threads. By default, {@code aiojobs}.
     *
     * @return the name
     */
    public String name() {
        return this.settings.name();
    }

    /**
     * The number of active jobs.
     *
     * @return how many jobs hold a slot now
     */
    public int activeCount() {
        return this.admission.activeCount();
    }

    /**
     * The number of pending jobs.
     *
     * @return how many jobs wait in the queue now
     */
    public int pendingCount() {
        return this.admission.pendingCount();
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return this.admission.isClosed();
    }

    /**
     * Whether the scheduler holds new jobs pending instead of starting them; see
     * {@link Builder#paused(boolean)}.
     *
     * @return {@code true} until {@link #resume()} is called on a scheduler built paused
     */
    public boolean isPaused() {
        return this.admission.isPaused();
    }

    // ---- spawning ----

    /**
     * Spawns a job; see {@link #spawn(Callable, String)}.
     *
     * @param <T> the type of the task's result
     * @param task what the job does
     * @return the new job
     * @throws NullPointerException if {@code task} is {@code null}
     * @throws RejectedExecutionException if the scheduler is closed, or the caller was
     *     interrupted while blocked on a full pending queue
     */
    public <T> Job<T> spawn(Callable<T> task) {
        return spawn(task, (String) null);
    }

    /**
     * Spawns a named job: starts it at once if fewer than {@link #limit()} jobs are active, else
     * queues it as pending. By default, when {@link #pendingLimit()} jobs already wait, the caller
     * blocks until one leaves the queue (a scheduler built {@linkplain Builder#paused(boolean)
     * paused} never blocks).
     *
     * @param <T> the type of the task's result
     * @param task what the job does
     * @param name the job's name, or {@code null} for a generated one
     * @return the new job
     * @throws NullPointerException if {@code task} is {@code null}
     * @throws RejectedExecutionException with the message {@code "Scheduling a new job after
     *     closing"} if the scheduler is closed (also when it closes while the caller is blocked);
     *     or, the interrupt flag restored and the job discarded, if the caller is interrupted
     *     while blocked on a full pending queue
     */
    public <T> Job<T> spawn(Callable<T> task, String name) {
        return spawn(task, name, -1);
    }

    /**
     * Spawns a named job as {@link #spawn(Callable, String)} does, but waits at most
     * {@code queueTimeout} for a place when the pending queue is full, for callers that would
     * rather turn work away (say, answer 503) than block.
     *
     * @param <T> the type of the task's result
     * @param task what the job does
     * @param name the job's name, or {@code null} for a generated one
     * @param queueTimeout how long to wait for a place in a full pending queue; zero to not wait
     * @return the new job
     * @throws NullPointerException if {@code task} or {@code queueTimeout} is {@code null}
     * @throws IllegalArgumentException if {@code queueTimeout} is negative
     * @throws QueueFullException if the pending queue stayed full for {@code queueTimeout}
     * @throws RejectedExecutionException as for {@link #spawn(Callable, String)}
     */
    public <T> Job<T> spawn(Callable<T> task, String name, Duration queueTimeout) {
        return spawn(task, name, Checks.toNanos(Checks.nonNegative(queueTimeout, "queueTimeout")));
    }

    /**
     * Spawns a job with {@code options}: its name, its run timeout (from its start; when it
     * passes, the job is closed and {@link Job#await()} throws {@link JobTimeoutException}), and
     * how long to wait for a place in a full pending queue. Otherwise as
     * {@link #spawn(Callable, String)}. {@code spawn(task, name, queueTimeout)} is the shortcut
     * for the options it names.
     *
     * @param <T> the type of the task's result
     * @param task what the job does
     * @param options how to spawn it; {@link SpawnOptions#defaults()} for a plain spawn
     * @return the new job
     * @throws NullPointerException if {@code task} or {@code options} is {@code null}
     * @throws QueueFullException if the pending queue stayed full for the options' queue timeout
     * @throws RejectedExecutionException as for {@link #spawn(Callable, String)}
     */
    public <T> Job<T> spawn(Callable<T> task, SpawnOptions options) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(options, "options");
        return spawnJob(task, null, null, options);
    }

    /**
     * Spawns a job that runs {@code task}, with {@code options}; see
     * {@link #spawn(Callable, SpawnOptions)}.
     *
     * @param task what the job does
     * @param options how to spawn it
     * @return the new job, whose result is {@code null}
     * @throws NullPointerException if {@code task} or {@code options} is {@code null}
     * @throws QueueFullException if the pending queue stayed full for the options' queue timeout
     * @throws RejectedExecutionException as for {@link #spawn(Callable, String)}
     */
    public Job<Void> spawn(Runnable task, SpawnOptions options) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(options, "options");
        return spawnJob(null, task, null, options);
    }

    /**
     * Spawns an async job; see {@link #spawnAsync(Callable, SpawnOptions)}.
     *
     * @param <T> the type of the stage's result
     * @param task what starts the work, returning its stage
     * @return the new job
     * @throws NullPointerException if {@code task} is {@code null}
     * @throws RejectedExecutionException as for {@link #spawn(Callable, String)}
     */
    public <T> Job<T> spawnAsync(Callable<? extends CompletionStage<T>> task) {
        return spawnAsync(task, SpawnOptions.defaults());
    }

    /**
     * Spawns an async job: bounded concurrency for asynchronous work (an HTTP client's
     * {@code sendAsync}, a {@code CompletableFuture} chain) without a thread per operation. The
     * job is queued and started like any other; {@code task} then runs on a job thread and
     * returns the work's stage, and the job stays active, holding its slot but no thread, until
     * that stage completes. Its outcome is the stage's: its value, or its exception (unwrapped
     * from a {@link java.util.concurrent.CompletionException}) as a failure, or cancelled. A
     * task that returns {@code null} fails with a {@link NullPointerException}.
     *
     * <p>Closing the job ({@link Job#close()}, its run timeout, the scheduler's close) cancels
     * the stage ({@code toCompletableFuture().cancel(true)}) and ends the job at once, so a
     * stage that never completes cannot hold up {@link #close()}. {@link #waitAndClose()} waits
     * for stages as for any job. The task decorator wraps the call of {@code task}, not the
     * stage's completion; the stage's dependants run on whatever thread completes it.
     *
     * @param <T> the type of the stage's result
     * @param task what starts the work, returning its stage
     * @param options how to spawn it; the run timeout counts until the stage completes
     * @return the new job
     * @throws NullPointerException if {@code task} or {@code options} is {@code null}
     * @throws QueueFullException if the pending queue stayed full for the options' queue timeout
     * @throws RejectedExecutionException as for {@link #spawn(Callable, String)}
     */
    public <T> Job<T> spawnAsync(Callable<? extends CompletionStage<T>> task, SpawnOptions options) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(options, "options");
        return spawnJob(null, null, task, options);
    }

    private <T> Job<T> spawn(Callable<T> task, String name, long queueNanos) {
        Objects.requireNonNull(task, "task");
        return spawnJob(task, null, name, queueNanos, this.jobTimeoutNanos);
    }

    private <T> Job<T> spawnJob(Callable<T> task, Runnable runnable,
            Callable<? extends CompletionStage<T>> async, SpawnOptions options) {
        Job<T> job = newJob(task, runnable, options.name(), options.timeoutNanos(this.jobTimeoutNanos));
        if (async != null) {
            job.async(async);
        }
        return admit(job, options.queueNanos());
    }

    private <T> Job<T> spawnJob(Callable<T> task, Runnable runnable, String name, long queueNanos,
            long timeoutNanos) {
        return admit(newJob(task, runnable, name, timeoutNanos), queueNanos);
    }

    private <T> Job<T> newJob(Callable<T> task, Runnable runnable, String name, long timeoutNanos) {
        Job<T> job = new Job<>(this, task, runnable, name, this.reports.spawnSite(), this.listeners != null);
        job.timeoutNanos = timeoutNanos;
        return job;
    }

    private <T> Job<T> admit(Job<T> job, long queueNanos) {
        if (this.settings.taskDecorator() != null) {
            job.decorate(this.settings.taskDecorator());
        }
        Job<?> first = this.admission.admit(job, queueNanos);
        if (this.listeners != null) {
            // Other events of the job wait for this one (Job.awaitAnnounced), and none comes
            // if admit threw: onSpawned is heard first, and only of spawned jobs.
            this.listeners.spawned(job);
            job.announced();
        }
        if (first != null) {
            this.dispatcher.dispatch(first);
            if (first != job) {
                // An older job took a slot freed while this one was queued: this one may fit too.
                for (Job<?> next; (next = this.admission.promote()) != null; ) {
                    this.dispatcher.dispatch(next);
                }
            }
        }
        return job;
    }

    /**
     * Spawns a job that runs {@code task}; see {@link #spawn(Callable, String)}.
     *
     * @param task what the job does
     * @return the new job, whose result is {@code null}
     * @throws NullPointerException if {@code task} is {@code null}
     * @throws RejectedExecutionException as for {@link #spawn(Callable, String)}
     */
    public Job<Void> spawn(Runnable task) {
        return spawn(task, (String) null);
    }

    /**
     * Spawns a named job that runs {@code task}; see {@link #spawn(Callable, String)}.
     *
     * @param task what the job does
     * @param name the job's name, or {@code null} for a generated one
     * @return the new job, whose result is {@code null}
     * @throws NullPointerException if {@code task} is {@code null}
     * @throws RejectedExecutionException as for {@link #spawn(Callable, String)}
     */
    public Job<Void> spawn(Runnable task, String name) {
        Objects.requireNonNull(task, "task");
        return spawnJob(null, task, name, -1, this.jobTimeoutNanos);
    }

    /**
     * Lets a scheduler built {@linkplain Builder#paused(boolean) paused} start its pending jobs,
     * up to the limit. By default, schedulers are not paused, and this does nothing.
     */
    public void resume() {
        this.admission.resume().forEach(this.dispatcher::dispatch);
    }

    // ---- shielding ----

    /**
     * Runs {@code task} on a thread of its own, at once (no limit applies), where the caller
     * cannot cancel it: cancelling or abandoning the returned future, or interrupting the thread
     * that waits on it, does not stop the work. {@link #waitAndClose()} waits for it; only
     * {@link #close()} interrupts it. Shielded work is not a job: it is not in this collection.
     *
     * @param <T> the type of the task's result
     * @param task the work
     * @return a future of the task's result
     * @throws NullPointerException if {@code task} is {@code null}
     * @throws RejectedExecutionException if the scheduler is closed
     */
    public <T> CompletableFuture<T> shield(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Shield<T> shield = Shield.ofTask(this, task);
        Runnable body = shield;
        if (this.settings.taskDecorator() != null) {
            // Before the shield is added: a decorator that throws leaves no shield to wait for.
            body = Objects.requireNonNull(this.settings.taskDecorator().apply(body),
                    "task decorator returned null");
        }
        CompletableFuture<T> view = shield.view();
        this.admission.addShield(shield);
        try {
            this.dispatcher.spare().execute(body);
        } catch (Throwable refused) {
            shield.rejected(refused);
        }
        return view;
    }

    /**
     * Tracks {@code stage} as shielded work: {@link #waitAndClose()} waits for it to complete,
     * {@link #close()} cancels it; cancelling the returned future does not.
     *
     * @param <T> the type of the stage's result
     * @param stage the work
     * @return a future of the stage's result
     * @throws NullPointerException if {@code stage} is {@code null}
     * @throws RejectedExecutionException if the scheduler is closed
     */
    public <T> CompletableFuture<T> shield(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        Shield<T> shield = Shield.ofStage(this, stage);
        this.admission.addShield(shield);
        CompletableFuture<T> view = shield.view();
        shield.track();
        return view;
    }

    // ---- closing ----

    /**
     * Waits up to {@link #waitTimeout()} for every job and all shielded work to finish, then
     * closes; see {@link #waitAndClose(Duration)}.
     */
    public void waitAndClose() {
        waitAndClose(this.settings.waitTimeout());
    }

    /**
     * Waits up to {@code timeout} until no job and no shielded work is left, jobs spawned while
     * waiting included, then {@linkplain #close() closes}. Returns as soon as the work is done. A
     * paused scheduler is resumed first, since its jobs could not finish otherwise. Called from
     * a job or shielded task, it does not wait for that one itself. If the calling thread is
     * interrupted, it stops waiting, closes at once and restores the interrupt flag.
     *
     * @param timeout the grace period
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void waitAndClose(Duration timeout) {
        waitAndClose(timeout, scheduler -> { });
    }

    /**
     * As {@link #waitAndClose(Duration)}, but when the grace period ends with work left (the
     * time ran out, or the caller was interrupted), calls {@code beforeCancelling} on the calling
     * thread before anything is interrupted or dropped: to say what is about to be cancelled,
     * say. The {@link #closeReport()} counts from the start of the grace period. What the
     * callback throws reaches the caller, after the scheduler has closed.
     *
     * @param timeout the grace period
     * @param beforeCancelling told of this scheduler, with its jobs still in it, just before closing
     * @throws NullPointerException if {@code timeout} or {@code beforeCancelling} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void waitAndClose(Duration timeout, java.util.function.Consumer<? super JobScheduler> beforeCancelling) {
        long nanos = Checks.toNanos(Checks.nonNegative(timeout, "timeout"));
        Objects.requireNonNull(beforeCancelling, "beforeCancelling");
        this.ledger.begin();
        try {
            if (!awaitIdleNanos(nanos)) {
                beforeCancelling.accept(this);
            }
        } finally {
            close();
        }
    }

    /**
     * Waits up to {@code timeout} until no job and no shielded work is left, jobs spawned while
     * waiting included, without closing: the first half of {@link #waitAndClose(Duration)}, for
     * callers that want to know whether the grace period ran out before they close (to say
     * what is about to be cancelled, say). It resumes a paused scheduler, does not wait for the
     * job or shielded task it is called from, and returns early, with the interrupt flag
     * restored, if the calling thread is interrupted.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if no work is left (or the scheduler is closed), {@code false} if the
     *     time ran out or the caller was interrupted first
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean awaitIdle(Duration timeout) {
        return awaitIdleNanos(Checks.toNanos(Checks.nonNegative(timeout, "timeout")));
    }

    private boolean awaitIdleNanos(long nanos) {
        resume();
        // Called from a callback of a job's end: the job taken on to run next on this very
        // thread could not start before this wait ends, so it moves to a thread of its own.
        Worker.handOffCarried(this);
        return this.admission.awaitIdle(nanos, Worker.selfCount(this));
    }

    /**
     * Closes the scheduler: refuses new jobs, drops pending jobs without running them, interrupts
     * every active job and shielded task, and waits up to {@link #closeTimeout()} (for all of them
     * together) for them to end. Each one still running then is reported to the exception
     * handler with the message {@code "Job closing timed out"} and leaves the scheduler. Called
     * from a job or shielded task, it leaves that one running and does not wait for it.
     * Idempotent. If the calling
     * thread is interrupted, it stops waiting and restores the interrupt flag.
     */
    @Override
    public void close() {
        this.closing.close();
    }

    /**
     * The ledger of this scheduler's shutdown: how long {@link #waitAndClose()} (or
     * {@link #close()}, called directly) took, how many jobs ended meanwhile by outcome, and what
     * was still running when closing gave up on it. Written once, by the first close; later
     * closes leave it as it is.
     *
     * @return the report, or empty until the scheduler has finished closing
     */
    public Optional<CloseReport> closeReport() {
        return this.ledger.report();
    }

    // ---- exceptions ----

    /**
     * Passes {@code context} to the exception handler: the one given to the builder, or by
     * default one that logs it at {@code ERROR} through {@link System.Logger}. An exception the
     * handler throws reaches the caller.
     *
     * @param context what happened
     * @throws NullPointerException if {@code context} is {@code null}
     */
    public void callExceptionHandler(ExceptionContext context) {
        Objects.requireNonNull(context, "context");
        this.reports.call(context);
    }

    // ---- the rooms, for the core's own classes ----

    Admission admission() {
        return this.admission;
    }

    Dispatcher dispatcher() {
        return this.dispatcher;
    }

    Ending ending() {
        return this.ending;
    }

    Reports reports() {
        return this.reports;
    }

    Listeners listeners() {
        return this.listeners;
    }

    long nextJobNumber() {
        return this.jobNumbers.incrementAndGet();
    }

    /** Job.close() of a queued job: it leaves the queue and ends, cancelled. False if not queued. */
    boolean discard(Job<?> job) {
        if (!this.admission.discard(job)) {
            return false;
        }
        this.ending.endDropped(job);
        return true;
    }

    /** A job that ended away from its worker (see Ending.endElsewhere): it is told here. */
    void endElsewhere(Job<?> job) {
        this.ending.endElsewhere(job);
    }

    Deadlines deadlines() {
        return this.deadlines;
    }

    // ---- the Collection view ----

    /**
     * The number of jobs: active plus pending (shielded work is not counted).
     *
     * @return {@link #activeCount()} + {@link #pendingCount()}
     */
    @Override
    public int size() {
        return this.admission.size();
    }

    /**
     * Whether there is no active and no pending job.
     *
     * @return {@code size() == 0}
     */
    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Whether {@code o} is an active or pending job of this scheduler.
     *
     * @param o the object to look for
     * @return {@code true} if it is one of this scheduler's unfinished jobs
     */
    @Override
    public boolean contains(Object o) {
        return o instanceof Job<?> job && job.scheduler == this && this.admission.contains(job);
    }

    /**
     * Whether every element of {@code c} is in this scheduler.
     *
     * @param c the elements to look for
     * @return {@code true} if each is {@linkplain #contains contained}
     * @throws NullPointerException if {@code c} is {@code null}
     */
    @Override
    public boolean containsAll(Collection<?> c) {
        for (Object o : c) {
            if (!contains(o)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A snapshot of the active jobs, then the pending ones in queue order. It never throws
     * {@link java.util.ConcurrentModificationException} and does not support {@code remove}.
     *
     * @return an iterator over the snapshot
     */
    @Override
    public Iterator<Job<?>> iterator() {
        return Collections.unmodifiableList(Arrays.asList(snapshot())).iterator();
    }

    /**
     * A snapshot of the jobs, as {@link #iterator()} orders them.
     *
     * @return a new array of the jobs
     */
    @Override
    public Object[] toArray() {
        return snapshot();
    }

    /**
     * A snapshot of the jobs, as {@link #iterator()} orders them.
     *
     * @param <E> the array's element type
     * @param a the array to fill if it is big enough
     * @return {@code a}, or a new array of its type, holding the jobs
     * @throws ArrayStoreException if {@code Job} is not assignable to the element type
     * @throws NullPointerException if {@code a} is {@code null}
     */
    @Override
    public <E> E[] toArray(E[] a) {
        return Arrays.asList(snapshot()).toArray(a);
    }

    private Job<?>[] snapshot() {
        return this.admission.snapshot().toArray(new Job<?>[0]);
    }

    /**
     * Not supported: jobs are added with {@code spawn}.
     *
     * @param job ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean add(Job<?> job) {
        throw unsupported();
    }

    /**
     * Not supported: jobs leave when they end or are closed.
     *
     * @param o ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean remove(Object o) {
        throw unsupported();
    }

    /**
     * Not supported.
     *
     * @param c ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean addAll(Collection<? extends Job<?>> c) {
        throw unsupported();
    }

    /**
     * Not supported.
     *
     * @param c ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean removeAll(Collection<?> c) {
        throw unsupported();
    }

    /**
     * Not supported.
     *
     * @param filter ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean removeIf(Predicate<? super Job<?>> filter) {
        throw unsupported();
    }

    /**
     * Not supported.
     *
     * @param c ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean retainAll(Collection<?> c) {
        throw unsupported();
    }

    /**
     * Not supported: use {@link #close()}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void clear() {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("A JobScheduler is a read-only view of its jobs");
    }

    /**
     * {@code JobScheduler[jobs=N]}, or {@code JobScheduler[closed jobs=N]} once closed.
     *
     * @return a description of the scheduler
     */
    @Override
    public String toString() {
        return "JobScheduler[" + (isClosed() ? "closed " : "") + "jobs=" + size() + "]";
    }

    // ---- building ----

    /**
     * Builds a {@link JobScheduler}. Each setter checks its value at once; {@link #build()} copies
     * the settings, so a builder can be reused. Not thread-safe: confine a builder to one thread.
     */
    public static final class Builder {

        private int limit = 100;
        private int pendingLimit = 10_000;
        private Duration closeTimeout = Duration.ofMillis(100);
        private Duration waitTimeout = Duration.ofSeconds(60);
        private Duration jobTimeout = Duration.ZERO;
        private ExceptionHandler exceptionHandler;
        private String name = "aiojobs";
        private Executor executor;
        private ThreadFactory threadFactory;
        private Boolean virtualThreads;
        private boolean captureSpawnSite;
        private UnaryOperator<Runnable> taskDecorator;
        private final List<JobListener> listeners = new ArrayList<>();
        private boolean paused;

        private Builder() {
        }

        /**
         * Sets the maximum number of jobs active at once. By default, 100.
         *
         * @param limit the limit, or {@code 0} for none
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is negative
         */
        public Builder limit(int limit) {
            this.limit = Checks.nonNegative(limit, "limit");
            return this;
        }

        /**
         * Sets the maximum number of jobs waiting for a slot. By default, 10000.
         *
         * @param pendingLimit the limit, or {@code 0} for an unbounded queue
         * @return this builder
         * @throws IllegalArgumentException if {@code pendingLimit} is negative
         */
        public Builder pendingLimit(int pendingLimit) {
            this.pendingLimit = Checks.nonNegative(pendingLimit, "pendingLimit");
            return this;
        }

        /**
         * Sets how long closing waits for an interrupted job to end. By default, 100 ms.
         *
         * @param closeTimeout the timeout, zero or more
         * @return this builder
         * @throws NullPointerException if {@code closeTimeout} is {@code null}
         * @throws IllegalArgumentException if {@code closeTimeout} is negative
         */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = Checks.nonNegative(closeTimeout, "closeTimeout");
            return this;
        }

        /**
         * Sets the grace period of {@link JobScheduler#waitAndClose()}. By default, 60 s.
         *
         * @param waitTimeout the timeout, zero or more
         * @return this builder
         * @throws NullPointerException if {@code waitTimeout} is {@code null}
         * @throws IllegalArgumentException if {@code waitTimeout} is negative
         */
        public Builder waitTimeout(Duration waitTimeout) {
            this.waitTimeout = Checks.nonNegative(waitTimeout, "waitTimeout");
            return this;
        }

        /**
         * Sets the run timeout of jobs spawned without one of their own
         * ({@link SpawnOptions#timeout(Duration)}): how long a job may run, from its start, before
         * it is closed and {@link Job#await()} throws {@link JobTimeoutException}. By default,
         * zero: no limit.
         *
         * @param jobTimeout the default run timeout, or zero for none
         * @return this builder
         * @throws NullPointerException if {@code jobTimeout} is {@code null}
         * @throws IllegalArgumentException if {@code jobTimeout} is negative
         */
        public Builder jobTimeout(Duration jobTimeout) {
            this.jobTimeout = Checks.nonNegative(jobTimeout, "jobTimeout");
            return this;
        }

        /**
         * Sets the handler of unobserved errors. By default, they are logged through
         * {@link System.Logger} at {@code ERROR}.
         *
         * @param exceptionHandler the handler
         * @return this builder
         * @throws NullPointerException if {@code exceptionHandler} is {@code null}
         */
        public Builder exceptionHandler(ExceptionHandler exceptionHandler) {
            this.exceptionHandler = Objects.requireNonNull(exceptionHandler, "exceptionHandler");
            return this;
        }

        /**
         * Names the scheduler; its own threads are named {@code name-N}. By default,
         * {@code aiojobs}.
         *
         * @param name the name
         * @return this builder
         * @throws NullPointerException if {@code name} is {@code null}
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Runs jobs on {@code executor}, which must give each task a thread of its own (as the
         * scheduler limits concurrency itself, a bounded executor can only slow it down).
         * Shielded work runs on it too. The scheduler does not shut it down. A task it refuses
         * makes its job fail (or its shielded work's future). By default, the
         * scheduler makes its own threads (see {@link #virtualThreads(boolean)}).
         *
         * @param executor the executor
         * @return this builder
         * @throws NullPointerException if {@code executor} is {@code null}
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Runs jobs and shielded work on threads from {@code threadFactory}: jobs on a pool of
         * {@link JobScheduler#limit()} threads (more with no limit), shielded work on threads of
         * its own; idle threads end after a minute. Ignored when an {@link #executor(Executor)}
         * is set.
         *
         * @param threadFactory the factory
         * @return this builder
         * @throws NullPointerException if {@code threadFactory} is {@code null}
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * Whether jobs run on virtual threads, one new thread per job. By default, they do on
         * Java 21 and later; on Java 17 they run on pooled platform threads. Ignored when an
         * {@link #executor(Executor)} or {@link #threadFactory(ThreadFactory)} is set.
         *
         * @param virtualThreads whether to use virtual threads
         * @return this builder
         * @throws UnsupportedOperationException if {@code true} on a Java before 21
         */
        public Builder virtualThreads(boolean virtualThreads) {
            if (virtualThreads && !Threads.virtualThreadsAvailable()) {
                throw new UnsupportedOperationException("Virtual threads need Java 21 or later; this is Java "
                        + Runtime.version().feature());
            }
            this.virtualThreads = virtualThreads;
            return this;
        }

        /**
         * Whether to record where each job is spawned, for {@link ExceptionContext#sourceTraceback()}.
         * It costs a stack walk per spawn: meant for debugging. By default, off.
         *
         * @param captureSpawnSite whether to capture spawn sites
         * @return this builder
         */
        public Builder captureSpawnSite(boolean captureSpawnSite) {
            this.captureSpawnSite = captureSpawnSite;
            return this;
        }

        /**
         * Wraps every job's and shielded task's body, at spawn time on the spawning thread, to
         * carry context (MDC, security, tracing) into the job's thread. By default, none.
         *
         * @param taskDecorator the decorator; it must return a non-null runnable
         * @return this builder
         * @throws NullPointerException if {@code taskDecorator} is {@code null}
         */
        public Builder taskDecorator(UnaryOperator<Runnable> taskDecorator) {
            this.taskDecorator = Objects.requireNonNull(taskDecorator, "taskDecorator");
            return this;
        }

        /**
         * Adds a listener of job events; may be called more than once. By default, none.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is {@code null}
         */
        public Builder listener(JobListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Whether the scheduler starts paused: it accepts jobs and holds them pending (without
         * blocking on the pending limit) until {@link JobScheduler#resume()}. Used to hold jobs
         * spawned while an application is still starting. By default, not paused.
         *
         * @param paused whether to start paused
         * @return this builder
         */
        public Builder paused(boolean paused) {
            this.paused = paused;
            return this;
        }

        /**
         * Builds the scheduler.
         *
         * @return a new scheduler with these settings
         */
        public JobScheduler build() {
            return new JobScheduler(settings());
        }

        private Settings settings() {
            return new Settings(this.limit, this.pendingLimit, this.closeTimeout, this.waitTimeout,
                    this.jobTimeout, this.exceptionHandler, this.name, this.executor, this.threadFactory,
                    this.virtualThreads, this.captureSpawnSite, this.taskDecorator, this.listeners,
                    this.paused);
        }
    }
}
