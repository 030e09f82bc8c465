package io.aiojobs.spring.web;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;

import io.aiojobs.QueueFullException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers 503 Service Unavailable, with {@code Retry-After}, when the scheduler refused a job
 * of the request: its queue stayed full ({@link QueueFullException}) or it was closed
 * (a {@link RejectedExecutionException} from {@link Atomic} or {@link AiojobsWeb}), or an
 * {@link Atomic} request's job was cut short or dropped by the scheduler's shutdown (a
 * {@link CancellationException}). It runs
 * last, after the resolver of {@code @ExceptionHandler}s, so the application's own handlers
 * take precedence.
 */
final class RejectedJobExceptionResolver implements HandlerExceptionResolver, Ordered {

    private final Duration retryAfter;

    RejectedJobExceptionResolver(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
            Object handler, Exception ex) {
        boolean refused = ex instanceof QueueFullException
                || ((ex instanceof RejectedExecutionException || ex instanceof CancellationException)
                        && request.getAttribute(AiojobsWeb.REJECTED_ATTRIBUTE) == ex);
        if (!refused || response.isCommitted()) {
            return null;
        }
        if (!this.retryAfter.isZero()) {
            long seconds = (this.retryAfter.toMillis() + 999) / 1000;
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        try {
            response.sendError(HttpStatus.SERVICE_UNAVAILABLE.value());
        } catch (IOException failed) {
            return null;
        }
        // An empty view: handled, the container renders the error page.
        return new ModelAndView();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
