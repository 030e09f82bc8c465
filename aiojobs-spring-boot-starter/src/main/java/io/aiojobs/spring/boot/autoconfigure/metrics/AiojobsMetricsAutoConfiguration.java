package io.aiojobs.spring.boot.autoconfigure.metrics;

import java.util.List;

import io.aiojobs.JobScheduler;
import io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration of the {@link JobSchedulerMetrics} of the auto-configured scheduler, when
 * Micrometer and a {@link MeterRegistry} bean are present. The metrics bean is a
 * {@link io.aiojobs.JobListener}, which the scheduler is built with, and a
 * {@link io.micrometer.core.instrument.binder.MeterBinder}, which Spring Boot binds to the
 * registry.
 */
@AutoConfiguration(after = AiojobsAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "aiojobs.enabled", matchIfMissing = true)
@ConditionalOnBean(MeterRegistry.class)
public final class AiojobsMetricsAutoConfiguration {

    /** The name of the metrics bean of the auto-configured scheduler; a bean of that name replaces it. */
    public static final String METRICS_BEAN_NAME = "jobSchedulerMetrics";

    AiojobsMetricsAutoConfiguration() {
    }

    // By name, not type: the application may declare JobSchedulerMetrics beans for schedulers
    // of its own next to the starter's one.
    @Bean(name = METRICS_BEAN_NAME)
    @ConditionalOnBean(name = AiojobsAutoConfiguration.SCHEDULER_BEAN_NAME)
    @ConditionalOnMissingBean(name = METRICS_BEAN_NAME)
    static JobSchedulerMetrics jobSchedulerMetrics(BeanFactory beanFactory) {
        String name = AiojobsAutoConfiguration.SCHEDULER_BEAN_NAME;
        // Looked up when first read: the scheduler is built with this very bean as a listener.
        return new JobSchedulerMetrics(name,
                SingletonSupplier.of(() -> beanFactory.getBean(name, JobScheduler.class)), List.of());
    }

    /**
     * Binds the metrics to the application's registry even when Spring Boot's metrics
     * auto-configuration, which binds every MeterBinder bean, is not in use. With it, the
     * second binding to the same registry does nothing.
     */
    @Bean
    static SmartInitializingSingleton jobSchedulerMetricsBinder(ObjectProvider<JobSchedulerMetrics> metrics,
            ObjectProvider<MeterRegistry> registry) {
        // Every JobSchedulerMetrics bean: the starter's and those of the application's own
        // schedulers (binding twice to one registry is a no-op).
        return () -> registry.ifUnique(target -> metrics.orderedStream().forEach(binder -> binder.bindTo(target)));
    }
}
