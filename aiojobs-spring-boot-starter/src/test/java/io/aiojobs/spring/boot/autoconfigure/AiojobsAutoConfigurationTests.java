package io.aiojobs.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.aiojobs.ExceptionContext;
import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(OutputCaptureExtension.class)
class AiojobsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class));

    @Test
    void schedulerIsRegisteredAsJobSchedulerWithTheDocumentedDefaults() {
        this.contextRunner.run(context -> {
            assertThat(context).hasSingleBean(JobScheduler.class).hasBean("jobScheduler");
            JobScheduler scheduler = context.getBean(JobScheduler.class);
            assertThat(scheduler.limit()).isEqualTo(100);
            assertThat(scheduler.pendingLimit()).isEqualTo(10000);
            assertThat(scheduler.closeTimeout()).isEqualTo(Duration.ofMillis(100));
            assertThat(scheduler.exceptionHandler()).isInstanceOf(LoggingExceptionHandler.class);
            assertThat(scheduler.isPaused()).isFalse();
        });
    }

    @Test
    void defaultWaitTimeoutIsCappedToFitWithTheCloseTimeoutInTheShutdownPhase() {
        this.contextRunner.run(context -> assertThat(context.getBean(JobScheduler.class).waitTimeout())
                .isEqualTo(Duration.ofSeconds(30).minusMillis(100)));
        this.contextRunner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=5s",
                "aiojobs.scheduler.close-timeout=1s")
                .run(context -> assertThat(context.getBean(JobScheduler.class).waitTimeout())
                        .isEqualTo(Duration.ofSeconds(4)));
    }

    @Test
    void defaultWaitTimeoutIsKeptWhenTheShutdownPhaseIsLongEnough(CapturedOutput output) {
        this.contextRunner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=2m")
                .run(context -> assertThat(context.getBean(JobScheduler.class).waitTimeout())
                        .isEqualTo(Duration.ofSeconds(60)));
        assertThat(output).doesNotContain("Spring will stop waiting first");
    }

    @Test
    void explicitWaitTimeoutThatDoesNotFitIsHonouredWithAWarning(CapturedOutput output) {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.wait-timeout=90s").run(context -> {
            assertThat(context.getBean(JobScheduler.class).waitTimeout()).isEqualTo(Duration.ofSeconds(90));
            assertThat(output).contains("Job scheduler 'jobScheduler' may wait PT1M30S")
                    .contains("spring.lifecycle.timeout-per-shutdown-phase (PT30S)")
                    .contains("Spring will stop waiting first");
        });
    }

    @Test
    void explicitWaitTimeoutThatFitsIsUsedWithoutWarning(CapturedOutput output) {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.wait-timeout=10s")
                .run(context -> assertThat(context.getBean(JobScheduler.class).waitTimeout())
                        .isEqualTo(Duration.ofSeconds(10)));
        assertThat(output).doesNotContain("Spring will stop waiting first");
    }

    @Test
    void schedulerPropertiesAreApplied() {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.limit=5",
                "aiojobs.scheduler.pending-limit=0", "aiojobs.scheduler.close-timeout=250ms").run(context -> {
                    JobScheduler scheduler = context.getBean(JobScheduler.class);
                    assertThat(scheduler.limit()).isEqualTo(5);
                    assertThat(scheduler.pendingLimit()).isZero();
                    assertThat(scheduler.closeTimeout()).isEqualTo(Duration.ofMillis(250));
                });
    }

    @Test
    void spawnSiteIsCapturedWhenAskedFor() {
        CompletableFuture<ExceptionContext> reported = new CompletableFuture<>();
        this.contextRunner.withPropertyValues("aiojobs.scheduler.capture-spawn-site=true")
                .withBean(JobScheduler.ExceptionHandler.class,
                        () -> (scheduler, context) -> reported.complete(context))
                .run(context -> {
                    context.getBean(JobScheduler.class).spawn(() -> {
                        throw new IllegalStateException("boom");
                    });
                    ExceptionContext failure = reported.get(10, TimeUnit.SECONDS);
                    assertThat(failure.message()).isEqualTo("Job processing failed");
                    assertThat(failure.sourceTraceback()).anySatisfy(frame -> assertThat(
                            frame.getMethodName()).contains("spawnSiteIsCapturedWhenAskedFor"));
                });
    }

    @Test
    void spawnSiteIsNotCapturedByDefault() {
        CompletableFuture<ExceptionContext> reported = new CompletableFuture<>();
        this.contextRunner.withBean(JobScheduler.ExceptionHandler.class,
                () -> (scheduler, context) -> reported.complete(context)).run(context -> {
                    context.getBean(JobScheduler.class).spawn(() -> {
                        throw new IllegalStateException("boom");
                    });
                    assertThat(reported.get(10, TimeUnit.SECONDS).sourceTraceback()).isEmpty();
                });
    }

    @Test
    void threadNamePrefixNamesJobThreads() throws Exception {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.thread-name-prefix=worker-")
                .run(context -> assertThat(context.getBean(JobScheduler.class)
                        .spawn(() -> Thread.currentThread().getName()).await(Duration.ofSeconds(10)))
                        .isEqualTo("worker-1"));
    }

    @Test
    void jobsRunOnPlatformThreadsByDefault() {
        this.contextRunner.run(context -> assertThat(threadOfAJob(context.getBean(JobScheduler.class)))
                .isFalse());
    }

    @Test
    void virtualThreadsFollowSpringThreadsVirtualEnabledOnJava21AndLater() {
        this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            // On Java 17, Spring Boot itself ignores the property: so do we.
            boolean expected = Runtime.version().feature() >= 21;
            assertThat(threadOfAJob(context.getBean(JobScheduler.class))).isEqualTo(expected);
        });
    }

    @Test
    void explicitVirtualThreadsRunJobsOnVirtualThreadsOrFailOnJava17() {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.virtual-threads=true").run(context -> {
            if (Runtime.version().feature() >= 21) {
                assertThat(context).hasNotFailed();
                assertThat(threadOfAJob(context.getBean(JobScheduler.class))).isTrue();
                assertThat(context.getBean(JobScheduler.class).spawn(() -> Thread.currentThread().getName())
                        .await(Duration.ofSeconds(10))).isEqualTo("aiojobs-1");
            } else {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOf(InvalidAiojobsPropertyException.class)
                        .hasMessageContaining("aiojobs.scheduler.virtual-threads")
                        .hasMessageContaining("Java 21 or later");
            }
        });
    }

    @Test
    void explicitlyDisabledVirtualThreadsWinOverSpringThreadsVirtualEnabled() {
        this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true",
                "aiojobs.scheduler.virtual-threads=false")
                .run(context -> assertThat(threadOfAJob(context.getBean(JobScheduler.class))).isFalse());
    }

    @Test
    void negativeLimitFailsStartUpNamingTheProperty() {
        assertFailsNaming("aiojobs.scheduler.limit=-1", "aiojobs.scheduler.limit", "0 (no limit) or a positive integer");
    }

    @Test
    void negativePendingLimitFailsStartUpNamingTheProperty() {
        assertFailsNaming("aiojobs.scheduler.pending-limit=-5", "aiojobs.scheduler.pending-limit",
                "0 (no limit) or a positive integer");
    }

    @Test
    void negativeCloseTimeoutFailsStartUpNamingTheProperty() {
        assertFailsNaming("aiojobs.scheduler.close-timeout=-1s", "aiojobs.scheduler.close-timeout",
                "a duration of 0 or more");
    }

    @Test
    void negativeWaitTimeoutFailsStartUpNamingTheProperty() {
        assertFailsNaming("aiojobs.scheduler.wait-timeout=-10s", "aiojobs.scheduler.wait-timeout",
                "a duration of 0 or more");
    }

    @Test
    void blankThreadNamePrefixFailsStartUpNamingTheProperty() {
        assertFailsNaming("aiojobs.scheduler.thread-name-prefix= ", "aiojobs.scheduler.thread-name-prefix",
                "a non-blank prefix");
    }

    @Test
    void failureAnalysisNamesThePropertyTheValueAndTheAllowedValues() {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.limit=-1").run(context -> {
            assertThat(context).hasFailed();
            var analysis = new InvalidAiojobsPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("Property: aiojobs.scheduler.limit")
                    .contains("Value: -1").contains("Allowed: 0 (no limit) or a positive integer");
            assertThat(analysis.getAction()).contains("aiojobs.scheduler.limit");
        });
    }

    @Test
    void applicationThatFailsOnAnInvalidPropertyReportsItThroughTheFailureAnalyzer(CapturedOutput output) {
        SpringApplication application = new SpringApplication(PlainApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(java.util.Map.of("aiojobs.scheduler.pending-limit", "-3"));
        assertThatThrownBy(application::run).hasRootCauseInstanceOf(InvalidAiojobsPropertyException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: aiojobs.scheduler.pending-limit").contains("Value: -3")
                .contains("Allowed: 0 (no limit) or a positive integer");
    }

    @Test
    void autoConfigurationBacksOffWhenTheApplicationDefinesAScheduler() {
        this.contextRunner.withUserConfiguration(CustomSchedulerConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(JobScheduler.class).hasBean("mySchedulerBean")
                    .doesNotHaveBean("jobScheduler");
            assertThat(context.getBean(JobScheduler.class).limit()).isEqualTo(7);
        });
    }

    @Test
    void starterIsSwitchedOffByAiojobsEnabledFalse() {
        this.contextRunner.withPropertyValues("aiojobs.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(JobScheduler.class)
                    .doesNotHaveBean(JobSchedulerLifecycle.class)
                    .doesNotHaveBean(AiojobsProperties.class);
        });
    }

    @Test
    void noExecutorBeanIsExposedSoBootKeepsItsApplicationTaskExecutor() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(JobScheduler.class);
                    assertThat(context.getBeansOfType(Executor.class)).containsOnlyKeys("applicationTaskExecutor");
                });
    }

    @Test
    void taskDecoratorBeanIsAppliedToEveryJob() {
        this.contextRunner.withBean(TaskDecorator.class, () -> task -> () -> {
            MARK.set("decorated");
            try {
                task.run();
            } finally {
                MARK.remove();
            }
        }).run(context -> assertThat(context.getBean(JobScheduler.class).spawn(MARK::get)
                .await(Duration.ofSeconds(10))).isEqualTo("decorated"));
    }

    @Test
    void severalTaskDecoratorBeansAreAppliedInOrder() {
        this.contextRunner.withUserConfiguration(TwoDecoratorsConfiguration.class).run(context -> {
            List<String> calls = context.getBean(TwoDecoratorsConfiguration.class).calls;
            context.getBean(JobScheduler.class).spawn(() -> calls.add("job")).await(Duration.ofSeconds(10));
            // Spring's CompositeTaskDecorator order: the first decorates first, so runs innermost.
            assertThat(calls).containsExactly("decorate first", "decorate second", "run second",
                    "run first", "job");
        });
    }

    @Test
    void springBootsContextPropagationReachesJobsWhenSwitchedOn() {
        ThreadLocal<String> tenant = new ThreadLocal<>();
        io.micrometer.context.ContextRegistry.getInstance().registerThreadLocalAccessor("test.tenant",
                tenant::get, tenant::set, tenant::remove);
        try {
            this.contextRunner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
                    .withPropertyValues("spring.task.execution.propagate-context=true")
                    .run(context -> {
                        assertThat(context).hasSingleBean(
                                org.springframework.core.task.support.ContextPropagatingTaskDecorator.class);
                        tenant.set("acme");
                        try {
                            assertThat(context.getBean(JobScheduler.class).spawn(tenant::get)
                                    .await(Duration.ofSeconds(10))).isEqualTo("acme");
                        } finally {
                            tenant.remove();
                        }
                    });
        } finally {
            io.micrometer.context.ContextRegistry.getInstance().removeThreadLocalAccessor("test.tenant");
        }
    }

    @Test
    void customizersAdjustTheBuilderInOrderAfterTheProperties() {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.limit=5")
                .withUserConfiguration(CustomizersConfiguration.class)
                .run(context -> assertThat(context.getBean(JobScheduler.class).limit()).isEqualTo(2));
    }

    @Test
    void jobListenerBeansReceiveTheEventsOfTheScheduler() {
        RecordingListener listener = new RecordingListener();
        this.contextRunner.withBean(JobListener.class, () -> listener).run(context -> {
            context.getBean(JobScheduler.class).spawn(() -> "done", "listened").await(Duration.ofSeconds(10));
            assertThat(listener.finished.get(10, TimeUnit.SECONDS)).isEqualTo("listened:SUCCESS");
        });
    }

    @Test
    void exceptionHandlerBeanReplacesTheLoggingOne() {
        JobScheduler.ExceptionHandler handler = (scheduler, context) -> {
        };
        this.contextRunner.withBean(JobScheduler.ExceptionHandler.class, () -> handler)
                .run(context -> assertThat(context.getBean(JobScheduler.class).exceptionHandler()).isSameAs(handler));
    }

    @Test
    void defaultExceptionHandlerLogsTheJobNameAndTheSpawnSite(CapturedOutput output) {
        this.contextRunner.withPropertyValues("aiojobs.scheduler.capture-spawn-site=true").run(context -> {
            JobScheduler scheduler = context.getBean(JobScheduler.class);
            Job<Object> job = scheduler.spawn(() -> {
                throw new IllegalStateException("disk on fire");
            }, "nightly-report");
            // Closing the context waits for the job, so its report has been logged by then.
            context.close();
            assertThat(job.isClosed()).isTrue();
        });
        assertThat(output).contains("Job processing failed, job: nightly-report")
                .contains("Job spawned at:").contains("defaultExceptionHandlerLogsTheJobNameAndTheSpawnSite")
                .contains("java.lang.IllegalStateException: disk on fire");
    }

    @Test
    void jobsSpawnedWhileTheContextRefreshesAreHeldUntilItHasRefreshed() {
        this.contextRunner.withUserConfiguration(EarlySpawnerConfiguration.class).run(context -> {
            EarlySpawner spawner = context.getBean(EarlySpawner.class);
            assertThat(spawner.pendingWhenSpawned).isTrue();
            assertThat(spawner.job.await(Duration.ofSeconds(10))).isEqualTo("ran after refresh: true");
        });
    }

    @Test
    void closingTheContextWaitsForRunningJobsThenClosesTheScheduler() throws Exception {
        assertClosingWaitsForRunningJobs(this.contextRunner);
    }

    @Test
    void closingTheContextWaitsForRunningJobsOnVirtualThreads() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
        assertClosingWaitsForRunningJobs(this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true"));
    }

    private static void assertClosingWaitsForRunningJobs(ApplicationContextRunner runner) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean closedWhenFinished = new AtomicBoolean(true);
        runner.withUserConfiguration(StopSignalConfiguration.class).run(context -> {
            JobScheduler scheduler = context.getBean(JobScheduler.class);
            Job<Void> job = scheduler.spawn(() -> {
                started.countDown();
                try {
                    assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                closedWhenFinished.set(scheduler.isClosed());
            }, "slow");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            Thread closer = new Thread(context::close);
            closer.start();
            // Our lifecycle stops right after this marker, in the next phase down.
            assertThat(context.getBean(StopSignal.class).stopping.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(job.isActive()).isTrue();
            release.countDown();
            closer.join(10_000);
            assertThat(closer.isAlive()).isFalse();
            assertThat(interrupted).isFalse();
            assertThat(closedWhenFinished).isFalse();
            assertThat(scheduler.isClosed()).isTrue();
            assertThat(job.isClosed()).isTrue();
            assertThat(job.future()).isCompleted();
        });
    }

    @Test
    void pausingTheContextLeavesTheSchedulerOpen() {
        this.contextRunner.run(context -> {
            context.pause();
            JobScheduler scheduler = context.getBean(JobScheduler.class);
            assertThat(scheduler.isClosed()).isFalse();
            context.restart();
            assertThat(scheduler.spawn(() -> "still here").await(Duration.ofSeconds(10))).isEqualTo("still here");
        });
    }

    @Test
    void jobsThatIgnoreTheShutdownAreReportedAndTheContextStillCloses(CapturedOutput output) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        this.contextRunner.withPropertyValues("aiojobs.scheduler.wait-timeout=50ms",
                "aiojobs.scheduler.close-timeout=50ms").run(context -> {
                    JobScheduler scheduler = context.getBean(JobScheduler.class);
                    scheduler.spawn(() -> {
                        started.countDown();
                        // Ignores interrupts, as a badly behaved job would.
                        while (true) {
                            try {
                                if (release.await(10, TimeUnit.SECONDS)) {
                                    return;
                                }
                            } catch (InterruptedException ignored) {
                                // keep going
                            }
                        }
                    }, "stubborn");
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                    context.close();
                    assertThat(scheduler.isClosed()).isTrue();
                    assertThat(scheduler.size()).isZero();
                });
        release.countDown();
        assertThat(output).contains("Job closing timed out, job: stubborn");
    }

    private static boolean threadOfAJob(JobScheduler scheduler) throws Exception {
        return scheduler.spawn(() -> Thread.currentThread().getClass().getName().contains("Virtual"))
                .await(Duration.ofSeconds(10));
    }

    private void assertFailsNaming(String property, String name, String allowed) {
        this.contextRunner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidAiojobsPropertyException.class)
                    .hasMessageContaining("'" + name + "'").hasMessageContaining(allowed);
        });
    }

    static final ThreadLocal<String> MARK = new ThreadLocal<>();

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AiojobsAutoConfiguration.class)
    static class PlainApplication {
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomSchedulerConfiguration {

        @Bean(destroyMethod = "close")
        JobScheduler mySchedulerBean() {
            return JobScheduler.builder().limit(7).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDecoratorsConfiguration {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        TaskDecorator second() {
            return task -> {
                this.calls.add("decorate second");
                return () -> {
                    this.calls.add("run second");
                    task.run();
                };
            };
        }

        @Bean
        @Order(1)
        TaskDecorator first() {
            return task -> {
                this.calls.add("decorate first");
                return () -> {
                    this.calls.add("run first");
                    task.run();
                };
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizersConfiguration {

        @Bean
        @Order(2)
        JobSchedulerCustomizer later() {
            return builder -> builder.limit(2);
        }

        @Bean
        @Order(1)
        JobSchedulerCustomizer earlier() {
            return builder -> builder.limit(1);
        }
    }

    static final class RecordingListener implements JobListener {

        final CompletableFuture<String> finished = new CompletableFuture<>();

        @Override
        public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
            this.finished.complete(job.getName() + ":" + outcome);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EarlySpawnerConfiguration {

        @Bean
        EarlySpawner earlySpawner(JobScheduler scheduler, RefreshWatcher watcher) {
            return new EarlySpawner(scheduler, watcher);
        }

        @Bean
        RefreshWatcher refreshWatcher() {
            return new RefreshWatcher();
        }
    }

    static final class EarlySpawner {

        final Job<String> job;
        final boolean pendingWhenSpawned;

        EarlySpawner(JobScheduler scheduler, RefreshWatcher watcher) {
            // Spawned from a bean's construction, before the context has refreshed: the job must
            // wait, as the beans it would use may not be ready yet.
            this.job = scheduler.spawn(() -> "ran after refresh: " + watcher.singletonsReady, "early");
            this.pendingWhenSpawned = this.job.isPending();
        }
    }

    /** Knows whether every singleton of the context is ready, which a too early job would not see. */
    static final class RefreshWatcher implements org.springframework.beans.factory.SmartInitializingSingleton {

        volatile boolean singletonsReady;

        @Override
        public void afterSingletonsInstantiated() {
            this.singletonsReady = true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class StopSignalConfiguration {

        @Bean
        StopSignal stopSignal() {
            return new StopSignal();
        }
    }

    /** A lifecycle that stops just before the scheduler's, to tell a test that shutdown began. */
    static final class StopSignal implements org.springframework.context.SmartLifecycle {

        final CountDownLatch stopping = new CountDownLatch(1);
        private volatile boolean running;

        @Override
        public void start() {
            this.running = true;
        }

        @Override
        public void stop() {
            this.running = false;
            this.stopping.countDown();
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }

        @Override
        public int getPhase() {
            return JobSchedulerLifecycle.PHASE + 1;
        }
    }
}
