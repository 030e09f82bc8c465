package io.aiojobs;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Where errors nobody else would see go: the scheduler's exception handler (or the logging
 * default), the listeners' close-timeout event, and the spawn sites that make a report useful.
 * Immutable and thread-safe; the handler and listeners it calls must be thread-safe themselves.
 */
final class Reports {

    private final JobScheduler scheduler;
    private final JobScheduler.ExceptionHandler handler;
    private final Listeners listeners;
    private final boolean captureSpawnSite;

    Reports(JobScheduler scheduler, Settings settings, Listeners listeners) {
        this.scheduler = scheduler;
        this.handler = settings.exceptionHandler();
        this.listeners = listeners;
        this.captureSpawnSite = settings.captureSpawnSite();
    }

    /** Calls the handler; what it throws reaches the caller (see JobScheduler.callExceptionHandler). */
    void call(ExceptionContext context) {
        if (this.handler != null) {
            this.handler.handle(this.scheduler, context);
        } else {
            Logging.log(context);
        }
    }

    /** Reports on a job or closing thread, where a failing handler must not break anything. */
    void report(ExceptionContext context) {
        try {
            call(context);
        } catch (Throwable e) {
            try {
                Logging.LOGGER.log(System.Logger.Level.ERROR,
                        "Exception handler failed on: " + Logging.describe(context), e);
            } catch (Throwable ignored) {
                // Nothing is left to tell.
            }
        }
    }

    /** A job's failure that no waiter took. */
    void failed(Job<?> job, Throwable failure) {
        report(new ExceptionContext(Outcomes.FAILED, job, failure, job.spawnSite()));
    }

    /** A job that ran past its run timeout with nobody awaiting or closing it at that moment. */
    void timedOut(Job<?> job) {
        report(new ExceptionContext(Outcomes.TIMED_OUT, job, job.timeoutException(), job.spawnSite()));
    }

    /** Work that closing gave up on: a job, or shielded work when {@code job} is null. */
    void closeTimedOut(Job<?> job) {
        closeTimeoutEvent(job);
        report(new ExceptionContext(Outcomes.CLOSE_TIMED_OUT, job,
                new TimeoutException(Outcomes.CLOSE_TIMED_OUT),
                job != null ? job.spawnSite() : List.of()));
    }

    /** Tells the listeners that closing did not stop {@code job} in time. */
    void closeTimeoutEvent(Job<?> job) {
        if (this.listeners != null) {
            this.listeners.closeTimedOut(job);
        }
    }

    /** Where the caller of spawn is, when spawn sites are captured; else empty. */
    List<StackTraceElement> spawnSite() {
        if (!this.captureSpawnSite) {
            return List.of();
        }
        StackTraceElement[] frames = new Throwable().getStackTrace();
        int first = 0;
        while (first < frames.length && (frames[first].getClassName().equals(Reports.class.getName())
                || frames[first].getClassName().equals(JobScheduler.class.getName()))) {
            first++;
        }
        return List.of(Arrays.copyOfRange(frames, first, frames.length));
    }
}
