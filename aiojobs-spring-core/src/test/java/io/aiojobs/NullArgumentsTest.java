package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every public method refuses null where null makes no sense, at once and before any effect. */
class NullArgumentsTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void schedulerMethodsRejectNull() {
        JobScheduler scheduler = this.testing.scheduler();
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Callable<?>) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Callable<?>) null, "n"));
        assertThatNullPointerException()
                .isThrownBy(() -> scheduler.spawn((Callable<?>) null, "n", Duration.ZERO));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn(() -> 1, "n", null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Runnable) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.spawn((Runnable) null, "n"));
        assertThatNullPointerException().isThrownBy(() -> scheduler.shield((Callable<?>) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.shield((CompletionStage<?>) null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.waitAndClose(null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.awaitIdle(null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.callExceptionHandler(null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.containsAll(null));
        assertThatNullPointerException().isThrownBy(() -> scheduler.toArray((Job<?>[]) null));
        assertThat(scheduler).isEmpty();
        assertThat(scheduler.isClosed()).isFalse();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void nullIsAllowedWhereItMeansTheDefault() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Job<Integer> job = scheduler.spawn(() -> 1, (String) null);
        assertThat(job.getName()).isNotNull();
        job.setName(null);
        assertThat(job.getName()).isNotNull();
        assertThat(scheduler.spawn(() -> 2, null, Duration.ZERO).await()).isEqualTo(2);
        assertThat(scheduler.spawn(() -> { }, (String) null).await()).isNull();
        assertThat(scheduler.contains(null)).isFalse();
        assertThat(new ExceptionContext("m", null, null, null).sourceTraceback()).isEmpty();
    }

    @Test
    void jobMethodsRejectNull() {
        JobScheduler scheduler = this.testing.scheduler();
        Job<Integer> job = scheduler.spawn(() -> 1);
        assertThatNullPointerException().isThrownBy(() -> job.await(null));
        assertThatNullPointerException().isThrownBy(() -> job.close(null));
    }

    @Test
    void builderMethodsRejectNull() {
        JobScheduler.Builder builder = JobScheduler.builder();
        assertThatNullPointerException().isThrownBy(() -> builder.closeTimeout(null));
        assertThatNullPointerException().isThrownBy(() -> builder.waitTimeout(null));
        assertThatNullPointerException().isThrownBy(() -> builder.exceptionHandler(null));
        assertThatNullPointerException().isThrownBy(() -> builder.name(null));
        assertThatNullPointerException().isThrownBy(() -> builder.executor(null));
        assertThatNullPointerException().isThrownBy(() -> builder.threadFactory(null));
        assertThatNullPointerException().isThrownBy(() -> builder.taskDecorator(null));
        assertThatNullPointerException().isThrownBy(() -> builder.listener(null));
    }

    @Test
    void exceptionContextRejectsANullMessage() {
        assertThatNullPointerException().isThrownBy(() -> new ExceptionContext(null, null, null));
        assertThatNullPointerException().isThrownBy(() -> new ExceptionContext(null, null, null, null));
    }
}
