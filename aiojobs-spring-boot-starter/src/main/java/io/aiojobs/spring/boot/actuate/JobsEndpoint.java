package io.aiojobs.spring.boot.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code jobs} actuator endpoint ({@code GET /actuator/jobs} once exposed): every
 * {@link JobScheduler} bean with its settings, its counts and its current jobs (name, state,
 * age); {@code GET /actuator/jobs/{scheduler}} shows one of them by bean name.
 *
 * <p>Durations are ISO-8601 strings ({@code PT0.1S}). The job list is a weakly consistent
 * snapshot: jobs may end or start while it is being read. This class is thread-safe.
 */
@Endpoint(id = "jobs")
public final class JobsEndpoint {

    private final Map<String, JobScheduler> schedulers;

    /**
     * Creates the endpoint over some schedulers.
     *
     * @param schedulers the schedulers by bean name
     * @throws NullPointerException if {@code schedulers} is {@code null}
     */
    public JobsEndpoint(Map<String, JobScheduler> schedulers) {
        this.schedulers = Map.copyOf(Objects.requireNonNull(schedulers, "schedulers"));
    }

    /**
     * Describes every scheduler.
     *
     * @return the schedulers by bean name
     */
    @ReadOperation
    public SchedulersDescriptor jobs() {
        Map<String, SchedulerDescriptor> descriptors = new LinkedHashMap<>();
        this.schedulers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> descriptors.put(entry.getKey(), describe(entry.getValue())));
        return new SchedulersDescriptor(descriptors);
    }

    /**
     * Describes one scheduler.
     *
     * @param scheduler the scheduler's bean name
     * @return its description, or {@code null} (a 404 over HTTP) when there is no such scheduler
     */
    @ReadOperation
    public SchedulerDescriptor scheduler(@Selector String scheduler) {
        JobScheduler target = this.schedulers.get(scheduler);
        return target != null ? describe(target) : null;
    }

    private static SchedulerDescriptor describe(JobScheduler scheduler) {
        List<JobDescriptor> jobs = new ArrayList<>();
        for (Job<?> job : scheduler) {
            jobs.add(new JobDescriptor(job.getName(), state(job), job.age().toString()));
        }
        return new SchedulerDescriptor(scheduler.name(), scheduler.limit(), scheduler.pendingLimit(),
                scheduler.closeTimeout().toString(), scheduler.waitTimeout().toString(),
                scheduler.activeCount(), scheduler.pendingCount(), scheduler.isPaused(),
                scheduler.isClosed(), jobs);
    }

    private static String state(Job<?> job) {
        if (job.isActive()) {
            return "active";
        }
        return job.isPending() ? "pending" : "closed";
    }

    /**
     * The endpoint's answer.
     *
     * @param schedulers each scheduler by bean name
     */
    public record SchedulersDescriptor(Map<String, SchedulerDescriptor> schedulers) {
    }

    /**
     * One scheduler.
     *
     * @param name the scheduler's own name (its threads' prefix)
     * @param limit the maximum number of running jobs, {@code 0} for none
     * @param pendingLimit the maximum number of pending jobs, {@code 0} for none
     * @param closeTimeout how long closing waits for each job, ISO-8601
     * @param waitTimeout the shutdown grace period, ISO-8601
     * @param activeCount the number of running jobs
     * @param pendingCount the number of pending jobs
     * @param paused whether it still holds jobs until the application has started
     * @param closed whether it is closed
     * @param jobs its current jobs, active ones first
     */
    public record SchedulerDescriptor(String name, int limit, int pendingLimit, String closeTimeout,
            String waitTimeout, int activeCount, int pendingCount, boolean paused, boolean closed,
            List<JobDescriptor> jobs) {
    }

    /**
     * One job.
     *
     * @param name the job's name
     * @param state {@code active}, {@code pending} or {@code closed}
     * @param age the time since it was spawned (not since it started: a job's time in the
     *     queue counts), ISO-8601
     */
    public record JobDescriptor(String name, String state, String age) {
    }
}
