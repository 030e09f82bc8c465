package io.aiojobs;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The ledger of a scheduler's shutdown, from {@link JobScheduler#closeReport()}: how long
 * {@link JobScheduler#waitAndClose()} (or {@link JobScheduler#close()}, called directly) took in
 * all, how many jobs ended from the moment it began by each outcome, and what was still running
 * when closing gave up on it. Immutable and thread-safe.
 *
 * @param took how long waitAndClose (its grace period included) or close took, from its start to
 *     the scheduler closed
 * @param completed jobs that ended successfully meanwhile
 * @param failed jobs that ended by failing meanwhile
 * @param cancelled jobs closed or interrupted meanwhile, pending jobs dropped unrun included
 * @param timedOut jobs that ran past their run timeout meanwhile
 * @param stillRunning names of the jobs still running when close gave up on them after its close
 *     timeout ({@code "shield"} for each piece of shielded work), in no particular order
 */
public record CloseReport(Duration took, int completed, int failed, int cancelled, int timedOut,
        List<String> stillRunning) {

    /**
     * Checks and copies the components.
     *
     * @param took how long the shutdown took
     * @param completed jobs that ended successfully
     * @param failed jobs that failed
     * @param cancelled jobs cancelled, dropped ones included
     * @param timedOut jobs that ran past their run timeout
     * @param stillRunning names of what close gave up on
     * @throws NullPointerException if {@code took} or {@code stillRunning} (or a name in it) is
     *     {@code null}
     * @throws IllegalArgumentException if {@code took} or a count is negative
     */
    public CloseReport {
        Objects.requireNonNull(took, "took");
        if (took.isNegative() || completed < 0 || failed < 0 || cancelled < 0 || timedOut < 0) {
            throw new IllegalArgumentException("negative duration or count in a close report");
        }
        stillRunning = List.copyOf(stillRunning);
    }

    /**
     * Whether the shutdown cut nothing short: no job was cancelled, timed out or left running.
     * (Jobs that failed by themselves do not count against it.)
     *
     * @return {@code true} when every job ended on its own
     */
    public boolean clean() {
        return this.cancelled == 0 && this.timedOut == 0 && this.stillRunning.isEmpty();
    }

    /**
     * The report in one line, e.g. {@code took=1.2s, completed=3, failed=0, cancelled=1,
     * timedOut=0, stillRunning=[]}, the duration in {@link Durations#format human form}.
     *
     * @return the line
     */
    @Override
    public String toString() {
        return "took=" + Durations.format(this.took) + ", completed=" + this.completed + ", failed="
                + this.failed + ", cancelled=" + this.cancelled + ", timedOut=" + this.timedOut
                + ", stillRunning=" + this.stillRunning;
    }
}
