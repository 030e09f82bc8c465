package io.aiojobs;

import java.util.List;

/** Calls every registered listener, keeping a failing listener from affecting the jobs. */
final class Listeners implements JobListener {

    private final JobListener[] listeners;

    private Listeners(List<JobListener> listeners) {
        this.listeners = listeners.toArray(new JobListener[0]);
    }

    /** {@code null} when there is no listener, so that the scheduler can skip the calls. */
    static JobListener of(List<JobListener> listeners) {
        return listeners.isEmpty() ? null : new Listeners(listeners);
    }

    @Override
    public void onSpawned(Job<?> job) {
        for (JobListener listener : this.listeners) {
            try {
                listener.onSpawned(job);
            } catch (RuntimeException e) {
                failed(listener, e);
            }
        }
    }

    @Override
    public void onStarted(Job<?> job, long queuedNanos) {
        for (JobListener listener : this.listeners) {
            try {
                listener.onStarted(job, queuedNanos);
            } catch (RuntimeException e) {
                failed(listener, e);
            }
        }
    }

    @Override
    public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
        for (JobListener listener : this.listeners) {
            try {
                listener.onFinished(job, outcome, runNanos);
            } catch (RuntimeException e) {
                failed(listener, e);
            }
        }
    }

    @Override
    public void onCloseTimeout(Job<?> job) {
        for (JobListener listener : this.listeners) {
            try {
                listener.onCloseTimeout(job);
            } catch (RuntimeException e) {
                failed(listener, e);
            }
        }
    }

    private static void failed(JobListener listener, RuntimeException e) {
        Logging.LOGGER.log(System.Logger.Level.WARNING, "Job listener " + listener + " failed", e);
    }
}
