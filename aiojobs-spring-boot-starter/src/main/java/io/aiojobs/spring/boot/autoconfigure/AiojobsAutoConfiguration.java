package io.aiojobs.spring.boot.autoconfigure;

import java.util.stream.Collectors;

import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import io.aiojobs.spring.boot.autoconfigure.metrics.JobSchedulerMetrics;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of a {@link JobScheduler} bean named {@value #SCHEDULER_BEAN_NAME}, bound to
 * the application context's lifecycle.
 *
 * <p>The scheduler is set from the {@code aiojobs.scheduler.*} properties
 * ({@link AiojobsProperties}); every {@link TaskDecorator} bean (several are applied in order),
 * every {@link JobListener} bean (except the {@code JobSchedulerMetrics} of another scheduler) and
 * every {@link JobSchedulerCustomizer} bean is applied to it,
 * and a {@link JobScheduler.ExceptionHandler} bean replaces the default one, which logs. It backs
 * off when the application defines its own {@link JobScheduler}, and the whole starter is
 * switched off by {@code aiojobs.enabled=false}. No {@link java.util.concurrent.Executor} bean is
 * exposed, so Spring Boot's {@code applicationTaskExecutor} stays in place.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration")
@ConditionalOnBooleanProperty(name = "aiojobs.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AiojobsProperties.class)
public final class AiojobsAutoConfiguration {

    /** The name of the auto-configured scheduler bean. */
    public static final String SCHEDULER_BEAN_NAME = "jobScheduler";

    private static final boolean METRICS_PRESENT = ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry",
            AiojobsAutoConfiguration.class.getClassLoader());

    AiojobsAutoConfiguration() {
    }

    @Bean(name = SCHEDULER_BEAN_NAME, destroyMethod = "close")
    @ConditionalOnMissingBean(JobScheduler.class)
    static JobScheduler jobScheduler(AiojobsProperties properties, Environment environment,
            ObjectProvider<TaskDecorator> taskDecorators, ObjectProvider<JobListener> listeners,
            ObjectProvider<JobScheduler.ExceptionHandler> exceptionHandler,
            ObjectProvider<JobSchedulerCustomizer> customizers) {
        JobScheduler.Builder builder = new JobSchedulerFactory(properties.getScheduler(), environment)
                .builder(taskDecorators.orderedStream().collect(Collectors.toList()),
                        listeners.orderedStream().filter(AiojobsAutoConfiguration::isForThisScheduler)
                                .collect(Collectors.toList()),
                        exceptionHandler.getIfUnique(LoggingExceptionHandler::new));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * Whether a listener bean is meant for the auto-configured scheduler: every one except the
     * metrics of another scheduler (declared as beans so that they get bound to the registry).
     */
    private static boolean isForThisScheduler(JobListener listener) {
        return !METRICS_PRESENT || Metrics.isForScheduler(listener, SCHEDULER_BEAN_NAME);
    }

    @Bean
    @ConditionalOnMissingBean
    static JobSchedulerLifecycle jobSchedulerLifecycle(ListableBeanFactory beanFactory,
            AiojobsProperties properties, Environment environment) {
        return new JobSchedulerLifecycle(beanFactory,
                new JobSchedulerFactory(properties.getScheduler(), environment).phaseTimeout());
    }

    /** Kept apart so that Micrometer is loaded only when present. */
    private static final class Metrics {

        static boolean isForScheduler(JobListener listener, String schedulerName) {
            return !(listener instanceof JobSchedulerMetrics metrics) || metrics.schedulerName().equals(schedulerName);
        }
    }
}
