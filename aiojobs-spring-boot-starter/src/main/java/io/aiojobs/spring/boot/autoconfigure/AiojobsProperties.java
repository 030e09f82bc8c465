package io.aiojobs.spring.boot.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the aiojobs starter, under the prefix {@code aiojobs}.
 *
 * <p>The values are checked when the scheduler is built: a negative limit or duration, or virtual
 * threads asked for on a Java before 21, stops the application from starting with a message
 * that names the property. This class is a mutable JavaBean and is not thread-safe; Spring binds
 * it once at start-up.
 */
@ConfigurationProperties("aiojobs")
public class AiojobsProperties {

    /** Whether to auto-configure the aiojobs scheduler, metrics and endpoints. */
    private boolean enabled = true;

    private final Scheduler scheduler = new Scheduler();

    /**
     * Returns whether the starter is enabled.
     *
     * @return whether the starter is enabled
     */
    public boolean isEnabled() {
        return this.enabled;
    }

    /**
     * Sets whether the starter is enabled. By default, it is.
     *
     * @param enabled whether the starter is enabled
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Returns the settings of the auto-configured scheduler.
     *
     * @return the scheduler settings, never {@code null}
     */
    public Scheduler getScheduler() {
        return this.scheduler;
    }

    /** Settings of the auto-configured {@link io.aiojobs.JobScheduler}, under {@code aiojobs.scheduler}. */
    public static class Scheduler {

        /** Maximum number of jobs running at once; 0 means no limit. */
        private int limit = 100;

        /** Maximum number of jobs waiting for a free slot; 0 means unbounded. */
        private int pendingLimit = 10000;

        /** Time closing waits for each interrupted job to actually finish. */
        private Duration closeTimeout = Duration.ofMillis(100);

        /**
         * Grace period given to running and pending jobs at shutdown. Unless set explicitly,
         * it is capped so that wait-timeout plus close-timeout fits in
         * spring.lifecycle.timeout-per-shutdown-phase.
         */
        private Duration waitTimeout = Duration.ofSeconds(60);

        /** Prefix of the names of the threads that run jobs. */
        private String threadNamePrefix = "aiojobs-";

        /**
         * Whether jobs run on virtual threads, one per job (Java 21 or later). When not set,
         * follows spring.threads.virtual.enabled.
         */
        private Boolean virtualThreads;

        /**
         * Whether to record where each job is spawned, so that failures show the spawn site.
         * Costs a stack walk per spawn: meant for debugging.
         */
        private boolean captureSpawnSite;

        /**
         * Returns the maximum number of jobs running at once.
         *
         * @return the limit, {@code 0} for none
         */
        public int getLimit() {
            return this.limit;
        }

        /**
         * Sets the maximum number of jobs running at once. By default, 100.
         *
         * @param limit the limit, {@code 0} for none
         */
        public void setLimit(int limit) {
            this.limit = limit;
        }

        /**
         * Returns the maximum number of pending jobs.
         *
         * @return the limit, {@code 0} for an unbounded queue
         */
        public int getPendingLimit() {
            return this.pendingLimit;
        }

        /**
         * Sets the maximum number of pending jobs. By default, 10000.
         *
         * @param pendingLimit the limit, {@code 0} for an unbounded queue
         */
        public void setPendingLimit(int pendingLimit) {
            this.pendingLimit = pendingLimit;
        }

        /**
         * Returns how long closing waits for each interrupted job.
         *
         * @return the close timeout
         */
        public Duration getCloseTimeout() {
            return this.closeTimeout;
        }

        /**
         * Sets how long closing waits for each interrupted job. By default, 100 ms.
         *
         * @param closeTimeout the close timeout
         */
        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }

        /**
         * Returns the grace period given to jobs at shutdown, before any capping.
         *
         * @return the wait timeout
         */
        public Duration getWaitTimeout() {
            return this.waitTimeout;
        }

        /**
         * Sets the grace period given to jobs at shutdown. By default, 60 s, capped to fit in
         * the shutdown phase.
         *
         * @param waitTimeout the wait timeout
         */
        public void setWaitTimeout(Duration waitTimeout) {
            this.waitTimeout = waitTimeout;
        }

        /**
         * Returns the prefix of job thread names.
         *
         * @return the prefix
         */
        public String getThreadNamePrefix() {
            return this.threadNamePrefix;
        }

        /**
         * Sets the prefix of job thread names. By default, {@code aiojobs-}.
         *
         * @param threadNamePrefix the prefix
         */
        public void setThreadNamePrefix(String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
        }

        /**
         * Returns whether jobs run on virtual threads.
         *
         * @return {@code true} or {@code false}, or {@code null} to follow
         *     {@code spring.threads.virtual.enabled}
         */
        public Boolean getVirtualThreads() {
            return this.virtualThreads;
        }

        /**
         * Sets whether jobs run on virtual threads. By default, {@code null}: follow
         * {@code spring.threads.virtual.enabled}.
         *
         * @param virtualThreads whether to use virtual threads, or {@code null}
         */
        public void setVirtualThreads(Boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
        }

        /**
         * Returns whether spawn sites are recorded.
         *
         * @return whether spawn sites are recorded
         */
        public boolean isCaptureSpawnSite() {
            return this.captureSpawnSite;
        }

        /**
         * Sets whether spawn sites are recorded. By default, they are not.
         *
         * @param captureSpawnSite whether to record spawn sites
         */
        public void setCaptureSpawnSite(boolean captureSpawnSite) {
            this.captureSpawnSite = captureSpawnSite;
        }
    }
}
