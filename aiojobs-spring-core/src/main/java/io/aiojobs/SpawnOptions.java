package io.aiojobs;

import java.time.Duration;
import java.util.Objects;

/**
 * How to spawn one job: its name, its run timeout and how long {@code spawn} may wait for a place
 * in a full pending queue. Start from {@link #defaults()} and change what you need; each wither
 * returns a new value:
 *
 * <pre>{@code
 * scheduler.spawn(task, SpawnOptions.defaults().name("report").timeout(Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>Immutable and thread-safe: one value may be shared by any number of spawns.
 */
public final class SpawnOptions {

    private static final SpawnOptions DEFAULTS = new SpawnOptions(null, null, null);

    private final String name;
    private final Duration timeout;
    private final Duration queueTimeout;

    private SpawnOptions(String name, Duration timeout, Duration queueTimeout) {
        this.name = name;
        this.timeout = timeout;
        this.queueTimeout = queueTimeout;
    }

    /**
     * The options of a plain {@code spawn(task)}: a generated name, the scheduler's
     * {@link JobScheduler#jobTimeout() jobTimeout}, and waiting as long as it takes for a place in
     * a full pending queue.
     *
     * @return the default options
     */
    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The job's name, instead of a generated {@code job-N}.
     *
     * @param name the name
     * @return new options with that name
     * @throws IllegalArgumentException if {@code name} is {@code null} (leave it unset for a
     *     generated name)
     */
    public SpawnOptions name(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null (leave it unset for a generated name)");
        }
        return new SpawnOptions(name, this.timeout, this.queueTimeout);
    }

    /**
     * The longest the job may run, counted from its start (time spent pending does not count).
     * When it passes, the job is closed as by {@link Job#close()}: its thread is interrupted (an
     * async job's stage is cancelled), {@link Job#await()} throws {@link JobTimeoutException}, and
     * its listeners see {@link JobListener.Outcome#TIMEOUT}. {@link Duration#ZERO} means no limit,
     * even when the scheduler has a {@link JobScheduler.Builder#jobTimeout(Duration) jobTimeout}.
     *
     * @param timeout the run timeout, or zero for none
     * @return new options with that timeout
     * @throws IllegalArgumentException if {@code timeout} is {@code null} or negative
     */
    public SpawnOptions timeout(Duration timeout) {
        return new SpawnOptions(this.name, checked(timeout, "timeout"), this.queueTimeout);
    }

    /**
     * The longest {@code spawn} may wait for a place when the pending queue is full;
     * {@link Duration#ZERO} means not at all. When it passes, {@code spawn} throws
     * {@link QueueFullException} and the job was never spawned. Unset, {@code spawn} waits as
     * long as it takes.
     *
     * @param queueTimeout how long to wait for a place in a full queue
     * @return new options with that queue timeout
     * @throws IllegalArgumentException if {@code queueTimeout} is {@code null} or negative
     */
    public SpawnOptions queueTimeout(Duration queueTimeout) {
        return new SpawnOptions(this.name, this.timeout, checked(queueTimeout, "queueTimeout"));
    }

    /**
     * The name given, if any.
     *
     * @return the name, or {@code null} when a name is to be generated
     */
    public String name() {
        return this.name;
    }

    /**
     * The run timeout given, if any.
     *
     * @return the run timeout ({@link Duration#ZERO} = none), or {@code null} when the scheduler's
     *     {@code jobTimeout} applies
     */
    public Duration timeout() {
        return this.timeout;
    }

    /**
     * The queue timeout given, if any.
     *
     * @return the queue timeout, or {@code null} when {@code spawn} waits as long as it takes
     */
    public Duration queueTimeout() {
        return this.queueTimeout;
    }

    /** The run timeout in nanoseconds: {@code jobTimeoutNanos} when unset; 0 = none. */
    long timeoutNanos(long jobTimeoutNanos) {
        return this.timeout == null ? jobTimeoutNanos : Checks.toNanos(this.timeout);
    }

    /** The queue timeout in nanoseconds; -1 when unset (wait as long as it takes). */
    long queueNanos() {
        return this.queueTimeout == null ? -1 : Checks.toNanos(this.queueTimeout);
    }

    private static Duration checked(Duration value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " must not be null");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(option + " must be >= 0 but was " + Durations.format(value));
        }
        return value;
    }

    /**
     * Options are equal when they give the same name and timeouts.
     *
     * @param other the object to compare with
     * @return whether it is equal options
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof SpawnOptions that && Objects.equals(this.name, that.name)
                && Objects.equals(this.timeout, that.timeout) && Objects.equals(this.queueTimeout, that.queueTimeout);
    }

    /**
     * A hash of the name and timeouts.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(this.name, this.timeout, this.queueTimeout);
    }

    /**
     * The options set, e.g. {@code SpawnOptions[name=report, timeout=30s]}.
     *
     * @return a description
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("SpawnOptions[");
        String sep = "";
        if (this.name != null) {
            text.append("name=").append(this.name);
            sep = ", ";
        }
        if (this.timeout != null) {
            text.append(sep).append("timeout=").append(Durations.format(this.timeout));
            sep = ", ";
        }
        if (this.queueTimeout != null) {
            text.append(sep).append("queueTimeout=").append(Durations.format(this.queueTimeout));
        }
        return text.append(']').toString();
    }
}
