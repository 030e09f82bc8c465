package io.aiojobs.spring.boot.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ActuatorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class,
                    JobsEndpointAutoConfiguration.class, JobSchedulerHealthAutoConfiguration.class));

    @Test
    void jobsEndpointIsRegisteredWhenExposed() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=jobs")
                .run(context -> assertThat(context).hasSingleBean(JobsEndpoint.class));
    }

    @Test
    void jobsEndpointIsNotRegisteredWhenNotExposed() {
        this.contextRunner.run(context -> assertThat(context).doesNotHaveBean(JobsEndpoint.class));
    }

    @Test
    void jobsEndpointListsSettingsCountsAndCurrentJobs() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=jobs",
                "aiojobs.scheduler.limit=1", "aiojobs.scheduler.close-timeout=250ms").run(context -> {
                    JobScheduler scheduler = context.getBean(JobScheduler.class);
                    CountDownLatch started = new CountDownLatch(1);
                    CountDownLatch release = new CountDownLatch(1);
                    Job<Boolean> running = scheduler.spawn(() -> {
                        started.countDown();
                        return release.await(10, TimeUnit.SECONDS);
                    }, "running-report");
                    Job<String> waiting = scheduler.spawn(() -> "done", "waiting-report");
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

                    JobsEndpoint.SchedulersDescriptor all = context.getBean(JobsEndpoint.class).jobs();
                    assertThat(all.schedulers()).containsOnlyKeys("jobScheduler");
                    JobsEndpoint.SchedulerDescriptor descriptor = all.schedulers().get("jobScheduler");
                    assertThat(descriptor.limit()).isEqualTo(1);
                    assertThat(descriptor.pendingLimit()).isEqualTo(10000);
                    assertThat(descriptor.closeTimeout()).isEqualTo("PT0.25S");
                    assertThat(descriptor.activeCount()).isEqualTo(1);
                    assertThat(descriptor.pendingCount()).isEqualTo(1);
                    assertThat(descriptor.closed()).isFalse();
                    assertThat(descriptor.jobs()).extracting(JobsEndpoint.JobDescriptor::name,
                            JobsEndpoint.JobDescriptor::state)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("running-report", "active"),
                                    org.assertj.core.groups.Tuple.tuple("waiting-report", "pending"));
                    assertThat(Duration.parse(descriptor.jobs().get(0).age())).isPositive();

                    assertThat(context.getBean(JobsEndpoint.class).scheduler("jobScheduler")).isNotNull();
                    assertThat(context.getBean(JobsEndpoint.class).scheduler("nope")).isNull();
                    release.countDown();
                    assertThat(running.await(Duration.ofSeconds(10))).isTrue();
                    assertThat(waiting.await(Duration.ofSeconds(10))).isEqualTo("done");
                });
    }

    @Test
    void healthIsUpWhileTheSchedulerRunsAndDownOnceItIsClosed() {
        this.contextRunner.run(context -> {
            assertThat(context).hasBean("aiojobsHealthIndicator");
            JobSchedulerHealthIndicator indicator = context.getBean(JobSchedulerHealthIndicator.class);
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsKey("jobScheduler");
            context.getBean(JobScheduler.class).close();
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("jobScheduler")).isEqualTo(
                    Map.of("closed", true, "active", 0, "pending", 0));
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        this.contextRunner.withPropertyValues("management.health.aiojobs.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(JobSchedulerHealthIndicator.class));
    }

    @Test
    void actuatorIntegrationBacksOffWithoutTheActuatorOnTheClasspath() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=jobs")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                        "org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JobScheduler.class);
                    assertThat(context).doesNotHaveBean(JobsEndpoint.class)
                            .doesNotHaveBean(JobSchedulerHealthIndicator.class);
                });
    }

    @Test
    void actuatorIntegrationIsSwitchedOffWithTheStarter() {
        this.contextRunner.withPropertyValues("aiojobs.enabled=false",
                "management.endpoints.web.exposure.include=jobs").run(context -> {
                    assertThat(context).doesNotHaveBean(JobsEndpoint.class)
                            .doesNotHaveBean(JobSchedulerHealthIndicator.class);
                });
    }
}
