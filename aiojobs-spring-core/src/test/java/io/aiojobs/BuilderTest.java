package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BuilderTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void newSchedulerHasTheDocumentedDefaults() {
        JobScheduler scheduler = this.testing.track(new JobScheduler());
        assertThat(scheduler.limit()).isEqualTo(100);
        assertThat(scheduler.pendingLimit()).isEqualTo(10_000);
        assertThat(scheduler.closeTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(scheduler.waitTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(scheduler.exceptionHandler()).isNull();
        assertThat(scheduler.name()).isEqualTo("aiojobs");
        assertThat(scheduler.activeCount()).isZero();
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(scheduler.isClosed()).isFalse();
        assertThat(scheduler.isPaused()).isFalse();
        assertThat(scheduler).isEmpty();
    }

    @Test
    void builderWithoutOptionsHasTheSameDefaults() {
        JobScheduler scheduler = this.testing.track(JobScheduler.builder().build());
        assertThat(scheduler.limit()).isEqualTo(100);
        assertThat(scheduler.pendingLimit()).isEqualTo(10_000);
        assertThat(scheduler.closeTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(scheduler.waitTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(scheduler.exceptionHandler()).isNull();
    }

    @Test
    void builderOptionsReachTheAccessors() {
        JobScheduler.ExceptionHandler handler = (scheduler, context) -> { };
        JobScheduler scheduler = this.testing.track(JobScheduler.builder()
                .limit(3).pendingLimit(7).closeTimeout(Duration.ofSeconds(2))
                .waitTimeout(Duration.ofSeconds(9)).exceptionHandler(handler).name("mail").build());
        assertThat(scheduler.limit()).isEqualTo(3);
        assertThat(scheduler.pendingLimit()).isEqualTo(7);
        assertThat(scheduler.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(scheduler.waitTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(scheduler.exceptionHandler()).isSameAs(handler);
        assertThat(scheduler.name()).isEqualTo("mail");
    }

    @Test
    void zeroLimitsMeanNoLimitAndZeroDurationsAreAllowed() {
        JobScheduler scheduler = this.testing.track(JobScheduler.builder().limit(0).pendingLimit(0)
                .closeTimeout(Duration.ZERO).waitTimeout(Duration.ZERO).build());
        assertThat(scheduler.limit()).isZero();
        assertThat(scheduler.pendingLimit()).isZero();
        assertThat(scheduler.closeTimeout()).isZero();
        assertThat(scheduler.waitTimeout()).isZero();
    }

    @Test
    void negativeLimitsAreRejectedSayingWhatWasWrong() {
        assertThatIllegalArgumentException().isThrownBy(() -> JobScheduler.builder().limit(-1))
                .withMessage("limit must be >= 0 but was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> JobScheduler.builder().pendingLimit(-5))
                .withMessage("pendingLimit must be >= 0 but was -5");
    }

    @Test
    void negativeDurationsAreRejectedSayingWhatWasWrong() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JobScheduler.builder().closeTimeout(Duration.ofMillis(-1)))
                .withMessage("closeTimeout must be >= 0 but was -1ms");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JobScheduler.builder().waitTimeout(Duration.ofSeconds(-2)))
                .withMessage("waitTimeout must be >= 0 but was -2s");
    }

    @Test
    void nullOptionsAreRejectedAtOnce() {
        JobScheduler.Builder builder = JobScheduler.builder();
        assertThatNullPointerException().isThrownBy(() -> builder.closeTimeout(null))
                .withMessageContaining("closeTimeout");
        assertThatNullPointerException().isThrownBy(() -> builder.waitTimeout(null))
                .withMessageContaining("waitTimeout");
        assertThatNullPointerException().isThrownBy(() -> builder.exceptionHandler(null))
                .withMessageContaining("exceptionHandler");
        assertThatNullPointerException().isThrownBy(() -> builder.name(null));
        assertThatNullPointerException().isThrownBy(() -> builder.executor(null));
        assertThatNullPointerException().isThrownBy(() -> builder.threadFactory(null));
        assertThatNullPointerException().isThrownBy(() -> builder.taskDecorator(null));
        assertThatNullPointerException().isThrownBy(() -> builder.listener(null));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.name(" "));
    }

    @Test
    void aRejectedValueLeavesTheBuilderAsItWas() {
        JobScheduler.Builder builder = JobScheduler.builder().limit(4);
        assertThatIllegalArgumentException().isThrownBy(() -> builder.limit(-1));
        assertThat(this.testing.track(builder.build()).limit()).isEqualTo(4);
    }

    @Test
    void aBuilderCanBeReusedWithoutAffectingSchedulersAlreadyBuilt() {
        JobScheduler.Builder builder = JobScheduler.builder().limit(2);
        JobScheduler first = this.testing.track(builder.build());
        JobScheduler second = this.testing.track(builder.limit(5).build());
        assertThat(first.limit()).isEqualTo(2);
        assertThat(second.limit()).isEqualTo(5);
    }

    @Test
    void virtualThreadsAreRefusedBeforeJava21AndAcceptedAfter() {
        if (Runtime.version().feature() < 21) {
            assertThatThrownBy(() -> JobScheduler.builder().virtualThreads(true))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Java 21");
        } else {
            this.testing.track(JobScheduler.builder().virtualThreads(true).build());
        }
        this.testing.track(JobScheduler.builder().virtualThreads(false).build());
    }

    @Test
    void aUserExecutorIsNotShutDownByClose() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            Executor executor = pool;
            JobScheduler scheduler = JobScheduler.builder().executor(executor).build();
            assertThat(scheduler.spawn(() -> 1).await()).isEqualTo(1);
            scheduler.close();
            assertThat(pool.isShutdown()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
