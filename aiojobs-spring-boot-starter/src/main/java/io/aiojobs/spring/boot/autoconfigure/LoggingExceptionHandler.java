package io.aiojobs.spring.boot.autoconfigure;

import io.aiojobs.ExceptionContext;
import io.aiojobs.JobScheduler;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The starter's default exception handler: logs each unobserved error at {@code ERROR} through
 * the application's logging, under the category {@code io.aiojobs.JobScheduler}, with the job's
 * name and, when captured, where it was spawned. Thread-safe.
 */
final class LoggingExceptionHandler implements JobScheduler.ExceptionHandler {

    static final Log LOGGER = LogFactory.getLog(JobScheduler.class);

    @Override
    public void handle(JobScheduler scheduler, ExceptionContext context) {
        if (LOGGER.isErrorEnabled()) {
            LOGGER.error(describe(context), context.exception());
        }
    }

    /** {@code message, job: <name>} and the spawn site, one frame a line, when there is one. */
    static String describe(ExceptionContext context) {
        StringBuilder text = new StringBuilder(context.message());
        if (context.job() != null) {
            text.append(", job: ").append(context.job().getName());
        }
        if (!context.sourceTraceback().isEmpty()) {
            text.append("\nJob spawned at:");
            for (StackTraceElement frame : context.sourceTraceback()) {
                text.append("\n\tat ").append(frame);
            }
        }
        return text.toString();
    }
}
