package io.aiojobs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A job's life: one state word and its transitions, with the outcome they decide. {@link Job}
 * extends it (one object per job, no second allocation) and adds the task, the result value and
 * the public methods. Thread-safe: the state changes by compare-and-set only.
 */
abstract class JobState {

    /*
     * `state` is one int: a stage in the low three bits, four flags, and above them the number
     * of await()/close() calls in progress ("waiters").
     *
     *   PENDING    in the scheduler's queue.
     *   ACTIVE     holds a slot; on its way to a thread, its body not started.
     *   RUNNING    its body runs on `runner`.
     *   WAITING    an async job whose body returned its stage: it holds its slot but no thread
     *              until the stage completes.
     *   CLOSING    asked to stop while running (Job.close, await's timeout, the scheduler's
     *              close): `runner` was interrupted; the body has not returned yet.
     *   TIMED_OUT  its run timeout passed while it ran (Deadlines): `runner` was interrupted;
     *              the body has not returned yet. CLOSING's twin, but it ends as TIMEOUT.
     *   ENDED      its outcome is decided by the one thread that moved it here, which then makes
     *              it leave the scheduler and tells the listeners.
     *   DONE       its outcome is published: await() and future() show it.
     *
     *   PENDING -> ACTIVE    a slot frees or is free (under the scheduler's lock)
     *   PENDING -> ENDED     closed while queued: cancelled (under the scheduler's lock); or,
     *                        with NOT_ADMITTED, pushed to the inbox after close(): its spawn
     *                        throws, nothing is told
     *   ACTIVE  -> RUNNING   a worker claims it
     *   ACTIVE  -> ENDED     closed before its body started (cancelled), or refused by the
     *                        executor (failed); the worker that later gets it finds it ended
     *   RUNNING -> WAITING   an async body returned its stage (by the runner, which then leaves)
     *   RUNNING -> CLOSING   closed while running
     *   RUNNING -> TIMED_OUT its run timeout passed
     *   RUNNING | CLOSING | TIMED_OUT -> ENDED   the body returned or threw
     *   WAITING -> ENDED     its stage completed (outcome = the stage's), or it was closed
     *                        (cancelled) or timed out (TIMEOUT): then the stage is cancelled
     *   ENDED   -> DONE      after it left the scheduler and the listeners heard of it
     *
     * Public view: PENDING = pending; ACTIVE, RUNNING, WAITING = active; CLOSING and on =
     * closed. Stages only move forward.
     *
     * Flags. INTERRUPTING: held by a closer from RUNNING -> CLOSING (or by the timer from
     * RUNNING -> TIMED_OUT) until its interrupt of the runner has been delivered; the runner
     * does not end while it is set, so the interrupt flag it clears on ending cannot arrive late
     * and hit the next job on that thread. FAILED: the outcome is a failure. REPORTED: the
     * failure goes (or went) to the exception handler, set when the job ends with no waiter, or
     * when the last waiter leaves without having taken it; a run timeout that passes with no
     * waiter sets it too, and is reported by the timer. OBSERVED: a waiter took the failure
     * (await or close returned it). One CAS sets REPORTED, so a failure is reported exactly
     * once. NOT_ADMITTED: see PENDING -> ENDED.
     */
    static final int PENDING = 0;
    static final int ACTIVE = 1;
    static final int RUNNING = 2;
    static final int WAITING = 3;
    static final int CLOSING = 4;
    static final int TIMED_OUT = 5;
    static final int ENDED = 6;
    static final int DONE = 7;
    private static final int STAGE = 7;
    private static final int INTERRUPTING = 1 << 3;
    private static final int FAILED = 1 << 4;
    private static final int REPORTED = 1 << 5;
    private static final int OBSERVED = 1 << 6;
    private static final int NOT_ADMITTED = 1 << 7;
    private static final int ONE_WAITER = 1 << 8;

    private volatile int state;

    /** Written by the claiming worker before ACTIVE -> RUNNING; read by closers that saw RUNNING. */
    Thread runner;
    /**
     * Written by the thread that moved the job to ENDED, right after; read by that thread, and by
     * any other once it has seen DONE.
     */
    Throwable failure;
    JobListener.Outcome outcome;
    /** Created by the first waiter (CAS); completed by the publisher once DONE. */
    private volatile CompletableFuture<Void> signal;

