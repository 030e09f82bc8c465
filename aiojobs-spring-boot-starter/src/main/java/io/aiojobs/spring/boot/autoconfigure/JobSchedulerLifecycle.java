package io.aiojobs.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
     * be cancelled, then lets the scheduler's own {@code waitAndClose} take the rest of the grace
     * period for shielded work and close.
     */
    private static void waitAndClose(String name, JobScheduler scheduler) {
        Duration grace = scheduler.waitTimeout();
        long graceNanos = saturatedNanos(grace);
        long start = System.nanoTime();
        int active = scheduler.activeCount();
        int pending = scheduler.pendingCount();
        if (active + pending > 0 && LOGGER.isInfoEnabled()) {
            LOGGER.info("Waiting up to " + grace + " for " + (active + pending) + " job(s) of scheduler '"
                    + name + "' to finish (" + active + " running, " + pending + " pending)");
        }
        // Jobs held by a paused scheduler could not finish; waitAndClose would resume it too.
        scheduler.resume();
        if (!awaitJobs(scheduler, start, graceNanos)) {
            warnCancelling(name, scheduler, grace);
        }
        // Jobs that ignore the interrupt are reported by close() ("Job closing timed out") and
        // given up on, so this always returns within wait-timeout + close-timeout.
        scheduler.waitAndClose(Duration.ofNanos(Math.max(0, graceNanos - (System.nanoTime() - start))));
    }

    /**
     * Waits, without polling, until the scheduler has no job left (jobs spawned meanwhile
     * included) or the grace period is over.
     *
     * @return whether no job is left
     */
    private static boolean awaitJobs(JobScheduler scheduler, long start, long graceNanos) {
        while (true) {
            List<CompletableFuture<?>> ends = new ArrayList<>();
            for (Job<?> job : scheduler) {
                ends.add(job.future());
            }
            long remaining = graceNanos - (System.nanoTime() - start);
            if (ends.isEmpty() || remaining <= 0) {
                return ends.isEmpty();
            }
            try {
                CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).get(remaining, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | CancellationException | TimeoutException ended) {
                // A job failed or was cancelled (it has ended all the same), or time is up:
                // the next round tells.
            } catch (InterruptedException interrupted) {
                // waitAndClose sees the flag and closes at once.
                Thread.currentThread().interrupt();
                return true;
            }
        }
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

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
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
