package io.aiojobs;

import java.util.List;

/**
 * How a job's end is told, written once for every way a job ends: it leaves the scheduler (its
 * slot passing to the next pending job), then the listeners hear of it, then its outcome shows
 * (waiters wake, a future's dependants run), then an unobserved failure goes to the exception
 * handler. So whoever sees a job's outcome also sees it gone from the collection and the counts,
 * and metrics that a listener records are there for whoever awaited the job.
 *
 * <p>Stateless but for final references; thread-safe. The thread that moved a job to ENDED is
 * the only one to call it for that job. While it tells of the end, that thread is marked as
 * reporting it ({@link Worker#reporting}), and, when there is something to tell besides waking
 * waiters, counted in {@link Idleness}'s {@code reporting}, so that waitAndClose waits for the
 * telling but a callback of it that calls waitAndClose does not wait for itself.
 */
final class Ending {

    private final JobScheduler scheduler;
    private final Admission admission;
    private final Listeners listeners;
    private final Ledger ledger;

    Ending(JobScheduler scheduler, Admission admission, Listeners listeners, Ledger ledger) {
        this.scheduler = scheduler;
        this.admission = admission;
        this.listeners = listeners;
        this.ledger = ledger;
    }

    /**
     * A worker's job has ended: tells of it and returns the job its slot passed to, to run next
     * on that worker. Until then the worker carries that job, so that a callback waiting for it
     * can have it run elsewhere.
     */
    Job<?> end(Job<?> job, Worker worker) {
        boolean told = told(job);
        Job<?> next = this.admission.leave(job);
        worker.carried = next;
        worker.telling = true;
        tell(job, told, worker);
        worker.telling = false;
        next = worker.carried;
        worker.carried = null;
        return next;
    }

    /**
     * A job that ended away from a worker of its: closed after it got a slot but before its body
     * started, or an async job whose stage completed (or that was closed or timed out while it
     * waited for it), on whatever thread did that. The job its slot passes to is dispatched
     * (never run on this thread) before the end is told.
     */
    void endElsewhere(Job<?> job) {
        if (this.listeners != null && job.startNanos != 0) {
            job.runNanos = System.nanoTime() - job.startNanos; // an async job: it ran until now
        }
        boolean told = told(job);
        Job<?> next = this.admission.leave(job);
        if (next != null) {
            this.scheduler.dispatcher().dispatch(next);
        }
        tell(job, told, null);
    }

    /** Jobs the executor refused (failed), in the dispatcher's loop: leave now, told after. */
    Job<?> leaveRefused(Job<?> job) {
        told(job);
        return this.admission.leave(job);
    }

    void tellRefused(List<Job<?>> jobs) {
        for (Job<?> job : jobs) {
            tell(job, true, null);
        }
    }

    /** A pending job that was closed (it never ran, and held no slot). */
    void endDropped(Job<?> job) {
        this.ledger.count(job.outcome);
        if (this.listeners != null) {
            this.admission.idleness.reportingStarted();
        }
        tell(job, this.listeners != null, null);
    }

    /**
     * Before the job leaves: its deadline goes, the shutdown ledger counts it, and the answer is
     * whether telling of the end calls anything (then counted as reporting from here on).
     */
    private boolean told(Job<?> job) {
        job.clearDeadline();
        this.ledger.count(job.outcome);
        boolean told = this.listeners != null || job.failed();
        if (told) {
            this.admission.idleness.reportingStarted();
        }
        return told;
    }

    private void tell(Job<?> job, boolean told, Worker worker) {
        if (!told) {
            job.markDone(); // nothing to call but the waiters: no marking, no counting
            job.release();
            return;
        }
        Worker marker = worker != null ? worker : Worker.of(this.scheduler);
        Job<?> outer = marker.reporting;
        marker.reporting = job;
        try {
            if (this.listeners != null) {
                this.listeners.finished(job, job.outcome, job.runNanos);
            }
            boolean report = job.markDone();
            job.release();
            if (report) {
                job.reportFailure();
            }
        } finally {
            marker.reporting = outer;
            if (worker == null) {
                marker.release();
            }
            this.admission.idleness.reportingEnded();
        }
    }
}
