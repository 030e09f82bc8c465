package io.aiojobs.spring.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Spring MVC integration ({@code aiojobs.web.*}).
 *
 * <p>Not thread-safe while it is being bound; read-only afterwards.
 */
@ConfigurationProperties("aiojobs.web")
public class AiojobsWebProperties {

    /**
     * How long an @Atomic request waits for room in the scheduler's full pending queue before it
     * is answered with 503 Service Unavailable. Unset to wait as long as it takes, like spawn.
     */
    private Duration queueTimeout;

    /**
     * Delay sent in the Retry-After header of a 503 answer when the scheduler refuses a job
     * (queue full or shutting down). Zero to send no Retry-After header.
     */
    private Duration retryAfter = Duration.ofSeconds(5);

    /**
     * Returns how long an {@link Atomic} request waits for room in a full pending queue.
     * By default, {@code null}: as long as it takes.
     *
     * @return the wait, or {@code null} to block
     */
    public Duration getQueueTimeout() {
        return this.queueTimeout;
    }

    /**
     * Sets how long an {@link Atomic} request waits for room in a full pending queue.
     *
     * @param queueTimeout the wait, zero to not wait, or {@code null} to block
     * @throws IllegalArgumentException if {@code queueTimeout} is negative
     */
    public void setQueueTimeout(Duration queueTimeout) {
        if (queueTimeout != null && queueTimeout.isNegative()) {
            throw new IllegalArgumentException("aiojobs.web.queue-timeout must not be negative but was "
                    + queueTimeout);
        }
        this.queueTimeout = queueTimeout;
    }

    /**
     * Returns the delay of the {@code Retry-After} header of a 503 answer. By default, 5 seconds.
     *
     * @return the delay; zero for no header
     */
    public Duration getRetryAfter() {
        return this.retryAfter;
    }

    /**
     * Sets the delay of the {@code Retry-After} header of a 503 answer.
     *
     * @param retryAfter the delay, zero for no header
     * @throws IllegalArgumentException if {@code retryAfter} is {@code null} or negative
     */
    public void setRetryAfter(Duration retryAfter) {
        if (retryAfter == null || retryAfter.isNegative()) {
            throw new IllegalArgumentException("aiojobs.web.retry-after must be zero or positive but was "
                    + retryAfter);
        }
        this.retryAfter = retryAfter;
    }
}