    private static final VarHandle STATE;
    private static final VarHandle SIGNAL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(JobState.class, "state", int.class);
            SIGNAL = lookup.findVarHandle(JobState.class, "signal", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int stage() {
        return this.state & STAGE;
    }

    private static int stage(int s) {
        return s & STAGE;
    }

    private static int withStage(int s, int stage) {
        return (s & ~STAGE) | stage;
    }

    private boolean cas(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    // ---- moves of the scheduler and its workers ----

    /** PENDING -> ACTIVE; under the scheduler's lock. */
    final void activate() {
        int s;
        do {
            s = this.state;
        } while (!cas(s, withStage(s, ACTIVE)));
    }

    /** PENDING -> ENDED, cancelled; under the scheduler's lock. False if it was not pending. */
    final boolean discard() {
        int s;
        do {
            s = this.state;
            if (stage(s) != PENDING) {
                return false;
            }
        } while (!cas(s, withStage(s, ENDED)));
        this.outcome = JobListener.Outcome.CANCELLED;
        return true;
    }

    /** PENDING -> ENDED, NOT_ADMITTED: came to the inbox after close; under the scheduler's lock. */
    final void refuseAdmission() {
        int s;
        do {
            s = this.state;
        } while (!cas(s, withStage(s, ENDED) | NOT_ADMITTED));
    }

    final boolean refusedAdmission() {
        return (this.state & NOT_ADMITTED) != 0;
    }

    /** ACTIVE -> RUNNING on the current thread; false if it was ended (closed) first. */
    final boolean claim() {
        this.runner = Thread.currentThread();
        int s;
        do {
            s = this.state;
            if (stage(s) != ACTIVE) {
                return false;
            }
        } while (!cas(s, withStage(s, RUNNING)));
        return true;
    }

    /** The executor refused the job: ACTIVE -> ENDED, failed. False if it was closed first. */
    final boolean refuse(Throwable error) {
        int s;
        do {
            s = this.state;
            if (stage(s) != ACTIVE) {
                return false;
            }
        } while (!cas(s, failedEnd(s)));
        this.failure = error;
        this.outcome = JobListener.Outcome.FAILURE;
        return true;
    }

    /**
     * The body returned ({@code thrown} null) or threw: RUNNING | CLOSING | TIMED_OUT -> ENDED.
     * By the runner.
     */
    final void end(Throwable thrown) {
        for (;;) {
            int s = this.state;
            if ((s & INTERRUPTING) != 0) {
                Thread.onSpinWait(); // a closer is delivering its interrupt: a few instructions
                continue;
            }
            JobListener.Outcome ended = Outcomes.of(thrown, stopped(stage(s)));
            if (cas(s, ended == JobListener.Outcome.FAILURE ? failedEnd(s) : withStage(s, ENDED))) {
                this.runner = null;
                this.failure = thrown;
                this.outcome = ended;
                return;
            }
        }
    }

    /** What a job asked to stop in {@code stage} ends as, unless it fails; null if not asked. */
    private static JobListener.Outcome stopped(int stage) {
        return stage == CLOSING ? JobListener.Outcome.CANCELLED
                : stage == TIMED_OUT ? JobListener.Outcome.TIMEOUT : null;
    }

    /**
     * An async body returned its stage: RUNNING -> WAITING, by the runner, which then leaves the
     * job. False if it was closed or timed out meanwhile (CLOSING, TIMED_OUT): the runner then
     * cancels the stage and ends the job as usual.
     */
    final boolean startWaiting() {
        int s;
        do {
            s = this.state;
            if (stage(s) != RUNNING) {
                return false;
            }
        } while (!cas(s, withStage(s, WAITING)));
        this.runner = null;
        return true;
    }

    /**
     * The stage of a WAITING job completed: WAITING -> ENDED with its outcome ({@code thrown}
     * null for a value). False if the job was closed or timed out first.
     */
    final boolean completeWaiting(Throwable thrown) {
        for (;;) {
            int s = this.state;
            if (stage(s) != WAITING) {
                return false;
            }
            JobListener.Outcome ended = Outcomes.of(thrown, null);
            if (cas(s, ended == JobListener.Outcome.FAILURE ? failedEnd(s) : withStage(s, ENDED))) {
                this.failure = thrown;
                this.outcome = ended;
                return true;
            }
        }
    }

    /**
     * The run timeout passed; returns the stage it found. RUNNING: now TIMED_OUT, its runner
     * interrupted. WAITING: now ENDED as TIMEOUT; the caller cancels the stage and ends the job.
     * Later stages: nothing done. When no waiter is in at that moment, the same CAS sets
     * REPORTED: the caller reports the timeout ({@link #reported()}).
     */
    final int expire() {
        for (;;) {
            int s = this.state;
            int stage = stage(s);
            int report = s >>> 8 == 0 ? REPORTED : 0;
            if (stage == WAITING && cas(s, withStage(s, ENDED) | report)) {
                this.outcome = JobListener.Outcome.TIMEOUT;
                return WAITING;
            }
            if (stage == RUNNING && cas(s, withStage(s, TIMED_OUT) | INTERRUPTING | report)) {
                interruptRunner();
                return RUNNING;
            }
            if (stage != WAITING && stage != RUNNING) {
                return stage;
            }
        }
    }

    private void interruptRunner() {
        this.runner.interrupt();
        int t;
        do {
            t = this.state;
        } while (!cas(t, t & ~INTERRUPTING));
    }

    private static int failedEnd(int s) {
        return withStage(s, ENDED) | FAILED | (s >>> 8 == 0 ? REPORTED : 0);
    }

    /**
     * Asks the job to stop; returns the stage it was in. PENDING: nothing done (the caller
     * discards it through the scheduler). ACTIVE: now ENDED, cancelled without having run; the
     * caller ends it. RUNNING: now CLOSING, its runner interrupted. WAITING: now ENDED,
     * cancelled; the caller cancels its stage and ends it. Later: nothing done. With
     * {@code asWaiter}, stopping a RUNNING job also registers the caller as a waiter, at once.
     */
    final int stop(boolean asWaiter) {
        for (;;) {
            int s = this.state;
            int stage = stage(s);
            if ((stage == ACTIVE || stage == WAITING) && cas(s, withStage(s, ENDED))) {
                this.outcome = JobListener.Outcome.CANCELLED;
                return stage;
            }
            if (stage == RUNNING
                    && cas(s, withStage(s, CLOSING) + INTERRUPTING + (asWaiter ? ONE_WAITER : 0))) {
                interruptRunner();
                return RUNNING;
            }
            if (stage != ACTIVE && stage != RUNNING && stage != WAITING) {
                return stage;
            }
        }
    }

    /** Whether the job's end has a failure to tell. Valid from ENDED on. */
    final boolean failed() {
        return (this.state & FAILED) != 0;
    }

    /**
     * ENDED -> DONE: the outcome shows, waiters wake (and dependants of a future run, on this
     * thread). Returns whether the caller must report the failure now.
     */
    final boolean markDone() {
        int s;
        int next;
        do {
            s = this.state;
            next = withStage(s, DONE);
            if (reportDue(next)) {
                next |= REPORTED;
            }
        } while (!cas(s, next));
        CompletableFuture<Void> done = this.signal;
        if (done != null) {
            done.complete(null);
        }
        return (next & (FAILED | REPORTED)) == (FAILED | REPORTED);
    }

    private static boolean reportDue(int s) {
        return (s & (FAILED | REPORTED | OBSERVED)) == FAILED && s >>> 8 == 0;
    }

    // ---- waiters ----

    /** Registers an await()/close() call; false if the job is DONE already. */
    final boolean addWaiter() {
        int s;
        do {
            s = this.state;
            if (stage(s) == DONE) {
                return false;
            }
        } while (!cas(s, s + ONE_WAITER));
        return true;
    }

    /**
     * Unregisters a waiter. With {@code take} (the waiter has the outcome), returns whether the
     * job failed, the failure now taken (OBSERVED). Without, returns whether the caller must
     * report the failure now: it was the last waiter of a DONE job whose failure nobody took.
     */
    final boolean leaveWaiting(boolean take) {
        for (;;) {
            int s = this.state;
            int next = s - ONE_WAITER;
            boolean result = false;
            if (take) {
                result = (s & FAILED) != 0;
                next |= result ? OBSERVED : 0;
            } else if (stage(s) == DONE && reportDue(next)) {
                next |= REPORTED;
                result = true;
            }
            if (cas(s, next)) {
                return result;
            }
        }
    }

    /** A waiter with the outcome in hand takes its failure. */
    final void observe() {
        int s;
        do {
            s = this.state;
        } while ((s & OBSERVED) == 0 && !cas(s, s | OBSERVED));
    }

    /** Whether the failure went to the exception handler. */
    final boolean reported() {
        return (this.state & REPORTED) != 0;
    }

    /** Waits until DONE; false if the time ran out. Negative {@code nanos}: no bound. */
    final boolean waitForDone(long nanos) throws InterruptedException {
        CompletableFuture<Void> done = signal();
        if (stage() == DONE) {
            return true;
        }
        try {
            if (nanos < 0) {
                done.get();
            } else {
                done.get(nanos, TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new AssertionError(e); // the signal only ever completes normally
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    /** The future completed once DONE (waiters write it, then read the stage: see markDone). */
    final CompletableFuture<Void> signal() {
        CompletableFuture<Void> done = this.signal;
        if (done == null) {
            CompletableFuture<Void> made = new CompletableFuture<>();
            @SuppressWarnings("unchecked")
            CompletableFuture<Void> raced = (CompletableFuture<Void>) SIGNAL.compareAndExchange(this, null, made);
            done = raced != null ? raced : made;
        }
        return done;
    }
}
