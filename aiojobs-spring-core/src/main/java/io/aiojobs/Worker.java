package io.aiojobs;

/**
 * What a thread does for one scheduler, in the manner of {@code ThreadPoolExecutor.Worker}: the
 * task handed to the executor, which runs a job and then each pending job that the slot it frees
 * passes to, on the same thread. It is also the answer to "what is the calling thread doing for
 * this scheduler?" ({@link #current()}), which waitAndClose, close and await ask so that they
 * never wait for the caller's own job, shield or report.
 *
 * <p>Confined to its thread: its fields are written and read by the thread it runs on only
 * (the {@code ThreadLocal} makes it so), and need no lock. {@code carried} is the job that this
 * thread has taken on, holding its slot, to run once it has told of the job before: a callback of
 * that telling (a listener, the exception handler, a future's dependant) that waits for the
 * carried job hands it to another thread first ({@link #handOffIfCarried}), else it would wait
 * for itself.
 */
final class Worker implements Runnable {

    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

    final JobScheduler scheduler;
    private Job<?> first;
    /** The job whose body runs on this thread now. */
    Job<?> running;
    /** The job whose end this thread is telling (listeners, waiters, exception handler). */
    Job<?> reporting;
    /** The pending job this thread has taken on to run next; see the class comment. */
    Job<?> carried;
    /** Whether this thread is telling of a job's end: its callbacks run here now. */
    boolean telling;
    /** The async job whose stage this thread is starting to wait for (see parked). */
    private Job<?> listening;
    /** Whether that job's stage completed right away, here: it ended, and is told here. */
    private boolean completedHere;
    /** The shielded work this thread runs. */
    Shield<?> shield;
    /** Made by {@link #of} for the occasion, over what the thread had before ({@code outer}). */
    private boolean made;
    private Worker outer;

    Worker(JobScheduler scheduler, Job<?> first) {
        this.scheduler = scheduler;
        this.first = first;
    }

    /** What the calling thread does, or null if it is no worker (nor reporting, nor shielding). */
    static Worker current() {
        return CURRENT.get();
    }

    @Override
    public void run() {
        Worker outer = CURRENT.get(); // a direct executor may run this inside another worker
        CURRENT.set(this);
        try {
            Job<?> job = this.first;
            this.first = null;
            while (job != null) {
                job = runOne(job);
            }
        } finally {
            restore(outer);
        }
    }

    /** Runs one job to its end; returns the job its slot passed to, to run next. */
    private Job<?> runOne(Job<?> job) {
        if (!job.claim()) {
            return null; // closed before it started: whoever closed it ended it
        }
        this.running = job;
        Listeners listeners = this.scheduler.listeners();
        if (listeners != null || job.timeoutNanos > 0) {
            job.startNanos = System.nanoTime();
            if (job.timeoutNanos > 0) {
                this.scheduler.deadlines().start(job);
            }
            if (listeners != null) {
                listeners.started(job, job.startNanos - job.spawnNanos);
            }
        }
        Throwable thrown = job.runBody();
        if (thrown == null && job.gaveStage()) {
            if (parked(job)) {
                Thread.interrupted(); // as below: nothing may reach the next task of this thread
                this.running = null;
                return null; // the job waits for its stage, holding its slot but not this thread
            }
            // Ended: its stage completed at once, or it was closed (or timed out) meanwhile.
            if (listeners != null) {
                job.runNanos = System.nanoTime() - job.startNanos;
            }
        } else {
            if (listeners != null) {
                job.runNanos = System.nanoTime() - job.startNanos;
            }
            job.end(thrown);
        }
        // An interrupt meant for this job must not reach the next one. Nobody interrupts on the
        // job's behalf once it has ended (see JobState's INTERRUPTING), so this clearing is final.
        Thread.interrupted();
        this.running = null;
        return this.scheduler.ending().end(job, this);
    }

    /**
     * An async job's body returned its stage: the job waits for it (WAITING) off this thread, and
     * true is returned; or false once it has ENDED here, to be told by this worker: it was
     * closed or timed out while its body ran (the stage is cancelled), or its stage was complete
     * already (then the slot goes on to the next job here, as for any job).
     */
    private boolean parked(Job<?> job) {
        if (!job.startWaiting()) {
            job.cancelStage();
            job.end(null); // CLOSING or TIMED_OUT: cancelled, or timed out
            return false;
        }
        this.running = null;
        this.listening = job;
        job.listen(error -> stageCompleted(job, error));
        this.listening = null;
        boolean here = this.completedHere;
        this.completedHere = false;
        return !here;
    }

    /** The stage of a WAITING job completed, on whatever thread completed it. */
    private static void stageCompleted(Job<?> job, Throwable error) {
        if (!job.completeWaiting(error)) {
            return; // closed or timed out first: whoever did that ended it
        }
        Worker worker = CURRENT.get();
        if (worker != null && worker.listening == job) {
            worker.completedHere = true; // on its runner, before it let go: told there
        } else {
            job.scheduler.endElsewhere(job);
        }
    }

    /** Whether the calling thread is telling of {@code job}'s end (then its outcome is visible here). */
    static boolean reports(Job<?> job) {
        Worker worker = CURRENT.get();
        return worker != null && worker.reporting == job;
    }

    /** Called before waiting for {@code job}: if this thread carries it, it runs elsewhere instead. */
    static void handOffIfCarried(Job<?> job) {
        Worker worker = CURRENT.get();
        if (worker != null && worker.carried == job) {
            worker.carried = null;
            worker.scheduler.dispatcher().dispatchSpare(job);
        }
    }

    /** Hands off the job the calling thread carries for {@code scheduler}, if any (before awaitIdle). */
    static void handOffCarried(JobScheduler scheduler) {
        Worker worker = CURRENT.get();
        if (worker != null && worker.scheduler == scheduler && worker.carried != null) {
            handOffIfCarried(worker.carried);
        }
    }

    /** How much of {@code scheduler}'s work the calling thread is itself: its job, report, shield. */
    static int selfCount(JobScheduler scheduler) {
        Worker worker = CURRENT.get();
        if (worker == null || worker.scheduler != scheduler) {
            return 0;
        }
        return (worker.running != null ? 1 : 0) + (worker.reporting != null ? 1 : 0)
                + (worker.shield != null ? 1 : 0);
    }

    /** Whether the calling thread is inside a callback of a job's end, on a worker. */
    static boolean inCallback() {
        Worker worker = CURRENT.get();
        return worker != null && worker.telling;
    }

    /**
     * The calling thread's worker for {@code scheduler}, or one made for the occasion (a closing
     * thread telling of the jobs it ended, a shield's thread), to be let go with {@link #release}.
     */
    static Worker of(JobScheduler scheduler) {
        Worker outer = CURRENT.get();
        if (outer != null && outer.scheduler == scheduler) {
            return outer;
        }
        Worker made = new Worker(scheduler, null);
        made.outer = outer;
        made.made = true;
        CURRENT.set(made);
        return made;
    }

    /** Ends what {@link #of} began: a worker made for the occasion leaves its thread. */
    void release() {
        if (this.made) {
            restore(this.outer);
        }
    }

    private static void restore(Worker outer) {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }
}
