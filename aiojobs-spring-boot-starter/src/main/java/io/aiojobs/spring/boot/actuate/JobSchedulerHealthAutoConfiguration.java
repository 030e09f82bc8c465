package io.aiojobs.spring.boot.actuate;

import java.util.Map;

import io.aiojobs.JobScheduler;
import io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link JobSchedulerHealthIndicator}, as the {@code aiojobs} health
 * contributor ({@code management.health.aiojobs.enabled} switches it off).
 */
@AutoConfiguration(after = AiojobsAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBooleanProperty(name = "aiojobs.enabled", matchIfMissing = true)
@ConditionalOnBean(JobScheduler.class)
public final class JobSchedulerHealthAutoConfiguration {

    JobSchedulerHealthAutoConfiguration() {
    }

    // On the method, not the class: its condition class must not be loaded before the class
    // conditions above have found the health module.
    @Bean
    @ConditionalOnEnabledHealthIndicator("aiojobs")
    @ConditionalOnMissingBean(name = "aiojobsHealthIndicator")
    static JobSchedulerHealthIndicator aiojobsHealthIndicator(Map<String, JobScheduler> schedulers) {
        return new JobSchedulerHealthIndicator(schedulers);
    }
}
