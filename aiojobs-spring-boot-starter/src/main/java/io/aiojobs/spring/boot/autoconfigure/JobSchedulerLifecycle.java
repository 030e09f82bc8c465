package io.aiojobs.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Binds every {@link JobScheduler} bean of the context to the context's lifecycle: on start, it
 * resumes them (the auto-configured one is built paused, so jobs spawned during the refresh wait
 * until then); on stop, it runs {@link JobScheduler#waitAndClose()} on each, concurrently, off
 * the closing thread, and tells Spring when they are all closed. It logs at INFO how many jobs
 * it waits for, and at WARN how many (and which) are cancelled when the grace period runs out.
 */
final class JobSchedulerLifecycle implements SmartLifecycle {

    /**
     * Stopping runs from the highest phase down. Spring Boot drains in-flight requests in
     * {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE} ({@code MAX_VALUE - 1024}) and
     * then stops the web server in {@code START_STOP_LIFECYCLE_PHASE} ({@code MAX_VALUE - 2048}).
     * One below that, no request can spawn a job any more, yet every job a request spawned is
     * still given its grace period. It is also far above Spring's executors
     * ({@code MAX_VALUE / 2}), so jobs that use them stop before those do. The constants are
     * copied rather than referenced because the web server module is optional.
     */
    static final int PHASE = Integer.MAX_VALUE - 2048 - 1;

    private static final Log LOGGER = LogFactory.getLog(JobSchedulerLifecycle.class);

    /** How many job names the warning about cancelled jobs shows. */
    private static final int NAMES_SHOWN = 5;

    private final ListableBeanFactory beanFactory;
    private final Duration phaseTimeout;
    private volatile Map<String, JobScheduler> schedulers = Map.of();
    private volatile boolean running;

    JobSchedulerLifecycle(ListableBeanFactory beanFactory, Duration phaseTimeout) {
        this.beanFactory = beanFactory;
        this.phaseTimeout = phaseTimeout;
    }

    @Override
    public void start() {
        this.schedulers = this.beanFactory.getBeansOfType(JobScheduler.class, false, true);
        this.schedulers.forEach((name, scheduler) -> {
            warnIfShutdownDoesNotFit(name, scheduler);
            scheduler.resume();
        });
        this.running = true;
    }

    private void warnIfShutdownDoesNotFit(String name, JobScheduler scheduler) {
        Duration needed = scheduler.waitTimeout().plus(scheduler.closeTimeout());
        if (needed.compareTo(this.phaseTimeout) > 0 && LOGGER.isWarnEnabled()) {
            LOGGER.warn("Job scheduler '" + name + "' may wait " + scheduler.waitTimeout()
                    + " for its jobs at shutdown and " + scheduler.closeTimeout()
                    + " more to close them, longer than "
                    + JobSchedulerFactory.PHASE_TIMEOUT_PROPERTY + " (" + this.phaseTimeout
                    + "): Spring will stop waiting first and jobs still running then are"
                    + " cancelled. Raise the phase timeout or lower aiojobs.scheduler.wait-timeout.");
        }
    }

    @Override
    public void stop() {
        this.running = false;
        closeAll();
    }

    @Override
    public void stop(Runnable callback) {
        this.running = false;
        // Off the closing thread, so Spring can give up after its phase timeout.
        Thread closer = new Thread(() -> {
            try {
                closeAll();
            } finally {
                callback.run();
            }
        }, "aiojobs-shutdown");
        closer.setDaemon(true);
        closer.start();
    }

    private void closeAll() {
        List<Thread> closers = new ArrayList<>();
        this.schedulers.forEach((name, scheduler) -> {
            Thread closer = new Thread(() -> waitAndClose(name, scheduler), "aiojobs-shutdown-" + name);
            closer.setDaemon(true);
            closer.start();
            closers.add(closer);
        });
        for (Thread closer : closers) {
            try {
                closer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits for the jobs within the grace period, says so when it runs out and jobs are about to
     * be cancelled, then closes.
     */
    private static void waitAndClose(String name, JobScheduler scheduler) {
        Duration grace = scheduler.waitTimeout();
        int active = scheduler.activeCount();
        int pending = scheduler.pendingCount();
        if (active + pending > 0 && LOGGER.isInfoEnabled()) {
            LOGGER.info("Waiting up to " + grace + " for " + (active + pending) + " job(s) of scheduler '"
                    + name + "' to finish (" + active + " running, " + pending + " pending)");
        }
        // The wait of the scheduler's own waitAndClose (it resumes a paused scheduler too),
        // split from its close so that what is about to be cancelled can be named first.
        if (!scheduler.awaitIdle(grace) && !Thread.currentThread().isInterrupted()) {
            warnCancelling(name, scheduler, grace);
        }
        // Jobs that ignore the interrupt are reported by close() ("Job closing timed out") and
        // given up on, so this always returns within wait-timeout + close-timeout.
        scheduler.close();
    }

    private static void warnCancelling(String name, JobScheduler scheduler, Duration grace) {
        if (!LOGGER.isWarnEnabled()) {
            return;
        }
        int active = scheduler.activeCount();
        int pending = scheduler.pendingCount();
        List<String> names = new ArrayList<>();
        int others = 0;
        for (Job<?> job : scheduler) {
            if (names.size() < NAMES_SHOWN) {
                names.add(job.getName());
            } else {
                others++;
            }
        }
        // Not named after aiojobs.scheduler.wait-timeout: the scheduler may be the application's own.
        LOGGER.warn("The shutdown grace period of scheduler '" + name + "' (wait timeout " + grace
                + ") is over with " + active + " job(s) still running and "
                + pending + " pending: cancelling them (running jobs are interrupted, pending ones"
                + " never run): " + String.join(", ", names) + (others > 0 ? " and " + others + " more" : ""));
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * Not pauseable: stopping closes a scheduler for good, so {@code context.pause()} (a stop
     * meant to be followed by a restart) must leave the schedulers running.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
