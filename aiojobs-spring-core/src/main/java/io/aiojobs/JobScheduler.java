package io.aiojobs;

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

    private final Settings settings;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    /** Where shielded work runs: a thread each, never queued behind jobs. */
    private final Executor shieldExecutor;
    private final ExecutorService ownedShieldExecutor;
    private final JobListener listener;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a place frees in the pending queue, for spawners blocked on a full one. */
    private final Condition queueNotFull = this.lock.newCondition();
    /** Signalled when the work left falls to one piece or none, for closing threads. */
    private final Condition drained = this.lock.newCondition();

    /*
     * The pending queue has two parts. Every spawned job is first pushed, with one CAS, onto
     * the inbox: a stack, newest first, linked through Job.next, that ends in a Taken mark.
     * A spawner that finds every slot busy pushes without taking the lock, so it never waits
     * for the threads that end jobs, nor they for it. Whoever holds the lock next moves the
     * inbox to the end of the deque, in spawn order (takeInboxLocked).
     *
     * The push numbers the job (Job.id: 1, 2, 3...), so the newest number is how many jobs
     * were ever pushed, and pendingCount() is that minus left, the number of pushed jobs that
     * have stopped pending (promoted, closed, dropped or rejected). left only grows, so a
     * spawner that checks pendingLimit against a stale value errs on the safe side.
     */
    /** The newest pushed job, or the mark left by the last take. Never null. */
    private volatile Object inbox = new Taken(0);
    /** Pushed jobs no longer pending. Written under lock (release stores), read without it. */
    private volatile long left;
    // Guarded by lock. Closed pending jobs stay in the deque until polled or compacted ("ghosts",
    // state GONE); they already count in left.
    private ArrayDeque<Job<?>> pending = new ArrayDeque<>();
    /** The most jobs the deque has held since it was last emptied: its array's size, roughly. */
    private int pendingPeak;
    private final Set<Shield<?>> shields = new HashSet<>();
    private Job<?> activeHead;
    /** Written under lock; read without it by spawners, who may skip the lock when it is 0. */
    private volatile int blockedSpawners;
    private int drainWaiters;
    /** Ended jobs whose thread still tells listeners and the exception handler; waitAndClose waits for them. */
    private int publishing;
    /** Those jobs, linked through prev/next: waitAndClose() called by one's report must not wait for it. */
    private Job<?> publishingHead;
    /** Written under lock; read without it by spawners (it only ever turns false). */
    private volatile boolean paused;

    private volatile boolean closed;
    // activeCount is written under lock only. Its increments (and Job.state) are release stores
    // rather than volatile ones: a reader without the lock still sees each new value, in order,
    // but the writer skips the full fence a volatile store costs (on x86 a locked instruction,
    // inside the critical section). Its decrements are volatile: a spawner that pushes to the
    // inbox then reads activeCount, and a thread that frees a slot then reads the inbox, must not
    // both miss the other (a Dekker handshake, which needs the fence on both sides).
    private volatile int activeCount;
    private static final VarHandle ACTIVE_COUNT;
    private static final VarHandle INBOX;
    private static final VarHandle LEFT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ACTIVE_COUNT = lookup.findVarHandle(JobScheduler.class, "activeCount", int.class);
            INBOX = lookup.findVarHandle(JobScheduler.class, "inbox", Object.class);
            LEFT = lookup.findVarHandle(JobScheduler.class, "left", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Creates a scheduler with all the defaults; see {@link Builder}. */
    public JobScheduler() {
        this(new Builder());
    }

    private JobScheduler(Builder builder) {
        this.settings = new Settings(builder);
        this.listener = Listeners.of(this.settings.listeners);
        this.paused = builder.paused;
        if (builder.executor != null) {
            this.executor = builder.executor;
            this.ownedExecutor = null;
            this.shieldExecutor = builder.executor;
            this.ownedShieldExecutor = null;
            return;
        }
        boolean virtual = builder.threadFactory == null && (builder.virtualThreads != null
                ? builder.virtualThreads : Threads.virtualThreadsAvailable());
        if (virtual) {
            this.ownedExecutor = Threads.threadPerTask(Threads.virtualThreadFactory(builder.name));
            this.ownedShieldExecutor = null;
            this.shieldExecutor = this.ownedExecutor;
        } else {
            ThreadFactory factory = builder.threadFactory != null
                    ? builder.threadFactory : Threads.platformThreadFactory(builder.name);
            this.ownedExecutor = Threads.jobPool(this.settings.limit, factory);
            this.ownedShieldExecutor = Threads.cachedPool(factory);
            this.shieldExecutor = this.ownedShieldExecutor;
        }
        this.executor = this.ownedExecutor;
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
        return this.settings.limit;
    }

    /**
     * The maximum number of jobs waiting for a slot. By default, 10000.
     *
     * @return the limit, or {@code 0} when the queue is unbounded
     */
    public int pendingLimit() {
        return this.settings.pendingLimit;
    }

    /**
     * How long {@link #close()} and {@link Job#close()} wait for an interrupted job to end. By
     * default, 100 ms.
     *
     * @return the close timeout
     */
    public Duration closeTimeout() {
        return this.settings.closeTimeout;
    }

    /**
     * The grace period of {@link #waitAndClose()}. By default, 60 s.
     *
     * @return the wait timeout
     */
    public Duration waitTimeout() {
        return this.settings.waitTimeout;
    }

    /**
     * The exception handler given to the builder.
     *
     * @return the handler, or {@code null} when the default (logging) handler is in use
     */
    public ExceptionHandler exceptionHandler() {
        return this.settings.exceptionHandler;
    }

    /**
     * The scheduler's name, used for its threads. By default, {@code aiojobs}.
     *
     * @return the name
     */
    public String name() {
        return this.settings.name;
    }

    /**
     * The number of active jobs.
     *
     * @return how many jobs hold a slot now
     */
    public int activeCount() {
        return this.activeCount;
    }

    /**
     * The number of pending jobs.
     *
     * @return how many jobs wait in the queue now
     */
    public int pendingCount() {
        // pushed and left change independently: a value read between two looks at the same
        // inbox top is the count at one instant (so never above pendingLimit, never negative).
        Object top;
        long gone;
        int tries = 0;
        do {
            top = this.inbox;
            gone = this.left;
        } while (top != this.inbox && ++tries < 100);
        return (int) Math.max(0, pushed(top) - gone);
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return this.closed;
    }

    /**
     * Whether the scheduler holds new jobs pending instead of starting them; see
     * {@link Builder#paused(boolean)}.
     *
     * @return {@code true} until {@link #resume()} is called on a scheduler built paused
     */
    public boolean isPaused() {
        this.lock.lock();
        try {
            return this.paused;
        } finally {
            this.lock.unlock();
        }
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
        return spawn(task, null);
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

    private <T> Job<T> spawn(Callable<T> task, String name, long queueNanos) {
        Objects.requireNonNull(task, "task");
        return spawnJob(new Job<>(this, task, null, name, spawnSite()), queueNanos);
    }

    private <T> Job<T> spawnJob(Job<T> job, long queueNanos) {
        if (this.settings.taskDecorator != null) {
            job.decorate(this.settings.taskDecorator);
        }
        Job<?> first;
        if (this.listener == null) {
            first = enqueue(job, queueNanos);
        } else {
            // Once queued, another thread may promote, run or close the job at once; every such
            // path takes the job's monitor first, so holding it here makes onSpawned come
            // before any other event of the job. (Nothing holds the scheduler's lock while
            // taking a job's monitor, so this order cannot deadlock.)
            synchronized (job) {
                first = enqueue(job, queueNanos);
                this.listener.onSpawned(job);
            }
        }
        if (first != null) {
            dispatch(first);
            if (first != job) {
                startWhatFits(); // an older job took the slot; this one may fit too
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
        return spawn(task, null);
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
        return spawnJob(new Job<Void>(this, null, task, name, spawnSite()), -1);
    }

    /**
     * Queues the job and returns the job to dispatch, if a slot was free for the oldest pending
     * one (perhaps this one), else null; the caller dispatches it outside any monitor. A full
     * queue blocks for up to queueNanos, forever when negative.
     */
    private Job<?> enqueue(Job<?> job, long queueNanos) {
        if (this.closed) {
            throw new RejectedExecutionException(CLOSED_MESSAGE);
        }
        int max = this.settings.limit;
        // Every slot busy: the job will wait, so it need not take the lock that the threads
        // ending jobs take.
        if (max > 0 && this.activeCount >= max && !this.paused && this.blockedSpawners == 0
                && tryPush(job, this.settings.pendingLimit)) {
            if (this.closed) {
                rejectIfLate(job);
            }
            // A slot freed before the push may have found the inbox empty: take its job.
            return this.activeCount < max ? startOne() : null;
        }
        return enqueueLocked(job, queueNanos);
    }

    private Job<?> enqueueLocked(Job<?> job, long queueNanos) {
        this.lock.lock();
        try {
            if (this.closed) {
                throw new RejectedExecutionException(CLOSED_MESSAGE);
            }
            int max = this.settings.pendingLimit;
            int limit = this.settings.limit;
            boolean startsNow = !this.paused && (limit == 0 || this.activeCount < limit)
                    && pendingCount() == 0;
            if (this.paused || max == 0) {
                tryPush(job, 0);
            } else if ((this.blockedSpawners > 0 && !startsNow) || !tryPush(job, max)) {
                // (A job that starts now need not queue up behind blocked spawners; its push
                // fails only if a lock-free spawner took the place meanwhile.)
                awaitQueuePlaceLocked(job, max, queueNanos);
            }
            // Woken for a place that another blocked spawner may take as well.
            passOnPlaceLocked(max);
            return promoteForCallerLocked();
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Pushes the job onto the inbox and numbers it, unless that would make more than max jobs
     * pending (max 0: no bound).
     */
    private boolean tryPush(Job<?> job, int max) {
        Object top;
        do {
            top = this.inbox;
            long gone = this.left;
            Job<?> newest = top instanceof Job<?> j ? j : null;
            long pushed = pushed(top);
            if (max > 0 && pushed - gone >= max) {
                return false;
            }
            job.id = pushed + 1;
            job.next = newest;
        } while (!INBOX.weakCompareAndSet(this, top, job));
        return true;
    }

    /** How many jobs were pushed when the inbox's top was {@code top}. */
    private static long pushed(Object top) {
        return top instanceof Job<?> newest ? newest.id : ((Taken) top).pushed;
    }

    /** What takeInboxLocked leaves in the inbox: the number of the newest job it took. */
    private static final class Taken {
        final long pushed;

        Taken(long pushed) {
            this.pushed = pushed;
        }
    }

    /**
     * Moves the inbox's jobs to the end of the pending deque, oldest first; on a closed
     * scheduler, rejects them instead (see rejectIfLate).
     */
    private void takeInboxLocked() {
        takeInboxLocked(this.closed);
    }

    private void takeInboxLocked(boolean reject) {
        Object top;
        do {
            top = this.inbox;
            if (!(top instanceof Job<?>)) {
                return;
            }
        } while (!INBOX.weakCompareAndSet(this, top, new Taken(((Job<?>) top).id)));
        Job<?> newest = (Job<?>) top;
        Job<?> oldest = null;
        while (newest != null) {
            Job<?> older = newest.next;
            newest.next = oldest;
            oldest = newest;
            newest = older;
        }
        int rejected = 0;
        for (Job<?> job = oldest; job != null; ) {
            Job<?> newer = job.next;
            job.next = null;
            if (reject) {
                job.rejectedLate = true;
                job.state = Job.GONE;
                rejected++;
            } else {
                this.pending.addLast(job);
            }
            job = newer;
        }
        if (rejected > 0) {
            leaveLocked(rejected);
            signalIfDrainedLocked();
        }
        this.pendingPeak = Math.max(this.pendingPeak, this.pending.size());
    }

    /** Counts pushed jobs that stopped pending. */
    private void leaveLocked(int count) {
        LEFT.setRelease(this, this.left + count);
    }

    /**
     * A lock-free spawn met close(): close() set closed, then emptied the inbox, dropping (and
     * so ending) the jobs pushed before. A job pushed after that is rejected: its spawner throws,
     * as if it had come after close(). Whichever spawner takes the lock first rejects them all.
     */
    private void rejectIfLate(Job<?> job) {
        this.lock.lock();
        try {
            takeInboxLocked();
        } finally {
            this.lock.unlock();
        }
        if (job.rejectedLate) {
            throw new RejectedExecutionException(CLOSED_MESSAGE);
        }
    }

    /** Promotes the oldest pending job if a slot is free; returns it, to be dispatched. */
    private Job<?> startOne() {
        this.lock.lock();
        try {
            return promoteForCallerLocked();
        } finally {
            this.lock.unlock();
        }
    }

    /** Starts pending jobs while slots are free. */
    private void startWhatFits() {
        Job<?> job;
        while ((job = startOne()) != null) {
            dispatch(job);
        }
    }

    /** promoteLocked() for a spawner (not a thread that ends a job and runs the next). */
    private Job<?> promoteForCallerLocked() {
        Job<?> job = promoteLocked();
        // A job spawned from a callback of a job's end (listener, handler, a future's
        // dependant) on a pool thread: that thread is busy until the callback returns, so the
        // job must not queue behind it in the pool of limit threads (the callback may await it).
        if (job != null && this.ownedShieldExecutor != null && this.publishingHead != null) {
            job.spare = callerPublishingLocked() > 0;
        }
        return job;
    }

    /** Blocks until the job is pushed into a free place in the queue; first come, first served. */
    private void awaitQueuePlaceLocked(Job<?> job, int max, long queueNanos) {
        long nanos = queueNanos;
        this.blockedSpawners++;
        try {
            do {
                try {
                    if (queueNanos < 0) {
                        this.queueNotFull.await();
                    } else if (nanos > 0) {
                        nanos = this.queueNotFull.awaitNanos(nanos);
                    } else if (tryPush(job, max)) {
                        return; // out of time, but a place is free: take it rather than fail
                    } else {
                        passOnPlaceLocked(max);
                        throw new QueueFullException("The pending queue is full (" + max
                                + " jobs) and stayed full for " + Duration.ofNanos(queueNanos));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    passOnPlaceLocked(max);
                    throw new RejectedExecutionException(
                            "Interrupted while waiting for a place in the pending queue", e);
                }
                if (this.closed) {
                    throw new RejectedExecutionException(CLOSED_MESSAGE);
                }
            } while (!tryPush(job, max));
        } finally {
            this.blockedSpawners--;
        }
    }

    /** A place may be free: a signal this spawner may have taken goes to the next one. */
    private void passOnPlaceLocked(int max) {
        if (this.blockedSpawners > 0 && max > 0 && pendingCount() < max) {
            this.queueNotFull.signal();
        }
    }

    private void activateLocked(Job<?> job) {
        linkActiveLocked(job);
        ACTIVE_COUNT.setRelease(this, this.activeCount + 1);
    }

    private void linkActiveLocked(Job<?> job) {
        job.setStateRelease(Job.ACTIVE);
        job.prev = null;
        job.next = this.activeHead;
        if (this.activeHead != null) {
            this.activeHead.prev = job;
        }
        this.activeHead = job;
    }

    private void unlinkLocked(Job<?> job) {
        unlinkActiveLocked(job);
        this.activeCount--; // volatile: see the comment on activeCount
    }

    private void unlinkActiveLocked(Job<?> job) {
        job.setStateRelease(Job.GONE);
        if (job.prev != null) {
            job.prev.next = job.next;
        } else {
            this.activeHead = job.next;
        }
        if (job.next != null) {
            job.next.prev = job.prev;
        }
        job.prev = null;
        job.next = null;
    }

    /**
     * The active job has ended: its slot goes straight to the next pending job, if one may
     * start, which is returned (activated). activeCount does not dip meanwhile, or a spawner
     * reading it would see a free slot and take the lock for nothing.
     */
    private Job<?> handOverSlotLocked(Job<?> job) {
        unlinkActiveLocked(job);
        Job<?> next = this.closed || this.paused ? null : pollPendingLocked();
        if (next != null) {
            linkActiveLocked(next);
            return next;
        }
        this.activeCount--; // volatile: see the comment on activeCount
        // A spawner that pushed before the decrement may have seen no free slot.
        return promoteLocked();
    }

    /** The next live pending job, now activated; null when none may start. */
    private Job<?> promoteLocked() {
        int max = this.settings.limit;
        if (this.closed || this.paused || (max > 0 && this.activeCount >= max)) {
            return null;
        }
        Job<?> job = pollPendingLocked();
        if (job != null) {
            activateLocked(job);
        }
        return job;
    }

    /** Takes the oldest live job out of the pending queue; null if there is none. */
    private Job<?> pollPendingLocked() {
        takeInboxLocked();
        Job<?> job;
        while ((job = this.pending.pollFirst()) != null) {
            if (job.state == Job.PENDING) {
                leaveLocked(1);
                if (this.blockedSpawners > 0) {
                    this.queueNotFull.signal();
                }
                break;
            }
        }
        trimPendingLocked();
        return job;
    }

    /**
     * An ArrayDeque never shrinks: once a burst has drained, let its big array go, so that a
     * scheduler retains nothing for the jobs that went through it.
     */
    private void trimPendingLocked() {
        if (this.pendingPeak > 1024 && this.pending.isEmpty()) {
            this.pending = new ArrayDeque<>();
            this.pendingPeak = 0;
        }
    }

    /** Hands a job (and, should the executor refuse, the ones after it) to the executor. */
    private void dispatch(Job<?> first) {
        Job<?> job = first;
        while (job != null) {
            Job<?> toRun = job;
            try {
                (job.spare ? this.shieldExecutor : this.executor).execute(() -> runJobs(toRun));
                return;
            } catch (RuntimeException refused) {
                job.rejected(refused);
                job = finish(job);
            }
        }
    }

    /** A worker's loop: run the job, then each pending job that its slot frees for. */
    private void runJobs(Job<?> first) {
        Job<?> job = first;
        while (job != null) {
            int claimed = job.claim(this.listener);
            if (claimed == Job.TAKEN_OVER) {
                return; // handed off to another thread (see handOff)
            }
            job = claimed == Job.RUN ? endRun(job, job.runTask()) : finish(job);
        }
    }

    /** The job's task has returned: end the job, as finish() does, and return the next one. */
    private Job<?> endRun(Job<?> job, Throwable escaped) {
        Job<?> next = null;
        boolean quiet;
        synchronized (job) {
            job.endRunLocked(escaped, this.listener);
            // The quiet end (see finish), in the same hold of the job's monitor.
            quiet = this.listener == null && job.quietLocked();
            if (quiet) {
                next = leave(job, false);
                job.publishQuietlyLocked();
            }
        }
        // An interrupt meant for this job must not reach the next task on this thread. Nobody
        // interrupts on this job's behalf once its runner is cleared, so clearing now is final.
        Thread.interrupted();
        return quiet ? next : publishEnd(job);
    }

    /**
     * A callback on the thread that carries {@code job} (promoted to run there next) waits for
     * it: run it on a thread of its own; whichever thread claims it first runs it.
     */
    void handOff(Job<?> job) {
        job.spare = true;
        dispatch(job);
    }

    /** The job has ended: free its slot, tell everyone, and return the job that takes the slot. */
    private Job<?> finish(Job<?> job) {
        if (this.listener == null) {
            // Most jobs end with nobody to tell: no listener, no waiter, no failure to report.
            // Such a job leaves and shows its outcome in one step, under its monitor (so that no
            // waiter can come between), sparing a second round of the lock and the publishing
            // count, which exists to keep waitAndClose from returning while reports still run.
            synchronized (job) {
                if (job.quietLocked()) {
                    Job<?> next = leave(job, false);
                    job.publishQuietlyLocked();
                    return next;
                }
            }
        }
        return publishEnd(job);
    }

    /** finish() of a job with someone to tell: leave, then publish outside the lock. */
    private Job<?> publishEnd(Job<?> job) {
        Job<?> next = leave(job, true);
        try {
            job.publish(this.listener);
        } finally {
            // Read without the lock: only this thread sets it (in leave) and clears it (below).
            if (job.publisher != null) {
                this.lock.lock();
                try {
                    this.publishing--;
                    unlinkPublishingLocked(job);
                    signalIfDrainedLocked();
                } finally {
                    this.lock.unlock();
                }
            }
        }
        return next;
    }

    /**
     * Takes the ended job out of the scheduler (unless close() let it go already) and returns the
     * pending job promoted to its slot, to run next on this thread. With {@code publishing}, the
     * job counts as being reported, by this thread, until finish() uncounts it.
     */
    private Job<?> leave(Job<?> job, boolean publishing) {
        Job<?> next = null;
        this.lock.lock();
        try {
            if (job.state == Job.ACTIVE) {
                next = handOverSlotLocked(job);
                if (next != null) {
                    next.carrier = Thread.currentThread();
                }
                if (publishing) {
                    // The job has left the collection, but waitAndClose must not return before
                    // its end has been reported: nothing should run after the scheduler has closed.
                    this.publishing++;
                    job.publisher = Thread.currentThread();
                    linkPublishingLocked(job);
                }
                signalIfDrainedLocked();
            }
        } finally {
            this.lock.unlock();
        }
        return next;
    }

    private void linkPublishingLocked(Job<?> job) {
        job.next = this.publishingHead;
        if (this.publishingHead != null) {
            this.publishingHead.prev = job;
        }
        this.publishingHead = job;
    }

    private void unlinkPublishingLocked(Job<?> job) {
        if (job.prev != null) {
            job.prev.next = job.next;
        } else {
            this.publishingHead = job.next;
        }
        if (job.next != null) {
            job.next.prev = job.prev;
        }
        job.prev = null;
        job.next = null;
        job.publisher = null;
    }

    private void signalIfDrainedLocked() {
        if (this.drainWaiters > 0 && this.activeCount + pendingCount() + this.shields.size()
                + this.publishing <= 1) {
            this.drained.signalAll();
        }
    }

    /** Job.close() of a pending job: take it out of the queue. False if it is not pending. */
    boolean discardPending(Job<?> job) {
        this.lock.lock();
        try {
            takeInboxLocked();
            if (job.state != Job.PENDING) {
                return false;
            }
            job.state = Job.GONE;
            leaveLocked(1);
            if (this.blockedSpawners > 0) {
                this.queueNotFull.signal();
            }
            if (this.pending.peekLast() == job) {
                this.pending.pollLast();
            } else if (this.pending.size() > 2 * pendingCount() + 16) {
                this.pending.removeIf(ghost -> ghost.state != Job.PENDING);
            }
            signalIfDrainedLocked();
            return true;
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Lets a scheduler built {@linkplain Builder#paused(boolean) paused} start its pending jobs,
     * up to the limit. By default, schedulers are not paused, and this does nothing.
     */
    public void resume() {
        List<Job<?>> started = new ArrayList<>();
        this.lock.lock();
        try {
            if (!this.paused) {
                return;
            }
            this.paused = false;
            Job<?> job;
            while ((job = promoteLocked()) != null) {
                started.add(job);
            }
        } finally {
            this.lock.unlock();
        }
        started.forEach(this::dispatch);
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
        addShield(shield);
        CompletableFuture<T> view = shield.view();
        Runnable body = shield::run;
        if (this.settings.taskDecorator != null) {
            body = Objects.requireNonNull(this.settings.taskDecorator.apply(body),
                    "task decorator returned null");
        }
        try {
            this.shieldExecutor.execute(body);
        } catch (RuntimeException refused) {
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
        addShield(shield);
        CompletableFuture<T> view = shield.view();
        shield.track();
        return view;
    }

    private void addShield(Shield<?> shield) {
        this.lock.lock();
        try {
            if (this.closed) {
                throw new RejectedExecutionException(CLOSED_MESSAGE);
            }
            this.shields.add(shield);
        } finally {
            this.lock.unlock();
        }
    }

    void shieldEnded(Shield<?> shield) {
        this.lock.lock();
        try {
            if (this.shields.remove(shield)) {
                signalIfDrainedLocked();
            }
        } finally {
            this.lock.unlock();
        }
    }

    // ---- closing ----

    /**
     * Waits up to {@link #waitTimeout()} for every job and all shielded work to finish, then
     * closes; see {@link #waitAndClose(Duration)}.
     */
    public void waitAndClose() {
        waitAndClose(this.settings.waitTimeout);
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
        awaitIdle(timeout);
        close();
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
        long nanos = Checks.toNanos(Checks.nonNegative(timeout, "timeout"));
        resume();
        // Called from a callback of a job's end: the job promoted to run next on this very
        // thread could not start before this wait ends, so it moves to a thread of its own.
        for (Job<?> carried : carriedByCaller()) {
            carried.handOffIfCarried();
        }
        this.lock.lock();
        try {
            int self = (callerJobLocked() != null ? 1 : 0) + (callerShieldLocked() != null ? 1 : 0)
                    + callerPublishingLocked();
            this.drainWaiters++;
            try {
                while (!this.closed && this.activeCount + pendingCount()
                        + this.shields.size() + this.publishing > self) {
                    if (nanos <= 0) {
                        return false;
                    }
                    nanos = this.drained.awaitNanos(nanos);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                this.drainWaiters--;
            }
        } finally {
            this.lock.unlock();
        }
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
        List<Job<?>> dropped;
        List<Job<?>> running = new ArrayList<>();
        List<Shield<?>> shielded;
        this.lock.lock();
        try {
            if (this.closed) {
                return;
            }
            this.closed = true;
            this.paused = false;
            // After closed is set: a lock-free spawner that pushes later sees it (rejectIfLate).
            takeInboxLocked(false);
            dropped = new ArrayList<>(pendingCount());
            for (Job<?> job : this.pending) {
                if (job.state == Job.PENDING) {
                    job.state = Job.GONE;
                    dropped.add(job);
                }
            }
            this.pending = new ArrayDeque<>();
            this.pendingPeak = 0;
            leaveLocked(dropped.size());
            for (Job<?> job = this.activeHead; job != null; job = job.next) {
                running.add(job);
            }
            shielded = new ArrayList<>(this.shields);
            this.queueNotFull.signalAll();
            this.drained.signalAll();
        } finally {
            this.lock.unlock();
        }
        for (Job<?> job : dropped) {
            job.endWithoutRunning(this.listener);
        }
        Job<?> self = null;
        List<Job<?>> unstarted = new ArrayList<>();
        for (Job<?> job : running) {
            int cancelled = job.cancelByScheduler();
            if (cancelled == Job.CANCEL_SELF) {
                self = job;
            } else if (cancelled == Job.CANCEL_UNSTARTED) {
                unstarted.add(job);
            }
        }
        Shield<?> selfShield = null;
        for (Shield<?> shield : shielded) {
            if (shield.runsOn(Thread.currentThread())) {
                selfShield = shield;
            } else {
                shield.cancel();
            }
        }
        List<Job<?>> stuckJobs = new ArrayList<>();
        List<Shield<?>> stuckShields = new ArrayList<>();
        awaitStopped(self, selfShield, unstarted, stuckJobs, stuckShields);
        for (Job<?> job : stuckJobs) {
            closeTimedOut(job);
            report(new ExceptionContext("Job closing timed out", job,
                    new TimeoutException("Job closing timed out"), job.spawnSite()));
        }
        for (int i = 0; i < stuckShields.size(); i++) {
            closeTimedOut(null);
            report(new ExceptionContext("Job closing timed out", null,
                    new TimeoutException("Job closing timed out")));
        }
        if (this.ownedExecutor != null) {
            this.ownedExecutor.shutdown();
        }
        if (this.ownedShieldExecutor != null) {
            this.ownedShieldExecutor.shutdown();
        }
    }

    /** Waits for the closed work to end; gives up on what is left at the deadline. */
    private void awaitStopped(Job<?> self, Shield<?> selfShield, List<Job<?>> unstarted,
            List<Job<?>> stuckJobs, List<Shield<?>> stuckShields) {
        long nanos = Checks.toNanos(this.settings.closeTimeout);
        int allowed = (self != null ? 1 : 0) + (selfShield != null ? 1 : 0);
        this.lock.lock();
        try {
            // Cancelled before their task started, these jobs can no longer run it: they leave
            // now and end (cancelled) whenever their thread gets to them, perhaps this one.
            for (Job<?> job : unstarted) {
                if (job.state == Job.ACTIVE) {
                    unlinkLocked(job);
                }
            }
            this.drainWaiters++;
            try {
                while (nanos > 0 && this.activeCount + this.shields.size() > allowed) {
                    nanos = this.drained.awaitNanos(nanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                this.drainWaiters--;
            }
            for (Job<?> job = this.activeHead; job != null; ) {
                Job<?> next = job.next;
                if (job != self) {
                    unlinkLocked(job);
                    stuckJobs.add(job);
                }
                job = next;
            }
            for (Shield<?> shield : this.shields) {
                if (shield != selfShield) {
                    stuckShields.add(shield);
                }
            }
            this.shields.clear();
        } finally {
            this.lock.unlock();
        }
    }

    /** How many ended jobs the calling thread is reporting (from a listener or handler). */
    private int callerPublishingLocked() {
        int count = 0;
        for (Job<?> job = this.publishingHead; job != null; job = job.next) {
            if (job.publisher == Thread.currentThread()) {
                count++;
            }
        }
        return count;
    }

    /** The shielded task of this scheduler that the calling thread runs, if any. O(shields). */
    private Shield<?> callerShieldLocked() {
        Thread current = Thread.currentThread();
        for (Shield<?> shield : this.shields) {
            if (shield.runsOn(current)) {
                return shield;
            }
        }
        return null;
    }

    /** The active jobs that the calling thread has taken on to run next. O(active). */
    private List<Job<?>> carriedByCaller() {
        Thread current = Thread.currentThread();
        List<Job<?>> carried = new ArrayList<>(1);
        this.lock.lock();
        try {
            for (Job<?> job = this.activeHead; job != null; job = job.next) {
                if (job.carrier == current) {
                    carried.add(job);
                }
            }
        } finally {
            this.lock.unlock();
        }
        return carried;
    }

    /** The active job of this scheduler that the calling thread runs, if any. O(active). */
    private Job<?> callerJobLocked() {
        Thread current = Thread.currentThread();
        for (Job<?> job = this.activeHead; job != null; job = job.next) {
            if (job.runsOn(current)) {
                return job;
            }
        }
        return null;
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
        ExceptionHandler handler = this.settings.exceptionHandler;
        if (handler != null) {
            handler.handle(this, context);
        } else {
            Logging.log(context);
        }
    }

    /** Reports on a job or closing thread, where a failing handler must not break anything. */
    void report(ExceptionContext context) {
        try {
            callExceptionHandler(context);
        } catch (RuntimeException | Error e) {
            Logging.LOGGER.log(System.Logger.Level.ERROR,
                    "Exception handler failed on: " + Logging.describe(context), e);
        }
    }

    void closeTimedOut(Job<?> job) {
        if (this.listener != null) {
            this.listener.onCloseTimeout(job);
        }
    }

    JobListener listener() {
        return this.listener;
    }

    private List<StackTraceElement> spawnSite() {
        if (!this.settings.captureSpawnSite) {
            return List.of();
        }
        StackTraceElement[] frames = new Throwable().getStackTrace();
        int first = 0;
        while (first < frames.length
                && frames[first].getClassName().equals(JobScheduler.class.getName())) {
            first++;
        }
        return List.of(Arrays.copyOfRange(frames, first, frames.length));
    }

    // ---- the Collection view ----

    /**
     * The number of jobs: active plus pending (shielded work is not counted).
     *
     * @return {@link #activeCount()} + {@link #pendingCount()}
     */
    @Override
    public int size() {
        this.lock.lock();
        try {
            return this.activeCount + pendingCount();
        } finally {
            this.lock.unlock();
        }
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
        return o instanceof Job<?> job && job.scheduler == this && job.state != Job.GONE;
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
        this.lock.lock();
        try {
            takeInboxLocked();
            Job<?>[] jobs = new Job<?>[this.activeCount + pendingCount()];
            int i = 0;
            for (Job<?> job = this.activeHead; job != null; job = job.next) {
                jobs[i++] = job;
            }
            for (Job<?> job : this.pending) {
                if (job.state == Job.PENDING) {
                    jobs[i++] = job;
                }
            }
            return i == jobs.length ? jobs : Arrays.copyOf(jobs, i);
        } finally {
            this.lock.unlock();
        }
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
        return "JobScheduler[" + (this.closed ? "closed " : "") + "jobs=" + size() + "]";
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
            return new JobScheduler(this);
        }
    }

    /** The immutable copy of a builder's settings. */
    private static final class Settings {
        final int limit;
        final int pendingLimit;
        final Duration closeTimeout;
        final Duration waitTimeout;
        final ExceptionHandler exceptionHandler;
        final String name;
        final boolean captureSpawnSite;
        final UnaryOperator<Runnable> taskDecorator;
        final List<JobListener> listeners;

        Settings(Builder builder) {
            this.limit = builder.limit;
            this.pendingLimit = builder.pendingLimit;
            this.closeTimeout = builder.closeTimeout;
            this.waitTimeout = builder.waitTimeout;
            this.exceptionHandler = builder.exceptionHandler;
            this.name = builder.name;
            this.captureSpawnSite = builder.captureSpawnSite;
            this.taskDecorator = builder.taskDecorator;
            this.listeners = List.copyOf(builder.listeners);
        }
    }
}
