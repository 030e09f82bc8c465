package io.aiojobs;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Run timeouts: one timer per scheduler, whatever the number of timed jobs. A job with a timeout
 * gets a deadline when it starts (one entry in the timer's queue, no thread); a job that ends
 * first removes it ({@link Job#clearDeadline()}; cancelled entries leave the queue at once), so
 * nothing of a job outlives it but, for a job that timed out, the check of its close timeout.
 *
 * <p>At the deadline ({@link JobState#expire()}): a running job is interrupted and, if it is
 * still running a close timeout later, given up on as {@code Job.close()} does (the listeners'
 * {@code onCloseTimeout} and a {@code "Job closing timed out"} report; it keeps its slot until
 * its body returns); an async job waiting for its stage ends at once and the stage is
 * cancelled. The timer thread only moves states and interrupts; whatever calls user code (the
 * stage's cancellation, the job's end, the exception handler) runs on a spare thread of the
 * scheduler, so a slow callback cannot hold up other deadlines.
 *
 * <p>State: {@code timer}, made at the first timed job and shut down with the scheduler, guarded
 * by this object's monitor; the executor itself is thread-safe. Its one thread is a daemon and
 * stops when no deadline is left.
 */
final class Deadlines {

    private final JobScheduler scheduler;
    private final String threadName;
    private final long closeNanos;
    private ScheduledThreadPoolExecutor timer;
    private boolean shutDown;

    Deadlines(JobScheduler scheduler, String name, long closeNanos) {
        this.scheduler = scheduler;
        this.threadName = name + "-deadlines";
        this.closeNanos = closeNanos;
    }

    /** A timed job has started: its deadline is {@code job.timeoutNanos} from now. */
    void start(Job<?> job) {
        ScheduledThreadPoolExecutor timer = timer();
        if (timer == null) {
            return; // the scheduler has closed: close() stops this job anyway
        }
        try {
            job.setDeadline(timer.schedule(() -> expire(job), job.timeoutNanos, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException closedMeanwhile) {
            // As above.
        }
    }

    private synchronized ScheduledThreadPoolExecutor timer() {
        if (this.timer == null && !this.shutDown) {
            ScheduledThreadPoolExecutor made = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, this.threadName);
                thread.setDaemon(true);
                return thread;
            });
            made.setRemoveOnCancelPolicy(true);
            made.setKeepAliveTime(1, TimeUnit.SECONDS);
            made.allowCoreThreadTimeOut(true);
            this.timer = made;
        }
        return this.timer;
    }

    private void expire(Job<?> job) {
        int found = job.expire();
        if (found == JobState.RUNNING) {
            ScheduledThreadPoolExecutor timer = timer();
            if (timer != null) {
                try {
                    job.setDeadline(timer.schedule(() -> closeTimedOut(job), this.closeNanos, TimeUnit.NANOSECONDS));
                } catch (RejectedExecutionException closedMeanwhile) {
                    // close() reports what it gives up on itself.
                }
            }
            if (job.reported()) {
                offTimer(() -> this.scheduler.reports().timedOut(job));
            }
        } else if (found == JobState.WAITING) {
            offTimer(() -> {
                job.cancelStage();
                this.scheduler.endElsewhere(job);
                if (job.reported()) {
                    this.scheduler.reports().timedOut(job);
                }
            });
        }
    }

    /** The job timed out a close timeout ago: if it is still running, it ignores the interrupt. */
    private void closeTimedOut(Job<?> job) {
        if (job.stage() == JobState.TIMED_OUT) {
            offTimer(() -> this.scheduler.reports().closeTimedOut(job));
        }
    }

    private void offTimer(Runnable work) {
        Executor spare = this.scheduler.dispatcher().spare();
        try {
            spare.execute(work);
        } catch (Throwable refused) {
            work.run(); // the scheduler's threads are shut down, or its factory failed: here, then
        }
    }

    /** How many entries the timer holds (deadlines and close-timeout checks); for tests. */
    synchronized int entries() {
        return this.timer == null ? 0 : this.timer.getQueue().size();
    }

    /** The scheduler has closed: no deadline is left to keep (what still runs was given up on). */
    void shutdown() {
        ScheduledThreadPoolExecutor timer;
        synchronized (this) {
            this.shutDown = true;
            timer = this.timer;
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
