package io.aiojobs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs waiting for a slot, oldest first, and the pending limit.
 *
 * <p>Thread-safety: {@link #reserve}, {@link #pushReserved}, {@link #size()} and
 * {@link #inboxEmpty()} may be called from any thread; every other method under {@link Admission}'s lock, which
 * {@link #takeInbox()} first.
 *
 * <p>The queue has two parts. A spawner that finds every slot busy does not take the lock that
 * the threads ending jobs take: it reserves a place in {@code size} by CAS and pushes its job on
 * the <em>inbox</em>, a stack linked through {@link Job#nextPending}, newest first, by CAS
 * ({@link #pushReserved}). Spawners under the lock reserve their place by the same CAS, so the
 * limit holds whichever way a job comes in. Whoever holds the lock next moves the inbox to the end of the deque,
 * in spawn order. Why: with the lock taken by every spawn, a burst of spawns and the job ends it
 * causes contend for it on every job, and a contended lock parks and wakes threads; the A/B of
 * the core without the inbox against this one measured 1.7-2.1x the time per job at limits 1,
 * 16 and 100 on platform threads (see benchmarks/README.md).
 *
 * <p>{@code size} counts the live jobs of both parts; it is changed by CAS or atomic adds only
 * (spawners reserve places in it without the lock). A job closed while pending leaves the count
 * at once but stays in the deque as a ghost (its state is no longer {@linkplain Job#isQueued()
 * queued}) until it is polled, or until ghosts outnumber the live jobs and the deque is
 * compacted: closing every job of a long queue one by one must not cost a scan each.
 */
final class PendingQueue {

    /** Deques that held more than this many jobs are let go once empty (an ArrayDeque never shrinks). */
    private static final int TRIM_ABOVE = 1024;

    private final int limit;
    private ArrayDeque<Job<?>> jobs = new ArrayDeque<>();
    /** The most jobs the deque has held since it was last renewed: its array's size, roughly. */
    private int peak;
    /** Live jobs in the deque and the inbox. */
    private volatile int size;
    /** The newest job pushed without the lock, or null. */
    private volatile Job<?> inbox;
    private static final VarHandle SIZE;
    private static final VarHandle INBOX;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(PendingQueue.class, "size", int.class);
            INBOX = lookup.findVarHandle(PendingQueue.class, "inbox", Job.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @param limit the most jobs that may wait; 0 for no bound */
    PendingQueue(int limit) {
        this.limit = limit;
    }

    int limit() {
        return this.limit;
    }

    /** How many jobs wait; any thread. */
    int size() {
        return this.size;
    }

    /** Whether one more job may wait. */
    boolean hasRoom() {
        return this.limit == 0 || this.size < this.limit;
    }

    /** Any thread: takes a place in the queue, if one is free; every job that queues takes one first. */
    boolean reserve() {
        int n;
        do {
            n = this.size;
            if (this.limit != 0 && n >= this.limit) {
                return false;
            }
        } while (!SIZE.weakCompareAndSet(this, n, n + 1));
        return true;
    }

    /**
     * Any thread: queues a job that has its place ({@link #reserve}) without the lock. The
     * caller then rechecks for a slot freed meanwhile (see Admission).
     */
    void pushReserved(Job<?> job) {
        Job<?> top;
        do {
            top = this.inbox;
            job.nextPending = top;
        } while (!INBOX.weakCompareAndSet(this, top, job));
    }

    /** Any thread: whether no job waits in the inbox. */
    boolean inboxEmpty() {
        return this.inbox == null;
    }

    /** Takes the inbox's jobs out, oldest first; they still count in size. */
    List<Job<?>> takeInbox() {
        if (this.inbox == null) {
            return List.of();
        }
        Job<?> newest = (Job<?>) INBOX.getAndSet(this, null);
        List<Job<?>> taken = new ArrayList<>();
        for (Job<?> job = newest; job != null; ) {
            Job<?> older = job.nextPending;
            job.nextPending = null;
            taken.add(job);
            job = older;
        }
        java.util.Collections.reverse(taken);
        return taken;
    }

    /** Queues jobs taken from the inbox, in order, at the end (they count already). */
    void append(List<Job<?>> taken) {
        for (Job<?> job : taken) {
            this.jobs.addLast(job);
        }
        this.peak = Math.max(this.peak, this.jobs.size());
    }

    /** Queues a job that has its place ({@link #reserve}), last. */
    void addReserved(Job<?> job) {
        this.jobs.addLast(job);
        this.peak = Math.max(this.peak, this.jobs.size());
    }

    /** Queues a job beyond the limit (a paused scheduler holds every job it is given). */
    void addUnbounded(Job<?> job) {
        SIZE.getAndAdd(this, 1);
        addReserved(job);
    }

    /** Takes the oldest queued job out; null when none waits. The caller activates it. */
    Job<?> poll() {
        Job<?> job;
        while ((job = this.jobs.pollFirst()) != null && !job.isQueued()) {
            // a ghost: it left the count when it was closed
        }
        if (job != null) {
            SIZE.getAndAdd(this, -1);
        }
        if (this.jobs.isEmpty() && this.peak > TRIM_ABOVE) {
            this.jobs = new ArrayDeque<>();
            this.peak = 0;
        }
        return job;
    }

    /** Jobs taken from the inbox that will not queue (refused after close): they leave the count. */
    void uncount(int jobs) {
        SIZE.getAndAdd(this, -jobs);
    }

    /** A queued job was closed (its state says so): it leaves the count. */
    void remove(Job<?> job) {
        SIZE.getAndAdd(this, -1);
        if (this.jobs.peekLast() == job) {
            this.jobs.pollLast();
        } else if (this.jobs.size() > 2 * this.size + 16) {
            this.jobs.removeIf(ghost -> !ghost.isQueued());
        }
    }

    /** Takes every queued job of the deque out, oldest first; the caller ends them. */
    List<Job<?>> drain() {
        List<Job<?>> drained = new ArrayList<>();
        copyTo(drained);
        this.jobs = new ArrayDeque<>();
        this.peak = 0;
        SIZE.getAndAdd(this, -drained.size());
        return drained;
    }

    /** The queued jobs of the deque, oldest first, into {@code into}. */
    void copyTo(List<Job<?>> into) {
        for (Job<?> job : this.jobs) {
            if (job.isQueued()) {
                into.add(job);
            }
        }
    }
}
