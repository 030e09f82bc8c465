package io.aiojobs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs waiting for a slot, oldest first, and the pending limit.
 *
 * <p>Not thread-safe: every method but {@link #size()} is called under {@link Admission}'s lock.
 * {@code size} is written there with release stores and may be read from any thread.
 *
 * <p>A job closed while pending leaves the count at once but stays in the deque as a ghost
 * (its state is no longer {@link Job#isQueued() queued}) until it is polled, or until ghosts
 * outnumber the live jobs and the deque is compacted: removing from the middle of an
 * {@code ArrayDeque} costs a scan, and closing every job of a long queue one by one must not
 * cost a scan each.
 */
final class PendingQueue {

    /** Deques that held more than this many jobs are let go once empty (an ArrayDeque never shrinks). */
    private static final int TRIM_ABOVE = 1024;

    private final int limit;
    private ArrayDeque<Job<?>> jobs = new ArrayDeque<>();
    /** The most jobs the deque has held since it was last renewed: its array's size, roughly. */
    private int peak;
    /** Live (queued) jobs; the deque may hold ghosts besides. */
    private volatile int size;
    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(PendingQueue.class, "size", int.class);
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

    boolean isEmpty() {
        return this.size == 0;
    }

    /** Whether one more job may wait. */
    boolean hasRoom() {
        return this.limit == 0 || this.size < this.limit;
    }

    /** Queues a job, last (the caller has checked {@link #hasRoom()}, unless paused). */
    void add(Job<?> job) {
        this.jobs.addLast(job);
        setSize(this.size + 1);
        this.peak = Math.max(this.peak, this.jobs.size());
    }

    /** Takes the oldest queued job out; null when none waits. The caller activates it. */
    Job<?> poll() {
        Job<?> job;
        while ((job = this.jobs.pollFirst()) != null && !job.isQueued()) {
            // a ghost: it left the count when it was closed
        }
        if (job != null) {
            setSize(this.size - 1);
        }
        if (this.jobs.isEmpty() && this.peak > TRIM_ABOVE) {
            this.jobs = new ArrayDeque<>();
            this.peak = 0;
        }
        return job;
    }

    /** A queued job was closed (its state already says so): it leaves the count. */
    void remove(Job<?> job) {
        setSize(this.size - 1);
        if (this.jobs.peekLast() == job) {
            this.jobs.pollLast();
        } else if (this.jobs.size() > 2 * this.size + 16) {
            this.jobs.removeIf(ghost -> !ghost.isQueued());
        }
    }

    /** Takes every queued job out, oldest first; the caller ends them. */
    List<Job<?>> drain() {
        List<Job<?>> drained = new ArrayList<>(this.size);
        for (Job<?> job : this.jobs) {
            if (job.isQueued()) {
                drained.add(job);
            }
        }
        this.jobs = new ArrayDeque<>();
        this.peak = 0;
        setSize(0);
        return drained;
    }

    /** The queued jobs, oldest first, into {@code into}. */
    void copyTo(List<Job<?>> into) {
        for (Job<?> job : this.jobs) {
            if (job.isQueued()) {
                into.add(job);
            }
        }
    }

    /** A release store: lock-free readers see each new count, without a volatile store's fence. */
    private void setSize(int newSize) {
        SIZE.setRelease(this, newSize);
    }
}
