package io.aiojobs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link System#nanoTime()} that is cheap to read and about a millisecond stale: what a job's
 * spawn time needs for {@link Job#age()}.
 *
 * <p>Why: reading the real clock costs 20-60 ns on the machines we measured, as much as the
 * rest of a spawn, and more when the spawning thread has memory traffic in flight, since the
 * time-stamp instruction waits for it. A value that one thread refreshes every millisecond costs
 * a plain load instead.
 *
 * <p>One daemon thread, {@code io.aiojobs.CoarseClock}, shared by every scheduler in the JVM,
 * refreshes it while jobs are being spawned. Once nobody has read it for {@link #IDLE_TICKS}
 * ticks (about a second) the thread ends. Readers then get the real clock, and the thread starts
 * again only when two of them come within {@link #BUSY_NANOS}: an idle application has no such
 * thread, one that spawns a job now and then reads the real clock for it, and no value is ever
 * more than a tick (or however long the thread waits for a CPU) behind the real clock.
 * Thread-safe.
 */
final class CoarseClock {

    /** How often the value is refreshed while in use. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Ticks without a reader after which the thread ends. */
    static final int IDLE_TICKS = 1000;
    /** Reads of the stopped clock closer together than this start the thread. */
    static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static volatile long now = System.nanoTime();
    /** Whether a thread refreshes now; written under the class's monitor. */
    private static volatile boolean ticking;
    /** Set by readers, cleared by each tick: whether anyone read since the last one. */
    private static volatile boolean read;
    /** When the stopped clock was last read; guarded by the class's monitor. */
    private static long lastStoppedRead = System.nanoTime() - 2 * BUSY_NANOS;

    private CoarseClock() {
    }

    /**
     * The real clock's value, as of at most about a millisecond ago; never ahead of
     * {@link System#nanoTime()}.
     */
    static long nanoTime() {
        if (!ticking) {
            return wake();
        }
        if (!read) {
            read = true; // written once per tick at most, so the line stays with its readers
        }
        return now;
    }

    private static synchronized long wake() {
        long real = System.nanoTime();
        boolean busy = real - lastStoppedRead < BUSY_NANOS;
        lastStoppedRead = real;
        if (!ticking && busy) {
            now = real;
            read = true;
            ticking = true; // after now: a reader who sees ticking sees a fresh value
            // Nothing of the reader's thread must stay reachable from this one: no inherited
            // thread locals, no class loader.
            Thread ticker = new Thread(null, CoarseClock::tick, "io.aiojobs.CoarseClock", 0, false);
            ticker.setContextClassLoader(null);
            ticker.setDaemon(true);
            ticker.start();
        }
        return real;
    }

    private static void tick() {
        int idle = 0;
        do {
            now = System.nanoTime();
            LockSupport.parkNanos(TICK_NANOS);
            if (read) {
                read = false;
                idle = 0;
            }
        } while (++idle < IDLE_TICKS || !stop());
    }

    /** Ends ticking, unless a reader came meanwhile; the next reader starts a new thread. */
    private static synchronized boolean stop() {
        if (read) {
            return false;
        }
        ticking = false;
        return true;
    }
}
