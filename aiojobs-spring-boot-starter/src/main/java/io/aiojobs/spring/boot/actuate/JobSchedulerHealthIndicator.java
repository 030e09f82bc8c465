package io.aiojobs.spring.boot.actuate;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.aiojobs.JobScheduler;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the {@link JobScheduler} beans: {@code UP} while they all accept jobs,
 * {@code DOWN} once any of them is closed. Details give each scheduler's counts. Thread-safe.
 */
public final class JobSchedulerHealthIndicator implements HealthIndicator {

    private final Map<String, JobScheduler> schedulers;

    /**
     * Creates the indicator over some schedulers.
     *
     * @param schedulers the schedulers by bean name
     * @throws NullPointerException if {@code schedulers} is {@code null}
     */
    public JobSchedulerHealthIndicator(Map<String, JobScheduler> schedulers) {
        this.schedulers = new TreeMap<>(Objects.requireNonNull(schedulers, "schedulers"));
    }

    @Override
    public Health health() {
        boolean up = true;
        Health.Builder builder = new Health.Builder();
        for (Map.Entry<String, JobScheduler> entry : this.schedulers.entrySet()) {
            JobScheduler scheduler = entry.getValue();
            up &= !scheduler.isClosed();
            builder.withDetail(entry.getKey(), Map.of("closed", scheduler.isClosed(),
                    "active", scheduler.activeCount(), "pending", scheduler.pendingCount()));
        }
        return (up ? builder.up() : builder.down()).build();
    }
}
