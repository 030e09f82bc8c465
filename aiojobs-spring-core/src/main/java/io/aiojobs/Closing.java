package io.aiojobs;

/**
 * The close sequence: refuse new jobs, drop the pending ones unrun, stop the active ones and the
 * shielded work, wait up to the close timeout for all of it together, then give up on (and
 * report) what still runs, and shut down the threads the scheduler made. Written once; what
 * happens at close is here. Immutable references only; thread-safe (Admission decides which one
 * caller closes).
 */
final class Closing {

    private final JobScheduler scheduler;
    private final Admission admission;
    private final Ending ending;
    private final Reports reports;
    private final Dispatcher dispatcher;
    private final Deadlines deadlines;
    private final Ledger ledger;
    private final long closeNanos;

    Closing(JobScheduler scheduler, Admission admission, Ending ending, Reports reports,
            Dispatcher dispatcher, Deadlines deadlines, Ledger ledger, long closeNanos) {
        this.scheduler = scheduler;
        this.admission = admission;
        this.ending = ending;
        this.reports = reports;
        this.dispatcher = dispatcher;
        this.deadlines = deadlines;
        this.ledger = ledger;
        this.closeNanos = closeNanos;
    }

    /**
     * Closes; called from a job or shielded task, leaves that one alone. Idempotent. The shutdown
     * ledger, opened here unless waitAndClose opened it before, is finished once closed.
     */
    void close() {
        this.ledger.begin();
        Admission.Closing left = this.admission.close();
        if (left == null) {
            return;
        }
        for (Job<?> job : left.dropped()) {
            this.ending.endDropped(job);
        }
        Worker caller = Worker.current();
        boolean ours = caller != null && caller.scheduler == this.scheduler;
        Job<?> selfJob = ours ? caller.running : null;
        Shield<?> selfShield = ours ? caller.shield : null;
        for (Job<?> job : left.active()) {
            if (job == selfJob) {
                continue;
            }
            int found = job.stop(false);
            if (found == JobState.WAITING) {
                job.cancelStage(); // an async job: its stage is cancelled, and it ends here
            }
            if (found == JobState.ACTIVE || found == JobState.WAITING) {
                this.ending.endElsewhere(job); // it had a slot but no thread: ends here
            }
        }
        for (Shield<?> shield : left.shields()) {
            if (shield != selfShield) {
                shield.cancel();
            }
        }
        int allowed = (selfJob != null ? 1 : 0) + (selfShield != null ? 1 : 0);
        Admission.Closing stuck = this.admission.awaitStopped(this.closeNanos, allowed, selfJob, selfShield);
        java.util.List<String> stillRunning = new java.util.ArrayList<>();
        for (Job<?> job : stuck.active()) {
            stillRunning.add(job.getName());
            this.reports.closeTimedOut(job);
        }
        for (int i = 0; i < stuck.shields().size(); i++) {
            stillRunning.add("shield");
            this.reports.closeTimedOut(null);
        }
        this.deadlines.shutdown();
        this.dispatcher.shutdown();
        this.ledger.finish(stillRunning);
    }
}
