package io.aiojobs;

/**
 * Receives the life events of a scheduler's jobs, for metrics, tracing or logging.
 *
 * <p>Register listeners with {@link JobScheduler.Builder#listener(JobListener)}. Every method has
 * an empty default, so implement only what you need. A scheduler without listeners pays nothing
 * for this hook.
 *
 * <p>Methods are called on the thread where the event happens (the spawning thread, the job's
 * thread or the closing thread), outside the scheduler's locks, possibly from many threads at
 * once: implementations must be thread-safe and quick, and should wait for a job, if at all,
 * only with {@link Job#await()} or {@link Job#close()} (on a job's thread, the next pending job
 * may be waiting for that thread; those two let it run elsewhere). An exception
 * thrown by a listener is logged and otherwise ignored; it never changes the job's outcome.
 */
public interface JobListener {

    /** How a job ended. */
    enum Outcome {
        /** The job's task returned normally. */
        SUCCESS,
        /** The job's task threw an exception (other than by being interrupted or cancelled). */
        FAILURE,
        /** The job was closed before it finished, or its task was interrupted or cancelled. */
        CANCELLED,
        /**
         * The job ran longer than its run timeout and was closed for it (see
         * {@link SpawnOptions#timeout(java.time.Duration)}).
         */
        TIMEOUT
    }

    /**
     * Called once a job has been accepted by {@link JobScheduler#spawn(java.util.concurrent.Callable)},
     * whether it starts at once or waits in the pending queue, on the spawning thread. It comes
     * before any other event of that job: the job cannot start or end until it returns. Not
     * called when {@code spawn} throws.
     *
     * @param job the new job
     */
    default void onSpawned(Job<?> job) {
    }

    /**
     * Called on the job's thread just before its task starts.
     *
     * @param job the job
     * @param queuedNanos how long the job waited, from spawn to start, in nanoseconds
     */
    default void onStarted(Job<?> job, long queuedNanos) {
    }

    /**
     * Called once for every spawned job when it ends, after it has left the scheduler and before
     * its outcome shows through {@link Job#await()} or {@link Job#future()}: whoever awaited a
     * job sees what a listener recorded of its end. On the calling thread, awaiting this job
     * returns its outcome at once.
     *
     * @param job the job
     * @param outcome how it ended
     * @param runNanos how long its task ran, in nanoseconds; {@code -1} when it never started
     *     (closed while pending)
     */
    default void onFinished(Job<?> job, Outcome outcome, long runNanos) {
    }

    /**
     * Called when closing did not stop a job (or shielded work) within the close timeout.
     *
     * @param job the job that kept running, or {@code null} for shielded work
     */
    default void onCloseTimeout(Job<?> job) {
    }
}
