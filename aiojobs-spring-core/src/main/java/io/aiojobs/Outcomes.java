package io.aiojobs;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The rules that turn how a piece of work ended into its outcome, written once for jobs and
 * shielded work alike. Stateless.
 */
final class Outcomes {

    static final String FAILED = "Job processing failed";
    static final String CLOSE_TIMED_OUT = "Job closing timed out";
    static final String TIMED_OUT = "Job timed out";

    private Outcomes() {
    }

    /**
     * How work ended: interrupted or cancelled work has not failed, and work asked to stop that
     * returned normally (or by being interrupted) ends as it was asked to: cancelled, or timed out.
     *
     * @param thrown what the work threw, or null if it returned
     * @param stopped how it was asked to stop before it ended (CANCELLED or TIMEOUT), or null
     */
    static JobListener.Outcome of(Throwable thrown, JobListener.Outcome stopped) {
        if (thrown == null) {
            return stopped != null ? stopped : JobListener.Outcome.SUCCESS;
        }
        if (thrown instanceof InterruptedException || thrown instanceof CancellationException) {
            return stopped != null ? stopped : JobListener.Outcome.CANCELLED;
        }
        return JobListener.Outcome.FAILURE;
    }

    /** What a stage's failure really was: the cause of a {@link CompletionException}. */
    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The failure, to rethrow from a method that declares {@code Exception}: errors as they are. */
    static Exception asException(Throwable failure) {
        if (failure instanceof Exception exception) {
            return exception;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new ExecutionException(failure);
    }
}
