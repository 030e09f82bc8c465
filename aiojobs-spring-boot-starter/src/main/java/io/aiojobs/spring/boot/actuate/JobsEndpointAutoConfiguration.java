package io.aiojobs.spring.boot.actuate;

import java.util.Map;

import io.aiojobs.JobScheduler;
import io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link JobsEndpoint}, when the actuator is present and the endpoint
 * is available (exposed and not switched off).
 */
@AutoConfiguration(after = AiojobsAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBooleanProperty(name = "aiojobs.enabled", matchIfMissing = true)
public final class JobsEndpointAutoConfiguration {

    JobsEndpointAutoConfiguration() {
    }

    // On the method, not the class: its condition class must not be loaded before the class
    // condition above has found the actuator.
    @Bean
    @ConditionalOnAvailableEndpoint(JobsEndpoint.class)
    @ConditionalOnBean(JobScheduler.class)
    @ConditionalOnMissingBean
    static JobsEndpoint jobsEndpoint(Map<String, JobScheduler> schedulers) {
        return new JobsEndpoint(schedulers);
    }
}
