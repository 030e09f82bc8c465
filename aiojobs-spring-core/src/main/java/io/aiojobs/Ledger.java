package io.aiojobs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The ledger of a shutdown, written into a {@link CloseReport}: opened when waitAndClose (or
 * close, called directly) begins, counting every job that ends from then on by its outcome
 * (Ending counts each job once, just before it leaves the scheduler), and finished by the close
 * sequence with what it gave up on.
 *
 * <p>State: {@code open}, the ledger being written (null before and after), and {@code report},
 * set once; both volatile, written under this object's monitor, read without it. A job's end
 * pays one volatile read when no shutdown is under way. Counts are atomic: jobs end on many
 * threads at once.
 */
final class Ledger {

    private static final class Open {
        final long startNanos = System.nanoTime();
        final AtomicIntegerArray counts = new AtomicIntegerArray(JobListener.Outcome.values().length);
    }

    private volatile Open open;
    private volatile CloseReport report;

    /** waitAndClose or close begins; the first one since the scheduler was made opens the ledger. */
    synchronized void begin() {
        if (this.open == null && this.report == null) {
            this.open = new Open();
        }
    }

    /** A job ends with {@code outcome}; counted while a shutdown is under way. */
    void count(JobListener.Outcome outcome) {
        Open open = this.open;
        if (open != null) {
            open.counts.incrementAndGet(outcome.ordinal());
        }
    }

    /** The scheduler has closed, giving up on {@code stillRunning}: the report is written. */
    synchronized void finish(List<String> stillRunning) {
        Open open = this.open;
        if (open == null) {
            return;
        }
        this.open = null;
        AtomicIntegerArray counts = open.counts;
        this.report = new CloseReport(Duration.ofNanos(System.nanoTime() - open.startNanos),
                counts.get(JobListener.Outcome.SUCCESS.ordinal()),
                counts.get(JobListener.Outcome.FAILURE.ordinal()),
                counts.get(JobListener.Outcome.CANCELLED.ordinal()),
                counts.get(JobListener.Outcome.TIMEOUT.ordinal()),
                stillRunning);
    }

    Optional<CloseReport> report() {
        return Optional.ofNullable(this.report);
    }
}
