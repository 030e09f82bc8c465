package io.aiojobs.sample.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration;
import io.aiojobs.spring.boot.autoconfigure.JobSchedulerCustomizer;
import io.aiojobs.spring.boot.autoconfigure.metrics.AiojobsMetricsAutoConfiguration;
import io.aiojobs.spring.boot.autoconfigure.metrics.JobSchedulerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;

/**
 * Runs the examples shown in {@code docs/configuration.md}. The text between {@code tag::NAME[]}
 * and {@code end::NAME[]} is what the document shows, word for word ({@link ReadmeSnippetsTest}
 * checks that); the assertions check that it does what the document says.
 */
class ConfigurationDocExamplesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class));

    @Test
    void aServiceGetsTheStartersSchedulerInjected() {
        this.runner.withBean(ReportService.class).run(context -> {
            Job<Report> job = context.getBean(ReportService.class).startReport(new ReportRequest(42));

            assertThat(job.getName()).isEqualTo("report-42");
            assertThat(job.await(Duration.ofSeconds(10))).isEqualTo(new Report(42, "rendered"));
        });
    }

    @Test
    void aCustomizerAdjustsTheAutoConfiguredScheduler() {
        this.runner.withUserConfiguration(CustomizerConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(JobScheduler.class);
            assertThat(context.getBean(JobScheduler.class).closeTimeout()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void aSchedulerOfYourOwnIsMeteredThroughItsJobSchedulerMetricsBean() {
        this.runner.withConfiguration(AutoConfigurations.of(AiojobsMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withUserConfiguration(MetricsConfiguration.class)
                .run(context -> {
                    // Yours replaces the starter's scheduler; the lifecycle still closes it.
                    assertThat(context).getBeanNames(JobScheduler.class).containsExactly("reports");
                    JobScheduler reports = context.getBean("reports", JobScheduler.class);
                    assertThat(reports.spawn(() -> "done", "nightly").await(Duration.ofSeconds(10)))
                            .isEqualTo("done");

                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("aiojobs.jobs.spawned").tag("scheduler", "reports")
                            .functionCounter().count()).isEqualTo(1);
                    assertThat(registry.get("aiojobs.jobs.completed").tag("scheduler", "reports")
                            .tag("outcome", "success").functionCounter().count()).isEqualTo(1);
                    assertThat(registry.get("aiojobs.jobs.active").tag("scheduler", "reports")
                            .gauge().value()).isZero();
                });
    }

    // --- fixtures -------------------------------------------------------------------------------

    record ReportRequest(long id) {
    }

    record Report(long id, String body) {
    }

    // tag::report-service[]
    @Service
    static class ReportService {

        private final JobScheduler scheduler;

        ReportService(JobScheduler scheduler) {
            this.scheduler = scheduler;
        }

        Job<Report> startReport(ReportRequest request) {
            return this.scheduler.spawn(() -> render(request), "report-" + request.id());
        }

        private Report render(ReportRequest request) {
            return new Report(request.id(), "rendered"); // the slow part
        }
    }
    // end::report-service[]

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        // tag::scheduler-customizer[]
        @Bean
        JobSchedulerCustomizer longRunningJobs() {
            return builder -> builder.closeTimeout(Duration.ofSeconds(2));
        }
        // end::scheduler-customizer[]
    }

    @Configuration(proxyBeanMethods = false)
    static class MetricsConfiguration {

        // tag::scheduler-metrics[]
        @Bean
        JobSchedulerMetrics reportsMetrics(BeanFactory beanFactory) {
            // The gauges look the scheduler up when they are read, once it exists.
            return new JobSchedulerMetrics("reports",
                    () -> beanFactory.getBean("reports", JobScheduler.class), List.of());
        }

        @Bean
        JobScheduler reports(JobSchedulerMetrics reportsMetrics) {
            return JobScheduler.builder().listener(reportsMetrics).build();
        }
        // end::scheduler-metrics[]
    }
}
