package io.aiojobs.spring.boot.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import io.aiojobs.JobTimeoutException;
import io.aiojobs.SpawnOptions;
import io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AiojobsMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class,
                    AiojobsMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            // Failures are expected here: keep them out of the log.
            .withBean(JobScheduler.ExceptionHandler.class, () -> (scheduler, context) -> {
            });

    @Test
    void realJobsAreCountedAndTimedOnTheRegistryTaggedWithTheSchedulerBeanName() {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.limit=1").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
            JobScheduler scheduler = context.getBean(JobScheduler.class);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Job<Boolean> blocker = scheduler.spawn(() -> {
                started.countDown();
                return release.await(10, TimeUnit.SECONDS);
            });
            Job<String> queued = scheduler.spawn(() -> "second");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(gauge(registry, JobSchedulerMetrics.ACTIVE)).isEqualTo(1);
            assertThat(gauge(registry, JobSchedulerMetrics.PENDING)).isEqualTo(1);
            release.countDown();
            assertThat(blocker.await(Duration.ofSeconds(10))).isTrue();
            assertThat(queued.await(Duration.ofSeconds(10))).isEqualTo("second");

            scheduler.spawn(() -> {
                throw new IllegalStateException("boom");
            });
            CountDownLatch cancelledStarted = new CountDownLatch(1);
            Job<Boolean> cancelled = scheduler.spawn(() -> {
                cancelledStarted.countDown();
                return new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            });
            assertThat(cancelledStarted.await(10, TimeUnit.SECONDS)).isTrue();
            cancelled.close();
            Job<Boolean> late = scheduler.spawn(() -> new CountDownLatch(1).await(10, TimeUnit.SECONDS),
                    SpawnOptions.defaults().timeout(Duration.ofMillis(20)));
            assertThatExceptionOfType(JobTimeoutException.class).isThrownBy(() -> late.await(Duration.ofSeconds(10)));
            // Waits until every job's end has been reported to the listeners.
            scheduler.waitAndClose(Duration.ofSeconds(10));

            assertThat(counter(registry, JobSchedulerMetrics.SPAWNED)).isEqualTo(5);
            assertThat(completed(registry, "success")).isEqualTo(2);
            assertThat(completed(registry, "failure")).isEqualTo(1);
            assertThat(completed(registry, "cancelled")).isEqualTo(1);
            assertThat(completed(registry, "timeout")).isEqualTo(1);
            assertThat(counter(registry, JobSchedulerMetrics.CLOSE_TIMEOUTS)).isZero();
            assertThat(registry.get(JobSchedulerMetrics.DURATION).tag("scheduler", "jobScheduler").timer()
                    .count()).isEqualTo(5);
            assertThat(registry.get(JobSchedulerMetrics.QUEUED).tag("scheduler", "jobScheduler").timer()
                    .count()).isEqualTo(5);
            assertThat(registry.get(JobSchedulerMetrics.DURATION).timer().totalTime(TimeUnit.NANOSECONDS))
                    .isPositive();
            assertThat(gauge(registry, JobSchedulerMetrics.ACTIVE)).isZero();
            assertThat(gauge(registry, JobSchedulerMetrics.PENDING)).isZero();
        });
    }

    @Test
    void everyMeterHasTheSchedulerTagABaseUnitAndADescription() {
        this.contextRunner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("aiojobs.jobs.completed").meters()).hasSize(4);
            assertThat(registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("aiojobs.")))
                    .extracting(meter -> meter.getId().getName()).containsOnly(JobSchedulerMetrics.ACTIVE,
                            JobSchedulerMetrics.PENDING, JobSchedulerMetrics.SPAWNED, JobSchedulerMetrics.COMPLETED,
                            JobSchedulerMetrics.CLOSE_TIMEOUTS, JobSchedulerMetrics.DURATION, JobSchedulerMetrics.QUEUED)
                    .hasSize(10);
            for (Meter meter : registry.getMeters()) {
                if (meter.getId().getName().startsWith("aiojobs.")) {
                    assertThat(meter.getId().getTag("scheduler")).as(meter.getId().getName()).isEqualTo("jobScheduler");
                    assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
                    if (meter.getId().getType() != Meter.Type.TIMER) {
                        assertThat(meter.getId().getBaseUnit()).as(meter.getId().getName()).isEqualTo("jobs");
                    }
                }
            }
        });
    }

    @Test
    void jobsThatOutliveTheCloseTimeoutAreCounted() {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.close-timeout=20ms").run(context -> {
            JobScheduler scheduler = context.getBean(JobScheduler.class);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            scheduler.spawn(() -> {
                started.countDown();
                while (true) {
                    try {
                        if (release.await(10, TimeUnit.SECONDS)) {
                            return;
                        }
                    } catch (InterruptedException ignored) {
                        // a stubborn job
                    }
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            scheduler.close();
            release.countDown();
            assertThat(counter(context.getBean(MeterRegistry.class), JobSchedulerMetrics.CLOSE_TIMEOUTS))
                    .isEqualTo(1);
        });
    }

    @Test
    void jobsSpawnedDuringStartUpAreCountedAlthoughTheMetersAreBoundLater() {
        this.contextRunner.withBean(EarlyJob.class).run(context -> {
            context.getBean(EarlyJob.class).job.await(Duration.ofSeconds(10));
            assertThat(counter(context.getBean(MeterRegistry.class), JobSchedulerMetrics.SPAWNED)).isEqualTo(1);
        });
    }

    @Test
    void metricsAreBoundToTheApplicationsRegistryWithoutSpringBootsMetricsAutoConfiguration() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class,
                        AiojobsMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, () -> registry)
                .run(context -> {
                    JobScheduler scheduler = context.getBean(JobScheduler.class);
                    scheduler.spawn(() -> "done");
                    scheduler.waitAndClose(Duration.ofSeconds(10));
                    assertThat(counter(registry, JobSchedulerMetrics.SPAWNED)).isEqualTo(1);
                    assertThat(completed(registry, "success")).isEqualTo(1);
                    assertThat(registry.get(JobSchedulerMetrics.DURATION).timer().count()).isEqualTo(1);
                });
    }

    @Test
    void bindingTwiceToTheSameRegistryDoesNotTimeJobsTwice() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JobSchedulerMetrics metrics = new JobSchedulerMetrics("twice", () -> null, java.util.List.of());
        metrics.bindTo(registry);
        metrics.bindTo(registry);
        JobScheduler scheduler = JobScheduler.builder().listener(metrics).build();
        scheduler.spawn(() -> "done");
        scheduler.waitAndClose(Duration.ofSeconds(10));
        assertThat(registry.get(JobSchedulerMetrics.DURATION).timer().count()).isEqualTo(1);
        assertThat(registry.get(JobSchedulerMetrics.ACTIVE).gauge().value()).isNaN();
    }

    @Test
    void metricsBackOffWithoutAMeterRegistryBean() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class,
                        AiojobsMetricsAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(JobScheduler.class);
                    assertThat(context).doesNotHaveBean(JobSchedulerMetrics.class);
                });
    }

    @Test
    void nothingBreaksWhenMicrometerIsAbsent() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class,
                        AiojobsMetricsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JobScheduler.class)
                            .doesNotHaveBean(JobSchedulerMetrics.class);
                    assertThat(context.getBean(JobScheduler.class).spawn(() -> "ok")
                            .await(Duration.ofSeconds(10))).isEqualTo("ok");
                });
    }

    @Test
    void metricsBackOffWhenTheApplicationsSchedulerHasAnotherName() {
        this.contextRunner.withBean("reports", JobScheduler.class, JobScheduler::new)
                .run(context -> assertThat(context).doesNotHaveBean(JobSchedulerMetrics.class));
    }

    @Test
    void aSchedulerOfTheApplicationCanBeMeteredAsTheDocumentationShows() {
        this.contextRunner.withUserConfiguration(OwnMeteredSchedulerConfiguration.class).run(context -> {
            JobScheduler reports = context.getBean("reports", JobScheduler.class);
            reports.spawn(() -> "done");
            reports.waitAndClose(Duration.ofSeconds(10));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(JobSchedulerMetrics.COMPLETED).tag("scheduler", "reports")
                    .tag("outcome", "success").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get(JobSchedulerMetrics.ACTIVE).tag("scheduler", "reports").gauge().value())
                    .isZero();
        });
    }

    @Test
    void severalSchedulersOfTheApplicationAreEachMeteredWithoutSpringBootsMetricsAutoConfiguration() {
        assertEachOfTwoSchedulersIsMetered(new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class,
                        AiojobsMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new));
    }

    @Test
    void severalSchedulersOfTheApplicationAreEachMeteredWithSpringBootsMetricsAutoConfiguration() {
        assertEachOfTwoSchedulersIsMetered(this.contextRunner);
    }

    private static void assertEachOfTwoSchedulersIsMetered(ApplicationContextRunner runner) {
        runner.withUserConfiguration(OwnMeteredSchedulerConfiguration.class, MailMeteredSchedulerConfiguration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    for (String name : java.util.List.of("reports", "mail")) {
                        JobScheduler scheduler = context.getBean(name, JobScheduler.class);
                        scheduler.spawn(() -> "done");
                        scheduler.waitAndClose(Duration.ofSeconds(10));
                        assertThat(registry.get(JobSchedulerMetrics.COMPLETED).tag("scheduler", name)
                                .tag("outcome", "success").functionCounter().count()).as(name).isEqualTo(1);
                    }
                });
    }

    @Test
    void metricsAreSwitchedOffWithTheStarterEvenForASchedulerOfTheApplicationNamedJobScheduler() {
        this.contextRunner.withPropertyValues("aiojobs.enabled=false")
                .withBean("jobScheduler", JobScheduler.class, JobScheduler::new)
                .run(context -> assertThat(context).hasSingleBean(JobScheduler.class)
                        .doesNotHaveBean(JobSchedulerMetrics.class));
    }

    @Test
    void anExtraMeteredSchedulerLeavesTheStartersSchedulerMeteredAndItsJobsOutOfTheExtrasMeters() {
        this.contextRunner.withUserConfiguration(ExtraMeteredSchedulerConfiguration.class).run(context -> {
            assertThat(context).getBeanNames(JobScheduler.class)
                    .containsExactlyInAnyOrder("jobScheduler", "reports");
            JobScheduler starters = context.getBean("jobScheduler", JobScheduler.class);
            starters.spawn(() -> "done");
            starters.waitAndClose(Duration.ofSeconds(10));

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(counter(registry, JobSchedulerMetrics.SPAWNED)).isEqualTo(1);
            assertThat(completed(registry, "success")).isEqualTo(1);
            assertThat(registry.get(JobSchedulerMetrics.SPAWNED).tag("scheduler", "reports")
                    .functionCounter().count()).isZero();
        });
    }

    /** An extra scheduler that keeps the starter's (no default candidate), metered as documented. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class ExtraMeteredSchedulerConfiguration {

        @org.springframework.context.annotation.Bean
        JobSchedulerMetrics reportsMetrics(org.springframework.beans.factory.BeanFactory beanFactory) {
            return new JobSchedulerMetrics("reports", () -> beanFactory.getBean("reports", JobScheduler.class),
                    java.util.List.of());
        }

        @org.springframework.context.annotation.Bean(destroyMethod = "close", defaultCandidate = false)
        JobScheduler reports(JobSchedulerMetrics reportsMetrics) {
            return JobScheduler.builder().listener(reportsMetrics).build();
        }
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class MailMeteredSchedulerConfiguration {

        @org.springframework.context.annotation.Bean
        JobSchedulerMetrics mailMetrics(org.springframework.beans.factory.BeanFactory beanFactory) {
            return new JobSchedulerMetrics("mail", () -> beanFactory.getBean("mail", JobScheduler.class),
                    java.util.List.of());
        }

        @org.springframework.context.annotation.Bean(destroyMethod = "close")
        JobScheduler mail(JobSchedulerMetrics mailMetrics) {
            return JobScheduler.builder().listener(mailMetrics).build();
        }
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OwnMeteredSchedulerConfiguration {

        @org.springframework.context.annotation.Bean
        JobSchedulerMetrics reportsMetrics(org.springframework.beans.factory.BeanFactory beanFactory) {
            return new JobSchedulerMetrics("reports", () -> beanFactory.getBean("reports", JobScheduler.class),
                    java.util.List.of());
        }

        @org.springframework.context.annotation.Bean
        JobScheduler reports(JobSchedulerMetrics reportsMetrics) {
            return JobScheduler.builder().listener(reportsMetrics).build();
        }
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).tag("scheduler", "jobScheduler").gauge().value();
    }

    private static double counter(MeterRegistry registry, String name) {
        return registry.get(name).tag("scheduler", "jobScheduler").functionCounter().count();
    }

    private static double completed(MeterRegistry registry, String outcome) {
        return registry.get(JobSchedulerMetrics.COMPLETED).tag("scheduler", "jobScheduler")
                .tag("outcome", outcome).functionCounter().count();
    }

    static final class EarlyJob {

        final Job<String> job;

        EarlyJob(JobScheduler scheduler) {
            this.job = scheduler.spawn(() -> "early");
        }
    }
}
