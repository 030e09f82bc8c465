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
 * ticks (about a second) it parks; the next reader reads the real clock, refreshes the value and
 * wakes it. So an idle application has no thread waking up, and no value is ever more than a
 * tick (or however long the thread waits for a CPU) behind the real clock. Thread-safe.
 */
final class CoarseClock {

    /** How often the value is refreshed while in use. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Ticks without a reader after which the thread parks. */
    static final int IDLE_TICKS = 1000;

    private static volatile long now = System.nanoTime();
    /** Whether the thread refreshes now; written under the class's monitor (and by the thread). */
    private static volatile boolean ticking;
    /** Set by readers, cleared by each tick: whether anyone read since the last one. */
    private static volatile boolean read;
    private static Thread ticker;

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
        if (!ticking) {
            now = real;
            read = true;
            ticking = true; // after now: a reader who sees ticking sees a fresh value
            if (ticker == null) {
                // Nothing of the first reader's thread must stay reachable from this one, which
                // lives as long as the JVM: no inherited thread locals, no class loader.
                ticker = new Thread(null, CoarseClock::tick, "io.aiojobs.CoarseClock", 0, false);
                ticker.setContextClassLoader(null);
                ticker.setDaemon(true);
                ticker.start();
            } else {
                LockSupport.unpark(ticker);
            }
        }
        return real;
    }

    private static void tick() {
        int idle = 0;
        while (true) {
            now = System.nanoTime();
            LockSupport.parkNanos(TICK_NANOS);
            if (read) {
                read = false;
                idle = 0;
            } else if (++idle >= IDLE_TICKS) {
                idle = 0;
                sleepUntilRead();
            }
        }
    }

    /** Stops ticking until a reader finds the clock stopped and wakes this thread. */
    private static void sleepUntilRead() {
        synchronized (CoarseClock.class) {
            ticking = false;
        }
        // wake() sets ticking before it unparks; a spurious return just ticks again a while.
        while (!ticking) {
            LockSupport.park(CoarseClock.class);
        }
    }
}
