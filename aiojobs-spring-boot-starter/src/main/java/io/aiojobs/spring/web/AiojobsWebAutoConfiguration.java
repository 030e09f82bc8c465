package io.aiojobs.spring.web;

import io.aiojobs.JobScheduler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of the Spring MVC integration: {@link Atomic} handlers and the 503 answer
 * when the scheduler refuses a request's job. Active in a servlet web application that has a
 * {@link JobScheduler} bean, unless {@code aiojobs.enabled=false}.
 */
@AutoConfiguration(afterName = "io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "aiojobs.enabled", matchIfMissing = true)
@ConditionalOnBean(JobScheduler.class)
@EnableConfigurationProperties(AiojobsWebProperties.class)
public final class AiojobsWebAutoConfiguration {

    /** Bean name of the {@code @Atomic} post-processor. */
    static final String POST_PROCESSOR_BEAN_NAME = "io.aiojobs.spring.web.atomicAnnotationBeanPostProcessor";

    AiojobsWebAutoConfiguration() {
    }

    @Bean(name = POST_PROCESSOR_BEAN_NAME)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static AtomicAnnotationBeanPostProcessor atomicAnnotationBeanPostProcessor(
            ObjectProvider<AiojobsWebProperties> properties) {
        // Static and lazy: a post-processor must not pull the properties in early. Resolved once,
        // at the first @Atomic call, not on every request; the value is still read at each call.
        SingletonSupplier<AiojobsWebProperties> resolved = SingletonSupplier.of(properties::getObject);
        return new AtomicAnnotationBeanPostProcessor(() -> resolved.obtain().getQueueTimeout());
    }

    @Bean
    RejectedJobExceptionResolver aiojobsRejectedJobExceptionResolver(AiojobsWebProperties properties) {
        return new RejectedJobExceptionResolver(properties.getRetryAfter());
    }
}
