package io.aiojobs.sample.demo;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import io.aiojobs.QueueFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Spawns and cancels bursts of demo jobs for the dashboard, so that a person can watch the limit
 * and the pending queue at work.
 *
 * <p>This class is thread-safe.
 */
@Component
public class DemoJobs {

    private final JobScheduler jobs;

    private final AtomicLong sequence = new AtomicLong();

    /** Demo jobs not yet known to be closed, oldest first. */
    private final Deque<Job<?>> spawned = new ConcurrentLinkedDeque<>();

    DemoJobs(JobScheduler jobs) {
        this.jobs = jobs;
    }

    /**
     * Spawns {@code count} jobs that each sleep for {@code duration}, a share of which then fail.
     * Jobs beyond the scheduler's limit wait in its pending queue; when that queue is full, the
     * burst stops rather than block the request.
     *
     * @param count how many jobs
     * @param duration how long each job works
     * @param failPercent the percentage (0-100) of jobs that fail at the end
     * @return how many jobs were spawned and how many the full queue turned away
     * @throws IllegalArgumentException if a value is out of range
     */
    public Burst burst(int count, Duration duration, int failPercent) {
        if (count < 1 || count > 10_000) {
            throw new IllegalArgumentException("count must be between 1 and 10000 but was " + count);
        }
        if (duration.isNegative() || duration.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("duration must be between 0 and 10 minutes but was " + duration);
        }
        if (failPercent < 0 || failPercent > 100) {
            throw new IllegalArgumentException("failPercent must be between 0 and 100 but was " + failPercent);
        }
        this.spawned.removeIf(Job::isClosed);
        int accepted = 0;
        try {
            for (; accepted < count; accepted++) {
                boolean fail = ThreadLocalRandom.current().nextInt(100) < failPercent;
                String name = "demo-" + this.sequence.incrementAndGet();
                this.spawned.add(this.jobs.spawn(() -> work(duration, fail), name, Duration.ZERO));
            }
        }
        catch (QueueFullException ex) {
            // The queue is full: report how many made it instead of blocking this request.
        }
        return new Burst(accepted, count - accepted);
    }

    /**
     * Closes every demo job still pending or running: pending ones never run, running ones are
     * interrupted.
     *
     * @return how many jobs were closed
     */
    public int cancelAll() {
        int closed = 0;
        // Newest first, so that closing a running job does not let a pending one start.
        for (Iterator<Job<?>> it = this.spawned.descendingIterator(); it.hasNext();) {
            Job<?> job = it.next();
            it.remove();
            if (!job.isClosed()) {
                closeQuietly(job);
                closed++;
            }
        }
        return closed;
    }

    /**
     * Returns the demo jobs still pending or running.
     *
     * @return a snapshot, oldest first
     */
    public List<Job<?>> open() {
        List<Job<?>> open = new ArrayList<>();
        for (Job<?> job : this.spawned) {
            if (!job.isClosed()) {
                open.add(job);
            }
        }
        return open;
    }

    private static String work(Duration duration, boolean fail) throws InterruptedException {
        Thread.sleep(duration.toMillis()); // interruptible: cancellation and shutdown stop it here
        if (fail) {
            throw new IllegalStateException("Demo job failed on purpose");
        }
        return "done";
    }

    private static void closeQuietly(Job<?> job) {
        try {
            job.close();
        }
        catch (Exception ex) {
            // A demo job that failed, or that outlived the close timeout: the dashboard shows it.
        }
    }

    /**
     * What a burst did.
     *
     * @param spawned how many jobs were spawned
     * @param rejected how many were turned away because the pending queue was full
     */
    public record Burst(int spawned, int rejected) {
    }
}
