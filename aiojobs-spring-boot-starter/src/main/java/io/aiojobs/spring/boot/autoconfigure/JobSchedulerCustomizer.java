package io.aiojobs.spring.boot.autoconfigure;

import io.aiojobs.JobScheduler;

/**
 * Adjusts the builder of the auto-configured {@link JobScheduler} without replacing the bean:
 * declare one or more beans of this type (ordered by {@link org.springframework.core.Ordered} or
 * {@link org.springframework.core.annotation.Order}).
 *
 * <p>Customizers run after the {@code aiojobs.scheduler.*} properties, the
 * {@link org.springframework.core.task.TaskDecorator} beans and the
 * {@link io.aiojobs.JobListener} beans have been applied, so they can override any of them.
 * They must not call {@link JobScheduler.Builder#paused(boolean) paused(false)}: the starter
 * holds jobs spawned during start-up until the context has refreshed.
 */
@FunctionalInterface
public interface JobSchedulerCustomizer {

    /**
     * Customizes the builder of the auto-configured scheduler.
     *
     * @param builder the builder, already configured from the properties
     */
    void customize(JobScheduler.Builder builder);
}
