package io.aiojobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Hands jobs that have a slot to the executor, each in a {@link Worker}. Immutable and
 * thread-safe (the executors are).
 *
 * <p>An executor that refuses a job, by any exception or {@code Error}, makes that job fail,
 * visibly; its slot passes on to the next pending job, which is dispatched in turn (a loop, not
 * a recursion, so a refusing executor cannot overflow the stack with a long queue).
 */
final class Dispatcher {

    private final JobScheduler scheduler;
    private final Threads.Choice threads;

    Dispatcher(JobScheduler scheduler, Threads.Choice threads) {
        this.scheduler = scheduler;
        this.threads = threads;
    }

    /** Runs an activated job on a thread of the scheduler's. */
    void dispatch(Job<?> job) {
        // A callback of a job's end on a pool thread: that thread is busy until the callback
        // returns, and the callback may wait for this job: it must not queue behind it.
        dispatch(job, this.threads.pooled() && Worker.inCallback());
    }

    /** Runs an activated job on a thread that is free now, never queued behind a busy one. */
    void dispatchSpare(Job<?> job) {
        dispatch(job, true);
    }

    private void dispatch(Job<?> first, boolean spare) {
        Executor executor = spare ? this.threads.spare() : this.threads.jobs();
        List<Job<?>> refused = null;
        for (Job<?> job = first; job != null; ) {
            try {
                executor.execute(new Worker(this.scheduler, job));
                break;
            } catch (Throwable error) {
                if (!job.refuse(error)) {
                    break; // closed meanwhile: whoever closed it ended it
                }
                if (refused == null) {
                    refused = new ArrayList<>(1);
                }
                refused.add(job);
                job = this.scheduler.ending().leaveRefused(job);
            }
        }
        if (refused != null) {
            this.scheduler.ending().tellRefused(refused);
        }
    }

    /** Where shielded work runs: a thread each, at once. */
    Executor spare() {
        return this.threads.spare();
    }

    void shutdown() {
        this.threads.shutdown().run();
    }
}
