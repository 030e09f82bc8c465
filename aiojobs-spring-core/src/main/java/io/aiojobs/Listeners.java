package io.aiojobs;

import java.util.List;

/**
 * Calls every registered listener, keeping a failing listener from affecting the jobs: whatever
 * one throws, {@link Error}s included (a {@code NoClassDefFoundError} of an optional library),
 * is logged and the next listener is called. Immutable and thread-safe.
 *
 * <p>It also keeps the promise that {@code onSpawned} comes before any other event of a job:
 * {@link Job#awaitAnnounced()} holds the others until the spawner's call has returned.
 */
final class Listeners {

    private final JobListener[] listeners;

    private Listeners(List<JobListener> listeners) {
        this.listeners = listeners.toArray(new JobListener[0]);
    }

    /** {@code null} when there is no listener, so that the scheduler can skip the calls. */
    static Listeners of(List<JobListener> listeners) {
        return listeners.isEmpty() ? null : new Listeners(listeners);
    }

    void spawned(Job<?> job) {
        each(listener -> listener.onSpawned(job));
    }

    void started(Job<?> job, long queuedNanos) {
        job.awaitAnnounced();
        each(listener -> listener.onStarted(job, queuedNanos));
    }

    void finished(Job<?> job, JobListener.Outcome outcome, long runNanos) {
        job.awaitAnnounced();
        each(listener -> listener.onFinished(job, outcome, runNanos));
    }

    void closeTimedOut(Job<?> job) {
        each(listener -> listener.onCloseTimeout(job));
    }

    private void each(java.util.function.Consumer<JobListener> event) {
        for (JobListener listener : this.listeners) {
            try {
                event.accept(listener);
            } catch (Throwable e) {
                failed(listener, e);
            }
        }
    }

    private static void failed(JobListener listener, Throwable e) {
        try {
            Logging.LOGGER.log(System.Logger.Level.WARNING, "Job listener " + listener + " failed", e);
        } catch (Throwable ignored) {
            // Nothing is left to tell; the job must go on regardless.
        }
    }
}
