package io.aiojobs.sample;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs what graceful shutdown does with the jobs in flight: which ones were running when the
 * application was asked to stop (SIGTERM, Ctrl-C, {@code context.close()}), and how each ended.
 *
 * <p>The starter does the work: once the web server has drained its requests, the scheduler runs
 * {@code waitAndClose()}, which lets jobs finish for up to {@code aiojobs.scheduler.wait-timeout}
 * and then interrupts the rest. This bean only makes that visible.
 */
@Component
class ShutdownReporter {

    private static final Logger logger = LoggerFactory.getLogger(ShutdownReporter.class);

    private final JobScheduler jobs;

    private volatile List<Job<?>> inFlight = List.of();

    ShutdownReporter(JobScheduler jobs) {
        this.jobs = jobs;
    }

    @EventListener
    void onClosing(ContextClosedEvent event) {
        this.inFlight = new ArrayList<>(this.jobs);
        if (!this.inFlight.isEmpty()) {
            logger.info("Shutting down with {} job(s) running and {} pending: waiting up to {} for them "
                    + "(aiojobs.scheduler.wait-timeout), then cancelling the rest",
                    this.jobs.activeCount(), this.jobs.pendingCount(), format(this.jobs.waitTimeout()));
        }
    }

    @PreDestroy
    void onClosed() {
        // Runs after the lifecycle has stopped, so after the scheduler's waitAndClose().
        List<Job<?>> jobs = this.inFlight;
        if (jobs.isEmpty()) {
            return;
        }
        int finished = 0;
        int failed = 0;
        List<String> cancelled = new ArrayList<>();
        for (Job<?> job : jobs) {
            switch (outcome(job.future())) {
                case "finished" -> finished++;
                case "failed" -> failed++;
                default -> cancelled.add(job.getName());
            }
        }
        logger.info("Shutdown: of the {} job(s) in flight, {} finished, {} failed, {} cancelled{}", jobs.size(),
                finished, failed, cancelled.size(), cancelled.isEmpty() ? "" : " " + abbreviate(cancelled));
    }

    private static String outcome(CompletableFuture<?> future) {
        if (!future.isDone()) {
            return "running";
        }
        try {
            future.join();
            return "finished";
        }
        catch (CancellationException ex) {
            return "cancelled";
        }
        catch (RuntimeException ex) {
            return (ex.getCause() instanceof InterruptedException) ? "cancelled" : "failed";
        }
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
    }

    private static String abbreviate(List<String> names) {
        return (names.size() <= 10) ? names.toString()
                : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
    }
}
