package io.aiojobs.spring.web;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aiojobs.JobScheduler;
import io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

import static org.assertj.core.api.Assertions.assertThat;

class AiojobsWebAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AiojobsWebAutoConfiguration.class));

    @Test
    void webIntegrationWhenSchedulerIsPresentShouldRegisterItsBeans() {
        this.runner.withUserConfiguration(SchedulerConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(AtomicAnnotationBeanPostProcessor.class)
                    .hasSingleBean(RejectedJobExceptionResolver.class)
                    .hasSingleBean(AiojobsWebProperties.class);
        });
    }

    @Test
    void webIntegrationUsesTheStartersScheduler() {
        this.runner.withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class))
                .withPropertyValues("aiojobs.scheduler.thread-name-prefix=starter-")
                .withUserConfiguration(ServiceConfiguration.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(JobScheduler.class)
                            .hasSingleBean(AtomicAnnotationBeanPostProcessor.class);
                    assertThat(context.getBean(AtomicService.class).thread()).startsWith("starter-");
                });
    }

    @Test
    void webIntegrationWithTheStarterDisabledShouldBackOff() {
        this.runner.withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class))
                .withPropertyValues("aiojobs.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(JobScheduler.class)
                        .doesNotHaveBean(AtomicAnnotationBeanPostProcessor.class));
    }

    @Test
    void webIntegrationWithoutSchedulerShouldBackOff() {
        this.runner.run(context -> assertThat(context)
                .doesNotHaveBean(AtomicAnnotationBeanPostProcessor.class)
                .doesNotHaveBean(RejectedJobExceptionResolver.class));
    }

    @Test
    void webIntegrationWhenAiojobsIsDisabledShouldBackOff() {
        this.runner.withUserConfiguration(SchedulerConfiguration.class)
                .withPropertyValues("aiojobs.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AtomicAnnotationBeanPostProcessor.class));
    }

    @Test
    void webIntegrationInANonWebApplicationShouldBackOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AiojobsWebAutoConfiguration.class))
                .withUserConfiguration(SchedulerConfiguration.class)
                .run(context -> assertThat(context).doesNotHaveBean(AtomicAnnotationBeanPostProcessor.class));
    }

    @Test
    void negativeQueueTimeoutFailsStartUpNamingTheProperty() {
        this.runner.withUserConfiguration(SchedulerConfiguration.class)
                .withPropertyValues("aiojobs.web.queue-timeout=-1s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("aiojobs.web.queue-timeout"));
    }

    @Test
    void atomicMethodRunsAsAJobWithoutAnAutoProxyCreator() {
        this.runner.withUserConfiguration(SchedulerConfiguration.class, ServiceConfiguration.class)
                .run(context -> {
                    AtomicService service = context.getBean(AtomicService.class);
                    assertThat(AopUtils.isAopProxy(service)).isTrue();
                    assertThat(service.thread()).startsWith("autoconfig-");
                    assertThat(service.plainThread()).isEqualTo(Thread.currentThread().getName());
                });
    }

    @Test
    void atomicOnAClassCoversItsMethodsButNotThoseOfObject() {
        this.runner.withUserConfiguration(SchedulerConfiguration.class, ServiceConfiguration.class)
                .run(context -> {
                    AtomicClassService service = context.getBean(AtomicClassService.class);
                    assertThat(service.thread()).startsWith("autoconfig-");
                    assertThat(service.toString()).isEqualTo(Thread.currentThread().getName());
                });
    }

    @Test
    @Timeout(10)
    void atomicMethodCalledFromAnAtomicJobRunsInThatJob() {
        this.runner.withUserConfiguration(SingleSlotSchedulerConfiguration.class, ServiceConfiguration.class)
                .run(context -> {
                    AtomicClassService service = context.getBean(AtomicClassService.class);
                    // With a single slot, a nested job would wait forever for the outer one.
                    String[] threads = service.nested().split("\\|");
                    assertThat(threads[0]).startsWith("autoconfig-").isEqualTo(threads[1]);
                });
    }

    @Test
    void atomicMethodRunsAsAJobWithBootsAopAutoConfiguration() {
        this.runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
                .withUserConfiguration(SchedulerConfiguration.class, ServiceConfiguration.class)
                .run(context -> {
                    AtomicService service = context.getBean(AtomicService.class);
                    assertThat(service.thread()).startsWith("autoconfig-");
                });
    }

    @Test
    void atomicAdviceComesFirstOnABeanAlreadyProxiedForAnotherReason() {
        this.runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
                .withUserConfiguration(SchedulerConfiguration.class, AdvisedServiceConfiguration.class)
                .run(context -> {
                    AdvisedAtomicService service = context.getBean(AdvisedAtomicService.class);
                    assertThat(service.thread()).startsWith("autoconfig-");
                    // The other advice ran inside the job: @Atomic's advice came first.
                    assertThat(AdvisedServiceConfiguration.adviceThread).startsWith("autoconfig-");
                });
    }

    @Test
    void interruptingTheCallingThreadNeitherCancelsTheJobNorAbandonsItsResult() {
        this.runner.withUserConfiguration(SchedulerConfiguration.class, ServiceConfiguration.class)
                .run(context -> {
                    AtomicService service = context.getBean(AtomicService.class);
                    CompletableFuture<String> returned = new CompletableFuture<>();
                    CompletableFuture<Boolean> interruptFlag = new CompletableFuture<>();
                    Thread caller = new Thread(() -> {
                        try {
                            returned.complete(service.slow());
                        } catch (Throwable ex) {
                            returned.completeExceptionally(ex);
                        }
                        interruptFlag.complete(Thread.currentThread().isInterrupted());
                    });
                    caller.start();
                    assertThat(AtomicService.started.await(10, TimeUnit.SECONDS)).isTrue();
                    caller.interrupt();
                    // The caller keeps waiting: nothing has come back yet.
                    assertThat(returned).isNotDone();
                    AtomicService.release.countDown();

                    assertThat(returned.get(10, TimeUnit.SECONDS)).isEqualTo("not interrupted");
                    assertThat(interruptFlag.get(10, TimeUnit.SECONDS)).isTrue();
                    caller.join(10_000);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class SchedulerConfiguration {

        @Bean(destroyMethod = "close")
        JobScheduler jobScheduler() {
            return JobScheduler.builder().name("autoconfig").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SingleSlotSchedulerConfiguration {

        @Bean(destroyMethod = "close")
        JobScheduler jobScheduler() {
            return JobScheduler.builder().name("autoconfig").limit(1).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ServiceConfiguration {

        @Bean
        AtomicService atomicService() {
            return new AtomicService();
        }

        @Bean
        AtomicClassService atomicClassService(AtomicService atomicService) {
            return new AtomicClassService(atomicService);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AdvisedServiceConfiguration {

        static volatile String adviceThread;

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static Advisor recordingAdvisor() {
            MethodInterceptor recording = invocation -> {
                adviceThread = Thread.currentThread().getName();
                return invocation.proceed();
            };
            return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(Recorded.class), recording);
        }

        @Bean
        AdvisedAtomicService advisedAtomicService() {
            return new AdvisedAtomicService();
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface Recorded {
    }

    static class AtomicService {

        @Atomic
        String thread() {
            return Thread.currentThread().getName();
        }

        // Static: the bean seen by the test is a class proxy, whose own fields are unset.
        static final CountDownLatch started = new CountDownLatch(1);

        static final CountDownLatch release = new CountDownLatch(1);

        @Atomic
        String slow() {
            started.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS) ? "not interrupted" : "never released";
            } catch (InterruptedException ex) {
                return "interrupted";
            }
        }

        String plainThread() {
            return Thread.currentThread().getName();
        }
    }

    @Atomic
    static class AtomicClassService {

        private final AtomicService other;

        AtomicClassService(AtomicService other) {
            this.other = other;
        }

        String thread() {
            return Thread.currentThread().getName();
        }

        /** This job's thread, then the thread of the nested @Atomic call. */
        String nested() {
            return Thread.currentThread().getName() + "|" + this.other.thread();
        }

        @Override
        public String toString() {
            return Thread.currentThread().getName();
        }
    }

    @Recorded
    static class AdvisedAtomicService {

        @Atomic
        String thread() {
            return Thread.currentThread().getName();
        }
    }
}
