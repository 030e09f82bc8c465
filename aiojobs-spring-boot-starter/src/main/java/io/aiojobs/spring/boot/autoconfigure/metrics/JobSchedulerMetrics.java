package io.aiojobs.spring.boot.autoconfigure.metrics;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer metrics of one {@link JobScheduler}: a {@link JobListener} that the scheduler is
 * built with, and a {@link MeterBinder} that publishes what it records. Every meter is tagged
 * {@value #TAG_SCHEDULER}{@code =<scheduler bean name>}.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>unit</th><th>extra tags</th></tr>
 * <tr><td>{@value #ACTIVE}</td><td>gauge</td><td>jobs</td><td></td></tr>
 * <tr><td>{@value #PENDING}</td><td>gauge</td><td>jobs</td><td></td></tr>
 * <tr><td>{@value #SPAWNED}</td><td>counter</td><td>jobs</td><td></td></tr>
 * <tr><td>{@value #COMPLETED}</td><td>counter</td><td>jobs</td>
 * <td>{@value #TAG_OUTCOME}{@code =success|failure|cancelled|timeout}</td></tr>
 * <tr><td>{@value #CLOSE_TIMEOUTS}</td><td>counter</td><td>jobs</td><td></td></tr>
 * <tr><td>{@value #DURATION}</td><td>timer</td><td>time</td><td></td></tr>
 * <tr><td>{@value #QUEUED}</td><td>timer</td><td>time</td><td></td></tr>
 * </table>
 *
 * <p>Counters count from the moment the scheduler is built, including jobs spawned before the
 * meters are bound to a registry. The timers record jobs that start after binding (the
 * auto-configured scheduler starts no job before its context has refreshed, which is later).
 * A job closed while still pending is counted as {@code cancelled} but not timed.
 *
 * <p>To meter a scheduler you build yourself, pass an instance to
 * {@link JobScheduler.Builder#listener(JobListener)} and declare it as a bean (or bind it to a
 * registry). This class is thread-safe.
 */
public final class JobSchedulerMetrics implements JobListener, MeterBinder {

    /** Gauge of the number of jobs running. */
    public static final String ACTIVE = "aiojobs.jobs.active";
    /** Gauge of the number of jobs waiting for a slot. */
    public static final String PENDING = "aiojobs.jobs.pending";
    /** Counter of jobs accepted by spawn. */
    public static final String SPAWNED = "aiojobs.jobs.spawned";
    /** Counter of jobs ended, tagged {@value #TAG_OUTCOME}. */
    public static final String COMPLETED = "aiojobs.jobs.completed";
    /** Counter of jobs (and shielded tasks) still running when closing gave up on them. */
    public static final String CLOSE_TIMEOUTS = "aiojobs.jobs.close.timeouts";
    /** Timer of how long jobs run. */
    public static final String DURATION = "aiojobs.jobs.duration";
    /** Timer of how long jobs wait, from spawn to start. */
    public static final String QUEUED = "aiojobs.jobs.queued";
    /** Tag naming the scheduler bean. */
    public static final String TAG_SCHEDULER = "scheduler";
    /** Tag of {@value #COMPLETED}: {@code success}, {@code failure} or {@code cancelled}. */
    public static final String TAG_OUTCOME = "outcome";

    private static final String JOBS = "jobs";

    private final String schedulerName;
    private final Supplier<JobScheduler> scheduler;
    private final Tags tags;
    private final LongAdder spawned = new LongAdder();
    private final LongAdder[] completed = new LongAdder[Outcome.values().length];
    private final LongAdder closeTimeouts = new LongAdder();
    private final List<Timer> durationTimers = new CopyOnWriteArrayList<>();
    private final List<Timer> queuedTimers = new CopyOnWriteArrayList<>();
    /** The registries bound so far: binding twice to one registry must not time jobs twice. */
    private final Set<MeterRegistry> registries = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * Creates the metrics of a scheduler, to be passed to its builder as a listener.
     *
     * @param schedulerName the value of the {@value #TAG_SCHEDULER} tag, usually the bean name
     * @param scheduler gives the scheduler for the gauges once it is built; called when the
     *     meters are read
     * @param extraTags more tags for every meter
     * @throws NullPointerException if any argument is {@code null}
     */
    public JobSchedulerMetrics(String schedulerName, Supplier<JobScheduler> scheduler,
            Iterable<Tag> extraTags) {
        this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.tags = Tags.of(Objects.requireNonNull(extraTags, "extraTags"))
                .and(TAG_SCHEDULER, schedulerName);
        for (int i = 0; i < this.completed.length; i++) {
            this.completed[i] = new LongAdder();
        }
    }

    /**
     * Returns the value of the {@value #TAG_SCHEDULER} tag.
     *
     * @return the scheduler's name
     */
    public String schedulerName() {
        return this.schedulerName;
    }

    /**
     * Registers the meters on {@code registry}; binding again to the same registry does nothing.
     *
     * @param registry the registry
     * @throws NullPointerException if {@code registry} is {@code null}
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (this.registries) {
            if (!this.registries.add(registry)) {
                return;
            }
        }
        gauge(registry, ACTIVE, "Number of jobs running", JobScheduler::activeCount);
        gauge(registry, PENDING, "Number of jobs waiting for a free slot", JobScheduler::pendingCount);
        counter(registry, SPAWNED, "Number of jobs spawned", this.spawned, Tags.empty());
        for (Outcome outcome : Outcome.values()) {
            counter(registry, COMPLETED, "Number of jobs ended, by outcome",
                    this.completed[outcome.ordinal()], Tags.of(TAG_OUTCOME, outcomeTag(outcome)));
        }
        counter(registry, CLOSE_TIMEOUTS, "Number of jobs still running when closing gave up on them",
                this.closeTimeouts, Tags.empty());
        this.durationTimers.add(Timer.builder(DURATION).description("Running time of jobs")
                .tags(this.tags).register(registry));
        this.queuedTimers.add(Timer.builder(QUEUED)
                .description("Time jobs spent waiting for a free slot").tags(this.tags)
                .register(registry));
    }

    private void gauge(MeterRegistry registry, String name, String description,
            ToIntFunction<JobScheduler> count) {
        Gauge.builder(name, this, metrics -> metrics.read(count)).description(description)
                .baseUnit(JOBS).tags(this.tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, LongAdder count,
            Tags extra) {
        FunctionCounter.builder(name, count, LongAdder::sum).description(description)
                .baseUnit(JOBS).tags(this.tags.and(extra)).register(registry);
    }

    private double read(ToIntFunction<JobScheduler> count) {
        JobScheduler target = this.scheduler.get();
        return target != null ? count.applyAsInt(target) : Double.NaN;
    }

    private static String outcomeTag(Outcome outcome) {
        return outcome.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void onSpawned(Job<?> job) {
        this.spawned.increment();
    }

    @Override
    public void onStarted(Job<?> job, long queuedNanos) {
        for (Timer timer : this.queuedTimers) {
            timer.record(queuedNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onFinished(Job<?> job, Outcome outcome, long runNanos) {
        this.completed[outcome.ordinal()].increment();
        if (runNanos >= 0) {
            for (Timer timer : this.durationTimers) {
                timer.record(runNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public void onCloseTimeout(Job<?> job) {
        this.closeTimeouts.increment();
    }
}
