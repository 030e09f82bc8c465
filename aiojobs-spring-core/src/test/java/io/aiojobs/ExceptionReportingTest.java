package io.aiojobs;

import static io.aiojobs.Testing.awaitBlocked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Forked;
import io.aiojobs.Testing.Gate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExceptionReportingTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void anUnobservedFailureIsReportedExactlyOnce() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        IllegalStateException failure = new IllegalStateException("lost?");
        Job<Object> job = scheduler.spawn(() -> {
            throw failure;
        }, "failing");
        ExceptionContext context = this.testing.reports.await(1).get(0);
        assertThat(context.message()).isEqualTo("Job processing failed");
        assertThat(context.job()).isSameAs(job);
        assertThat(context.exception()).isSameAs(failure);
        assertThat(context.sourceTraceback()).isEmpty();
        // Observing it later rethrows it, but does not report it again.
        assertThatThrownBy(job::await).isSameAs(failure);
        job.close();
        scheduler.waitAndClose();
        assertThat(this.testing.reports.all()).hasSize(1);
    }

    @Test
    void aFailureObservedByAWaiterIsNotReported() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Object> job = scheduler.spawn(() -> {
            gate.pass();
            throw new IllegalStateException("seen");
        });
        Forked<Object> waiter = this.testing.fork(job::await);
        awaitBlocked(waiter.thread());
        gate.open();
        assertThatThrownBy(waiter::get).cause().hasMessage("seen");
        scheduler.waitAndClose();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void anInterruptedOrCancelledJobHasNotFailed() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Job<Object> interrupted = scheduler.spawn(() -> {
            throw new InterruptedException("stop");
        });
        Job<Object> cancelled = scheduler.spawn(() -> {
            throw new CancellationException("stop");
        });
        assertThatThrownBy(interrupted::await).isInstanceOf(CancellationException.class);
        assertThatThrownBy(cancelled::await).isInstanceOf(CancellationException.class);
        scheduler.waitAndClose();
        assertThat(this.testing.reports.all()).isEmpty();
    }

    @Test
    void theSpawnSiteIsCapturedWhenAskedFor() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.captureSpawnSite(true));
        scheduler.spawn(() -> {
            throw new IllegalStateException("where?");
        });
        List<StackTraceElement> site = this.testing.reports.await(1).get(0).sourceTraceback();
        assertThat(site).isNotEmpty();
        assertThat(site.get(0).getClassName()).isEqualTo(ExceptionReportingTest.class.getName());
        assertThat(site.get(0).getMethodName()).isEqualTo("theSpawnSiteIsCapturedWhenAskedFor");
        assertThatThrownBy(() -> site.add(site.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aThrowingHandlerDoesNotBreakTheScheduler() throws Exception {
        JobScheduler scheduler = this.testing.track(JobScheduler.builder()
                .exceptionHandler((s, context) -> {
                    throw new IllegalStateException("handler broke");
                }).build());
        scheduler.spawn(() -> {
            throw new IllegalStateException("job broke");
        });
        assertThat(scheduler.spawn(() -> 1).await()).isEqualTo(1);
        scheduler.waitAndClose();
        assertThat(scheduler).isEmpty();
    }

    @Test
    void callExceptionHandlerPassesTheContextToTheHandler() {
        JobScheduler scheduler = this.testing.scheduler();
        ExceptionContext context = new ExceptionContext("custom", null, null);
        scheduler.callExceptionHandler(context);
        assertThat(this.testing.reports.all()).containsExactly(context);
        assertThatNullPointerException().isThrownBy(() -> scheduler.callExceptionHandler(null));
    }

    @Test
    void theDefaultHandlerLogsAtErrorLevel() throws Exception {
        Logger logger = Logger.getLogger(JobScheduler.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        boolean parents = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        try {
            JobScheduler scheduler = this.testing.track(new JobScheduler());
            IllegalStateException failure = new IllegalStateException("logged");
            scheduler.callExceptionHandler(new ExceptionContext("Job processing failed", null, failure));
            synchronized (handler) {
                assertThat(records).singleElement().satisfies(record -> {
                    assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
                    assertThat(record.getMessage()).contains("Job processing failed");
                    assertThat(record.getThrown()).isSameAs(failure);
                });
            }
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parents);
        }
    }

    @Test
    void exceptionContextIsARecordWithAnEmptyTracebackByDefault() {
        IllegalStateException failure = new IllegalStateException();
        ExceptionContext context = new ExceptionContext("message", null, failure);
        assertThat(context.message()).isEqualTo("message");
        assertThat(context.job()).isNull();
        assertThat(context.exception()).isSameAs(failure);
        assertThat(context.sourceTraceback()).isEmpty();
        assertThat(context).isEqualTo(new ExceptionContext("message", null, failure, List.of()));
        assertThat(new ExceptionContext("m", null, null, null).sourceTraceback()).isEmpty();
        assertThatNullPointerException().isThrownBy(() -> new ExceptionContext(null, null, null));
    }
}
