package io.aiojobs;

import java.util.List;
import java.util.Objects;

/**
 * What the {@link JobScheduler.ExceptionHandler} is told about an error that nobody else would
 * see: a job that failed with nobody awaiting it, or work that did not stop when closed.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param message what happened, e.g. {@code "Job processing failed"} or
 *     {@code "Job closing timed out"}; never {@code null}
 * @param job the job concerned, or {@code null} when the error is not about one job (for
 *     example shielded work that did not stop)
 * @param exception the exception, or {@code null} when there is none
 * @param sourceTraceback where the job was spawned, when the scheduler captures spawn sites
 *     ({@link JobScheduler.Builder#captureSpawnSite(boolean)}); otherwise empty, never
 *     {@code null}
 */
public record ExceptionContext(String message, Job<?> job, Throwable exception,
        List<StackTraceElement> sourceTraceback) {

    /**
     * Creates a context, copying the traceback into an unmodifiable list.
     *
     * @param message what happened
     * @param job the job concerned, or {@code null}
     * @param exception the exception, or {@code null}
     * @param sourceTraceback where the job was spawned; {@code null} is taken as empty
     * @throws NullPointerException if {@code message} is {@code null} or the traceback holds
     *     {@code null}
     */
    public ExceptionContext {
        Objects.requireNonNull(message, "message");
        sourceTraceback = sourceTraceback == null ? List.of() : List.copyOf(sourceTraceback);
    }

    /**
     * Creates a context without a source traceback.
     *
     * @param message what happened
     * @param job the job concerned, or {@code null}
     * @param exception the exception, or {@code null}
     * @throws NullPointerException if {@code message} is {@code null}
     */
    public ExceptionContext(String message, Job<?> job, Throwable exception) {
        this(message, job, exception, List.of());
    }
}
