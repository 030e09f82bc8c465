package io.aiojobs.spring.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@code @Atomic} finds its scheduler: once per method (not on every call), lazily, by name
 * or by default, and without remembering a failed lookup.
 */
class AtomicSchedulerResolutionTests {

    private final CountingBeanFactory beanFactory = new CountingBeanFactory();

    private final AtomicInteger reportsCreated = new AtomicInteger();

    @AfterEach
    void closeSchedulers() {
        this.beanFactory.destroySingletons();
    }

    @Test
    void eachMethodLooksItsSchedulerUpOnceNotOnEveryCall() {
        registerDefaultScheduler();
        registerLazyReportsScheduler();
        Handlers handlers = proxy();

        for (int i = 0; i < 5; i++) {
            assertThat(handlers.onDefault()).startsWith("default-");
            assertThat(handlers.onReports()).startsWith("reports-");
        }

        assertThat(this.beanFactory.schedulerLookups).hasValue(2);
    }

    @Test
    void aLazySchedulerIsCreatedAtTheFirstCallOfAMethodThatNamesIt() {
        registerDefaultScheduler();
        registerLazyReportsScheduler();
        Handlers handlers = proxy();

        assertThat(handlers.onDefault()).startsWith("default-");
        assertThat(this.reportsCreated).hasValue(0);
        assertThat(handlers.onReports()).startsWith("reports-");
        assertThat(handlers.onReports()).startsWith("reports-");
        assertThat(this.reportsCreated).hasValue(1);
    }

    @Test
    void aMissingSchedulerFailsEveryCallUntilItExists() {
        registerDefaultScheduler();
        Handlers handlers = proxy();

        assertThatThrownBy(handlers::onReports).isInstanceOf(NoSuchBeanDefinitionException.class)
                .hasMessageContaining("reports");
        assertThatThrownBy(handlers::onReports).isInstanceOf(NoSuchBeanDefinitionException.class);

        registerLazyReportsScheduler();
        assertThat(handlers.onReports()).startsWith("reports-");
    }

    @Test
    void withoutAnySchedulerEveryCallFailsSayingHowToRegisterOne() {
        Handlers handlers = proxy();

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(handlers::onDefault).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No JobScheduler bean for @Atomic")
                    .hasMessageContaining("aiojobs-spring-boot-starter");
        }
    }

    @Test
    void outsideARequestTheJobIsNamedAfterTheClassAndTheMethod() {
        List<String> spawned = new CopyOnWriteArrayList<>();
        JobListener names = new JobListener() {
            @Override
            public void onSpawned(Job<?> job) {
                spawned.add(job.getName());
            }
        };
        this.beanFactory.registerBeanDefinition("jobScheduler", BeanDefinitionBuilder
                .genericBeanDefinition(JobScheduler.class, () -> JobScheduler.builder().listener(names).build())
                .setDestroyMethodName("close").getBeanDefinition());

        proxy().onDefault();

        assertThat(spawned).containsExactly("AtomicSchedulerResolutionTests.Handlers.onDefault");
    }

    private void registerDefaultScheduler() {
        this.beanFactory.registerBeanDefinition("jobScheduler", BeanDefinitionBuilder
                .genericBeanDefinition(JobScheduler.class, () -> JobScheduler.builder().name("default").build())
                .setDestroyMethodName("close").getBeanDefinition());
    }

    private void registerLazyReportsScheduler() {
        this.beanFactory.registerBeanDefinition("reports", BeanDefinitionBuilder
                .genericBeanDefinition(JobScheduler.class, () -> {
                    this.reportsCreated.incrementAndGet();
                    return JobScheduler.builder().name("reports").build();
                })
                .setLazyInit(true).setDestroyMethodName("close").getBeanDefinition());
    }

    private Handlers proxy() {
        ProxyFactory factory = new ProxyFactory(new Handlers());
        factory.setProxyTargetClass(true);
        factory.addAdvice(new AtomicInterceptor(this.beanFactory, () -> null));
        return (Handlers) factory.getProxy();
    }

    static class Handlers {

        @Atomic
        String onDefault() {
            return Thread.currentThread().getName();
        }

        @Atomic("reports")
        String onReports() {
            return Thread.currentThread().getName();
        }
    }

    /** Counts the times a JobScheduler bean is fetched from it. */
    @SuppressWarnings("serial")
    static final class CountingBeanFactory extends DefaultListableBeanFactory {

        final AtomicInteger schedulerLookups = new AtomicInteger();

        @Override
        public <T> T getBean(String name, Class<T> requiredType) {
            if (requiredType == JobScheduler.class) {
                this.schedulerLookups.incrementAndGet();
            }
            return super.getBean(name, requiredType);
        }
    }
}
