package io.aiojobs.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.aiojobs.JobScheduler;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Binds every {@link JobScheduler} bean of the context to the context's lifecycle: on start, it
 * resumes them (the auto-configured one is built paused, so jobs spawned during the refresh wait
 * until then); on stop, it runs {@link JobScheduler#waitAndClose()} on each, concurrently, off
 * the closing thread, and tells Spring when they are all closed.
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

    private static void waitAndClose(String name, JobScheduler scheduler) {
        int jobs = scheduler.size();
        if (jobs > 0 && LOGGER.isInfoEnabled()) {
            LOGGER.info("Waiting up to " + scheduler.waitTimeout() + " for " + jobs
                    + " job(s) of scheduler '" + name + "' to finish");
        }
        // Jobs that ignore the interrupt are reported by close() ("Job closing timed out") and
        // given up on, so this always returns within wait-timeout + close-timeout.
        scheduler.waitAndClose();
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
