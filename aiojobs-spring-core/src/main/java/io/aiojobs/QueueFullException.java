package io.aiojobs;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown by {@link JobScheduler#spawn(java.util.concurrent.Callable, String, java.time.Duration)}
 * when the pending queue stayed full for the whole wait. The job was not spawned; trying again
 * later may succeed.
 */
public final class QueueFullException extends RejectedExecutionException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was full, and for how long
     */
    public QueueFullException(String message) {
        super(message);
    }
}
