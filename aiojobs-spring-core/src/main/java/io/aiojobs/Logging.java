package io.aiojobs;

import java.lang.System.Logger.Level;

/** The default exception handler: log through {@link System.Logger}, which any logging setup can route. */
final class Logging {

    static final System.Logger LOGGER = System.getLogger(JobScheduler.class.getName());

    private Logging() {
    }

    static void log(ExceptionContext context) {
        if (!LOGGER.isLoggable(Level.ERROR)) {
            return;
        }
        LOGGER.log(Level.ERROR, describe(context), context.exception());
    }

    /** {@code message, job: Job[name state]} plus the spawn site, when there is one. */
    static String describe(ExceptionContext context) {
        StringBuilder text = new StringBuilder(context.message());
        if (context.job() != null) {
            text.append(", job: ").append(context.job());
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
