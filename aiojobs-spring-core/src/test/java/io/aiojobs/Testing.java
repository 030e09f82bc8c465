package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Shared test helpers, registered per test class with
 * {@code @RegisterExtension final Testing testing = new Testing();}: it makes schedulers whose
 * exception handler records every report, gates (latches) for jobs that must "take a while",
 * and helper threads; after each test it opens every gate, closes every scheduler and joins
 * every helper thread, so no thread outlives its test.
 */
final class Testing implements AfterEachCallback {

    /** The bound on every wait in the tests: long enough to never be hit on a loaded machine. */
    static final long WAIT_SECONDS = 10;

    private final List<JobScheduler> schedulers = new CopyOnWriteArrayList<>();
    private final List<Gate> gates = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** What the schedulers made by {@link #scheduler()} reported. */
    final Reports reports = new Reports();

    /** A scheduler with all defaults but a recording exception handler. */
    JobScheduler scheduler() {
        return scheduler(builder -> builder);
    }

    /** A scheduler with a recording exception handler, configured by {@code config}. */
    JobScheduler scheduler(UnaryOperator<JobScheduler.Builder> config) {
        return track(config.apply(JobScheduler.builder().exceptionHandler(this.reports)).build());
    }

    /** Closes {@code scheduler} after the test. */
    JobScheduler track(JobScheduler scheduler) {
        this.schedulers.add(scheduler);
        return scheduler;
    }

    /** A closed gate, opened after the test at the latest. */
    Gate gate() {
        Gate gate = new Gate();
        this.gates.add(gate);
        return gate;
    }

    /** Runs {@code body} on a new platform thread, joined after the test. */
    <T> Forked<T> fork(Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-helper");
        thread.setDaemon(true);
        this.threads.add(thread);
        thread.start();
        return new Forked<>(thread, result);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        this.gates.forEach(Gate::open);
        for (JobScheduler scheduler : this.schedulers) {
            scheduler.close();
        }
        for (Thread thread : this.threads) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(thread.isAlive()).as("helper thread still running after the test").isFalse();
        }
    }

    // ---- static helpers ----

    /** The future's value, waiting at most {@link #WAIT_SECONDS}. */
    static <T> T get(Future<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Awaits {@code latch}, failing the test if it does not open in time. */
    static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("latch opened in time").isTrue();
    }

    /**
     * Waits until {@code condition} holds, failing the test after {@link #WAIT_SECONDS}. Used only
     * where no event can be awaited: to see that a thread has blocked.
     */
    static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for: " + what).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Waits until {@code thread} is parked (blocked on a lock, condition or latch). */
    static void awaitBlocked(Thread thread) {
        eventually(() -> thread.getState() == Thread.State.WAITING
                || thread.getState() == Thread.State.TIMED_WAITING, thread + " blocked");
    }

    static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }

    /** A latch that opens once; jobs {@linkplain #pass() pass} it when it opens. */
    static final class Gate {
        private final CountDownLatch latch = new CountDownLatch(1);
        private final CountDownLatch reached = new CountDownLatch(1);

        void open() {
            this.latch.countDown();
        }

        /** Waits (interruptibly) for the gate to open; fails if it stays shut too long. */
        void pass() throws InterruptedException {
            this.reached.countDown();
            if (!this.latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("gate never opened");
            }
        }

        /** Waits for the gate ignoring interrupts, as a badly behaved job does; keeps the flag. */
        void passIgnoringInterrupts() {
            this.reached.countDown();
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (this.latch.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    this.latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** A task that passes this gate. */
        Callable<Void> task() {
            return () -> {
                pass();
                return null;
            };
        }

        /** Waits until some thread has started to {@link #pass()} this gate. */
        void awaitReached() throws InterruptedException {
            Testing.await(this.reached);
        }

        boolean isOpen() {
            return this.latch.getCount() == 0;
        }
    }

    /** A helper thread and the outcome of its body. */
    record Forked<T>(Thread thread, CompletableFuture<T> result) {
        T get() throws Exception {
            return Testing.get(this.result);
        }
    }

    /** An exception handler that records what it is told. */
    static final class Reports implements JobScheduler.ExceptionHandler {
        private final List<ExceptionContext> contexts = new CopyOnWriteArrayList<>();
        private final Semaphore count = new Semaphore(0);

        @Override
        public void handle(JobScheduler scheduler, ExceptionContext context) {
            this.contexts.add(context);
            this.count.release();
        }

        /** Waits until {@code n} reports have arrived in all, and returns them all. */
        List<ExceptionContext> await(int n) throws InterruptedException {
            assertThat(this.count.tryAcquire(n, WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("%d report(s) arrived; got %s", n, this.contexts).isTrue();
            this.count.release(n);
            return all();
        }

        List<ExceptionContext> all() {
            return new ArrayList<>(this.contexts);
        }

        List<String> messages() {
            return all().stream().map(ExceptionContext::message).toList();
        }
    }
}
