package io.aiojobs.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Turns the {@code aiojobs.scheduler.*} properties and the context's decorators, listeners and
 * customizers into a {@link JobScheduler.Builder}, checking every value on the way.
 */
final class JobSchedulerFactory {

    static final String PREFIX = "aiojobs.scheduler.";
    static final String PHASE_TIMEOUT_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";
    /** Spring Boot's own default for {@link #PHASE_TIMEOUT_PROPERTY} (LifecycleProperties). */
    static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    private static final String NON_NEGATIVE_INT = "0 (no limit) or a positive integer";
    private static final String NON_NEGATIVE_DURATION = "a duration of 0 or more, such as 100ms or 30s";

    private final AiojobsProperties.Scheduler properties;
    private final Environment environment;

    JobSchedulerFactory(AiojobsProperties.Scheduler properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** A builder set from the properties, paused so that start-up jobs wait for the refresh. */
    JobScheduler.Builder builder(List<TaskDecorator> decorators, List<JobListener> listeners,
            JobScheduler.ExceptionHandler exceptionHandler) {
        JobScheduler.Builder builder = JobScheduler.builder()
                .limit(nonNegative("limit", this.properties.getLimit()))
                .pendingLimit(nonNegative("pending-limit", this.properties.getPendingLimit()))
                .closeTimeout(nonNegative("close-timeout", this.properties.getCloseTimeout()))
                .waitTimeout(effectiveWaitTimeout())
                .captureSpawnSite(this.properties.isCaptureSpawnSite())
                .exceptionHandler(exceptionHandler)
                .paused(true);
        configureThreads(builder);
        TaskDecorator decorator = TaskDecorators.combine(decorators);
        if (decorator != null) {
            builder.taskDecorator(decorator::decorate);
        }
        listeners.forEach(builder::listener);
        return builder;
    }

    /**
     * The wait timeout given, or the default capped so that a wait and a close fit in one
     * shutdown phase: past the phase timeout Spring stops waiting and destroys the scheduler,
     * which cancels whatever is still running.
     */
    Duration effectiveWaitTimeout() {
        Duration waitTimeout = nonNegative("wait-timeout", this.properties.getWaitTimeout());
        if (isSet(PREFIX + "wait-timeout")) {
            return waitTimeout;
        }
        Duration room = phaseTimeout().minus(this.properties.getCloseTimeout());
        if (room.isNegative()) {
            return Duration.ZERO;
        }
        return waitTimeout.compareTo(room) > 0 ? room : waitTimeout;
    }

    Duration phaseTimeout() {
        return Binder.get(this.environment).bind(PHASE_TIMEOUT_PROPERTY, Duration.class)
                .orElse(DEFAULT_PHASE_TIMEOUT);
    }

    private boolean isSet(String property) {
        return Binder.get(this.environment).bind(property, Duration.class).isBound();
    }

    /**
     * Platform threads by default; virtual ones when asked for, or when Spring Boot itself uses
     * them ({@code spring.threads.virtual.enabled} on Java 21+). Both name threads
     * {@code <prefix>N}, like Spring's own executors.
     */
    private void configureThreads(JobScheduler.Builder builder) {
        String prefix = this.properties.getThreadNamePrefix();
        if (prefix == null || prefix.isBlank()) {
            throw new InvalidAiojobsPropertyException(PREFIX + "thread-name-prefix", prefix,
                    "a non-blank prefix, such as aiojobs-");
        }
        String name = prefix.endsWith("-") && prefix.length() > 1
                ? prefix.substring(0, prefix.length() - 1) : prefix;
        builder.name(name);
        Boolean virtual = this.properties.getVirtualThreads();
        if (Boolean.TRUE.equals(virtual) && Runtime.version().feature() < 21) {
            throw new InvalidAiojobsPropertyException(PREFIX + "virtual-threads", true,
                    "false, or true on Java 21 or later only (this is Java "
                            + Runtime.version().feature() + ")");
        }
        boolean useVirtual = virtual != null ? virtual : Threading.VIRTUAL.isActive(this.environment);
        if (useVirtual) {
            // Spring's executor starts one new virtual thread per task, reached without any
            // Java 21 API in our Java 17 bytecode.
            builder.executor(new VirtualThreadTaskExecutor(prefix));
        } else {
            CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
            // Jobs must never keep the JVM alive: the scheduler is closed with the context.
            factory.setDaemon(true);
            builder.threadFactory(factory);
        }
    }

    private static int nonNegative(String property, int value) {
        if (value < 0) {
            throw new InvalidAiojobsPropertyException(PREFIX + property, value, NON_NEGATIVE_INT);
        }
        return value;
    }

    private static Duration nonNegative(String property, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidAiojobsPropertyException(PREFIX + property, value, NON_NEGATIVE_DURATION);
        }
        return value;
    }
}
