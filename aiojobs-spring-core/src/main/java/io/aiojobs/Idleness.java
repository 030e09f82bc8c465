package io.aiojobs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What {@code waitAndClose} and {@code close} wait on: a condition of {@link Admission}'s lock,
 * signalled when little work is left, and the count of jobs that have left but whose end is
 * still being told (listeners, exception handler), which they wait for too.
 *
 * <p>Thread-safety: {@code reporting} is atomic, because it is decremented without the lock;
 * {@code waiters} is written under the lock and read without it by {@link #reportingEnded()}.
 * The thread that decrements {@code reporting} then reads {@code waiters}, and a waiter writes
 * {@code waiters} before it reads {@code reporting}: both volatile, so one of the two always
 * sees the other and no wake-up is lost. Everything else is called under the lock.
 */
final class Idleness {

    /** Waiters are woken when this much work or less is left (each may be up to this much itself). */
    private static final int NEARLY = 3;

    private final ReentrantLock lock;
    private final Condition idle;
    private final AtomicInteger reporting = new AtomicInteger();
    private volatile int waiters;

    Idleness(ReentrantLock lock) {
        this.lock = lock;
        this.idle = lock.newCondition();
    }

    /** A job about to leave will have its end told: waitAndClose waits for that too. */
    void reportingStarted() {
        this.reporting.incrementAndGet();
    }

    /** Any thread, without the lock. */
    void reportingEnded() {
        if (this.reporting.decrementAndGet() <= NEARLY && this.waiters > 0) {
            this.lock.lock();
            try {
                this.idle.signalAll();
            } finally {
                this.lock.unlock();
            }
        }
    }

    int reporting() {
        return this.reporting.get();
    }

    /** Under the lock: wakes the waiters if at most a few jobs and shields are left. */
    void signalIfNearlyIdleLocked(int activeAndShields) {
        if (this.waiters > 0 && activeAndShields <= NEARLY) {
            this.idle.signalAll();
        }
    }

    /** Under the lock: wakes every waiter (the scheduler closed). */
    void signalAllLocked() {
        this.idle.signalAll();
    }

    /**
     * Under the lock: waits up to {@code nanos} until {@code done} holds.
     *
     * @return true if it does, false if the time ran out or the caller was interrupted (flag restored)
     */
    boolean awaitLocked(long nanos, java.util.function.BooleanSupplier done) {
        this.waiters++;
        try {
            while (!done.getAsBoolean()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = this.idle.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            this.waiters--;
        }
    }
}
