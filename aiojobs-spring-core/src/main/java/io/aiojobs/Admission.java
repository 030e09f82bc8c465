package io.aiojobs;

// Over 400 lines; it cannot be split without spreading the one lock: see the class comment.

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who may run: the limit, the pending queue, the shields, and whether the scheduler is paused or
 * closed. This is where the limit is enforced and where {@code spawn} blocks.
 *
 * <p>{@link #lock} is the core's only lock. It guards the {@link PendingQueue}, the
 * {@link ActiveSet}, {@code shields}, {@code paused}, {@code blockedSpawners}, the numbering of
 * jobs, writes of {@code closed}, and every move of a job out of the
 * {@code PENDING} state. Nothing else is called while it is held: no task, listener, exception
 * handler, decorator, executor or thread factory, and no wait for a job; so there is no lock
 * order to keep but "take it last, hold it briefly". The invariant it keeps: while a slot is
 * free and the scheduler is neither paused nor closed, no job is pending.
 *
 * <p>One path takes no lock: a spawn that finds every slot busy pushes its job on the pending
 * queue's inbox ({@link PendingQueue#offerLockFree}). A slot may free between its look at the
 * slots and its push, and the thread that freed it may have looked at the inbox before the
 * push: so the spawner looks at the slots again after the push, and the thread that frees a
 * slot looks at the inbox again after the decrement (a volatile store, then a volatile read, on
 * both sides: one of the two sees the other). Likewise close() sets {@code closed} before it
 * empties the inbox, and a spawner that sees {@code closed} after its push takes the lock to
 * find out whether its job was dropped (spawn returns it, cancelled) or came too late (its
 * spawn throws).
 *
 * <p>Why this file passes 400 lines and cannot be split: it holds every critical section of the
 * one lock, on purpose, so that what the lock guards and every place that holds it can be read
 * together; the structures it guards are rooms of their own.
 *
 * <p>What waitAndClose and close wait on is a condition of this lock, in {@link Idleness}.
 */
final class Admission {

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a place frees in the pending queue, for spawners blocked on a full one. */
    private final Condition notFull = this.lock.newCondition();
    private final PendingQueue pending;
    private final ActiveSet active;
    private final Set<Shield<?>> shields = new HashSet<>();
    final Idleness idleness = new Idleness(this.lock);
    /** Written under the lock; read without it by isClosed() and spawners' first check. */
    private volatile boolean closed;
    /** Written under the lock; read without it by the lock-free spawn path. */
    private volatile boolean paused;
    /** Written under the lock; read without it by the lock-free spawn path (which yields to them). */
    private volatile int blockedSpawners;

    Admission(int limit, int pendingLimit, boolean paused) {
        this.active = new ActiveSet(limit);
        this.pending = new PendingQueue(pendingLimit);
        this.paused = paused;
    }

    int activeCount() {
        return this.active.size();
    }

    int pendingCount() {
        return this.pending.size();
    }

    boolean isClosed() {
        return this.closed;
    }

    boolean isPaused() {
        return this.paused; // a stale read is harmless: it only ever turns false
    }

    // ---- spawning ----

    /**
     * Admits a new job: gives it a slot if one is free, else queues it. Returns the job to
     * dispatch now, if any: this one, or an older one that a slot freed for meanwhile (then the
     * caller calls {@link #promote()} until it returns null, since this one may fit too). A full
     * queue blocks the caller for up to {@code queueNanos}, forever when negative; a paused
     * scheduler never blocks.
     *
     * @throws RejectedExecutionException if closed (also while blocked), or interrupted
     * @throws QueueFullException if the queue stayed full for {@code queueNanos}
     */
    Job<?> admit(Job<?> job, long queueNanos) {
        if (this.blockedSpawners == 0 && !this.paused && !this.closed && !this.active.hasFreeSlot()
                && this.pending.reserve()) {
            this.pending.pushReserved(job);
            // Pushed without the lock; look again (see the class comment).
            return this.closed || this.active.hasFreeSlot() ? afterLockFreePush(job) : null;
        }
        this.lock.lock();
        try {
            if (this.closed) {
                throw new RejectedExecutionException(JobScheduler.CLOSED_MESSAGE);
            }
            takeInboxLocked();
            if (!this.paused && this.active.hasFreeSlot() && this.pending.size() == 0) {
                job.activate();
                this.active.add(job);
                return job;
            }
            boolean waited = false;
            if (this.paused) {
                this.pending.addUnbounded(job);
            } else {
                waited = !this.pending.reserve();
                if (waited) {
                    awaitRoomLocked(queueNanos);
                }
                this.pending.addReserved(job);
            }
            // Older jobs pushed without the lock may have raced a freed slot: they go first.
            Job<?> first = promoteLocked();
            if (waited && this.pending.hasRoom()) {
                roomFreedLocked(); // woken for a place it did not take, or one of several
            }
            return first;
        } finally {
            this.lock.unlock();
        }
    }

    private Job<?> afterLockFreePush(Job<?> job) {
        this.lock.lock();
        try {
            takeInboxLocked();
            if (job.refusedAdmission()) {
                throw new RejectedExecutionException(JobScheduler.CLOSED_MESSAGE);
            }
            return promoteLocked();
        } finally {
            this.lock.unlock();
        }
    }

    /** The oldest pending job, given a free slot; null if none waits or no slot is free. */
    Job<?> promote() {
        this.lock.lock();
        try {
            takeInboxLocked();
            return promoteLocked();
        } finally {
            this.lock.unlock();
        }
    }

    private Job<?> promoteLocked() {
        if (this.closed || this.paused || !this.active.hasFreeSlot()) {
            return null;
        }
        Job<?> job = this.pending.poll();
        if (job != null) {
            job.activate();
            this.active.add(job);
            roomFreedLocked();
        }
        return job;
    }

    /**
     * Moves the jobs pushed without the lock into the queue; once closed, refuses them instead
     * (their spawners throw). Every path that looks at the queue under the lock calls it first.
     */
    private void takeInboxLocked() {
        if (this.pending.inboxEmpty()) {
            return;
        }
        List<Job<?>> taken = this.pending.takeInbox();
        if (!this.closed) {
            this.pending.append(taken);
            return;
        }
        for (Job<?> job : taken) {
            job.refuseAdmission();
        }
        this.pending.uncount(taken.size());
        signalIfNearlyIdleLocked();
    }

    private void awaitRoomLocked(long queueNanos) {
        long nanos = queueNanos;
        this.blockedSpawners++;
        try {
            while (!this.pending.reserve()) {
                if (queueNanos >= 0 && nanos <= 0) {
                    passOnRoomLocked();
                    throw new QueueFullException("The pending queue is full (" + this.pending.limit()
                            + " jobs) and stayed full for " + Durations.format(Duration.ofNanos(queueNanos)));
                }
                try {
                    if (queueNanos < 0) {
                        this.notFull.await();
                    } else {
                        nanos = this.notFull.awaitNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    passOnRoomLocked();
                    throw new RejectedExecutionException(
                            "Interrupted while waiting for a place in the pending queue", e);
                }
                if (this.closed) {
                    throw new RejectedExecutionException(JobScheduler.CLOSED_MESSAGE);
                }
            }
        } finally {
            this.blockedSpawners--;
        }
    }

    /** A signal this spawner may have taken, for a place it will not use, goes to the next one. */
    private void passOnRoomLocked() {
        if (this.blockedSpawners > 1 && this.pending.hasRoom()) {
            this.notFull.signal();
        }
    }

    private void roomFreedLocked() {
        if (this.blockedSpawners > 0) {
            this.notFull.signal();
        }
    }

    // ---- ending ----

    /**
     * An active job has ended (or was closed before it started): it gives its slot back, straight
     * to the oldest pending job if one may start, which is returned activated, to be run next.
     * Returns null, freeing nothing, if closing gave up on the job already.
     */
    Job<?> leave(Job<?> job) {
        this.lock.lock();
        try {
            boolean open = !this.closed && !this.paused;
            if (open) {
                takeInboxLocked();
                Job<?> next = this.pending.poll();
                if (next != null) {
                    next.activate();
                    if (!this.active.handOver(job, next)) {
                        this.active.add(next); // not reached: an open scheduler gives up on no job
                    }
                    roomFreedLocked();
                    return next;
                }
            }
            if (!this.active.remove(job)) {
                return null;
            }
            // A spawner that pushed before the decrement may have seen no free slot.
            Job<?> next = open && !this.pending.inboxEmpty() ? promoteAfterInboxLocked() : null;
            if (next == null) {
                signalIfNearlyIdleLocked();
            }
            return next;
        } finally {
            this.lock.unlock();
        }
    }

    private Job<?> promoteAfterInboxLocked() {
        takeInboxLocked();
        return promoteLocked();
    }

    /** Closes a queued job: it leaves the queue, ended. False if it was not queued any more. */
    boolean discard(Job<?> job) {
        this.lock.lock();
        try {
            takeInboxLocked();
            if (!job.discard()) {
                return false;
            }
            this.pending.remove(job);
            roomFreedLocked();
            signalIfNearlyIdleLocked();
            return true;
        } finally {
            this.lock.unlock();
        }
    }

    /** Unpauses; returns the pending jobs that now have a slot, activated, to be dispatched. */
    List<Job<?>> resume() {
        List<Job<?>> started = new ArrayList<>();
        this.lock.lock();
        try {
            if (!this.paused) {
                return started;
            }
            this.paused = false;
            takeInboxLocked();
            Job<?> job;
            while ((job = promoteLocked()) != null) {
                started.add(job);
            }
        } finally {
            this.lock.unlock();
        }
        return started;
    }

    // ---- shields ----

    void addShield(Shield<?> shield) {
        this.lock.lock();
        try {
            if (this.closed) {
                throw new RejectedExecutionException(JobScheduler.CLOSED_MESSAGE);
            }
            this.shields.add(shield);
        } finally {
            this.lock.unlock();
        }
    }

    void removeShield(Shield<?> shield) {
        this.lock.lock();
        try {
            if (this.shields.remove(shield)) {
                signalIfNearlyIdleLocked();
            }
        } finally {
            this.lock.unlock();
        }
    }

    // ---- idleness ----

    /**
     * Waits until at most {@code self} pieces of work are left (the caller's own job, shield or
     * report), or the scheduler is closed.
     *
     * @return true if so, false if the time ran out or the caller was interrupted (flag restored)
     */
    boolean awaitIdle(long nanos, int self) {
        this.lock.lock();
        try {
            return this.idleness.awaitLocked(nanos, () -> this.closed || workLocked() <= self);
        } finally {
            this.lock.unlock();
        }
    }

    private int workLocked() {
        return this.active.size() + this.pending.size() + this.shields.size() + this.idleness.reporting();
    }

    private void signalIfNearlyIdleLocked() {
        this.idleness.signalIfNearlyIdleLocked(this.active.size() + this.shields.size());
    }

    // ---- closing ----

    /** What close() found to stop: the pending jobs it dropped (ended), the active ones and the shields. */
    record Closing(List<Job<?>> dropped, List<Job<?>> active, List<Shield<?>> shields) {
    }

    /** Marks the scheduler closed and takes what is left; null if it was closed already. */
    Closing close() {
        this.lock.lock();
        try {
            if (this.closed) {
                return null;
            }
            this.closed = true;
            this.paused = false;
            // After closed is set: a job pushed from here on is refused (takeInboxLocked).
            this.pending.append(this.pending.takeInbox());
            List<Job<?>> dropped = this.pending.drain();
            for (Job<?> job : dropped) {
                job.discard();
            }
            List<Job<?>> running = new ArrayList<>(this.active.size());
            this.active.copyTo(running);
            this.notFull.signalAll();
            this.idleness.signalAllLocked();
            return new Closing(dropped, running, new ArrayList<>(this.shields));
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Waits up to {@code nanos} until no active job and no shield is left but the caller's own
     * (at most {@code allowed}); then takes what is left out of the scheduler, given up on.
     */
    Closing awaitStopped(long nanos, int allowed, Job<?> selfJob, Shield<?> selfShield) {
        this.lock.lock();
        try {
            this.idleness.awaitLocked(nanos, () -> this.active.size() + this.shields.size() <= allowed);
            List<Job<?>> stuck = new ArrayList<>();
            this.active.copyTo(stuck);
            stuck.remove(selfJob);
            for (Job<?> job : stuck) {
                this.active.remove(job);
            }
            List<Shield<?>> stuckShields = new ArrayList<>(this.shields);
            stuckShields.remove(selfShield);
            this.shields.clear();
            return new Closing(List.of(), stuck, stuckShields);
        } finally {
            this.lock.unlock();
        }
    }

    // ---- the collection view ----

    /** Active jobs, then pending ones in queue order; one consistent instant. */
    List<Job<?>> snapshot() {
        this.lock.lock();
        try {
            takeInboxLocked();
            List<Job<?>> jobs = new ArrayList<>(this.active.size() + this.pending.size());
            this.active.copyTo(jobs);
            this.pending.copyTo(jobs);
            return jobs;
        } finally {
            this.lock.unlock();
        }
    }

    /** Whether {@code job} is queued or holds a slot. */
    boolean contains(Job<?> job) {
        this.lock.lock();
        try {
            return job.isQueued() || this.active.contains(job);
        } finally {
            this.lock.unlock();
        }
    }

    /** Active plus pending at one instant. */
    int size() {
        this.lock.lock();
        try {
            return this.active.size() + this.pending.size();
        } finally {
            this.lock.unlock();
        }
    }
}
