package io.aiojobs;

import java.util.concurrent.CancellationException;

/**
 * Thrown by {@link Job#await()} (and given by {@link Job#future()}) for a job that ran longer than
 * its run timeout ({@link SpawnOptions#timeout(java.time.Duration)}, or the scheduler's
 * {@link JobScheduler.Builder#jobTimeout(java.time.Duration) jobTimeout}) and was closed for it.
 * A {@link CancellationException}, since the job was cancelled; its message names the job and
 * the timeout, e.g. {@code "Job report-7 timed out after 2s"}.
 */
public final class JobTimeoutException extends CancellationException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which job timed out, and after how long
     */
    public JobTimeoutException(String message) {
        super(message);
    }
}
