package io.aiojobs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The jobs that hold a slot, and the limit on how many may.
 *
 * <p>Not thread-safe: every method but {@link #size()} is called under {@link Admission}'s lock.
 * The set is a doubly linked list through {@link Job#prevActive}/{@link Job#nextActive} (fields
 * that serve this list alone), so that adding and removing cost a few writes and no
 * allocation. {@code size} is written with release stores (volatile ones when it drops) and
 * may be read from any thread.
 */
final class ActiveSet {

    private final int limit;
    private Job<?> head;
    private volatile int size;
    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(ActiveSet.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @param limit the most jobs that may hold a slot; 0 for no limit */
    ActiveSet(int limit) {
        this.limit = limit;
    }

    int limit() {
        return this.limit;
    }

    /** How many jobs hold a slot; any thread. */
    int size() {
        return this.size;
    }

    boolean hasFreeSlot() {
        return this.limit == 0 || this.size < this.limit;
    }

    /** Gives {@code job} a slot (the caller has checked {@link #hasFreeSlot()}). */
    void add(Job<?> job) {
        link(job);
        SIZE.setRelease(this, this.size + 1);
    }

    /**
     * Takes {@code job}'s slot back; {@code false} if it holds none (closing gave up on it
     * already), so that a late end frees nothing twice.
     */
    boolean remove(Job<?> job) {
        if (!unlink(job)) {
            return false;
        }
        // Volatile, not release: the thread that frees a slot then looks at the pending
        // queue's inbox, and a lock-free spawner pushes then looks here (see Admission).
        SIZE.setVolatile(this, this.size - 1);
        return true;
    }

    /** Whether {@code job} holds a slot. */
    boolean contains(Job<?> job) {
        return job.prevActive != null || this.head == job;
    }

    /** Passes {@code job}'s slot straight to {@code next}; the count does not change. */
    boolean handOver(Job<?> job, Job<?> next) {
        if (!unlink(job)) {
            return false;
        }
        link(next);
        return true;
    }

    /** The jobs holding a slot, newest first, into {@code into}. */
    void copyTo(List<Job<?>> into) {
        for (Job<?> job = this.head; job != null; job = job.nextActive) {
            into.add(job);
        }
    }

    private void link(Job<?> job) {
        job.prevActive = null;
        job.nextActive = this.head;
        if (this.head != null) {
            this.head.prevActive = job;
        }
        this.head = job;
    }

    private boolean unlink(Job<?> job) {
        if (job.prevActive == null && this.head != job) {
            return false;
        }
        if (job.prevActive != null) {
            job.prevActive.nextActive = job.nextActive;
        } else {
            this.head = job.nextActive;
        }
        if (job.nextActive != null) {
            job.nextActive.prevActive = job.prevActive;
        }
        job.prevActive = null;
        job.nextActive = null;
        return true;
    }
}
