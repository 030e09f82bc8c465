package io.aiojobs.spring.web;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The context of work started from a request that may outlive it ({@link AiojobsWeb#spawn} and
 * {@link AiojobsWeb#shield}): request attributes of its own over a request that is cut off when
 * the request completes.
 */
final class RequestContexts {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private RequestContexts() {
    }

    static ContextCapture forBackground(HttpServletRequest request) {
        ServletRequestAttributes current = currentFor(request);
        HttpServletResponse response = current != null ? current.getResponse() : null;
        DetachedRequest jobRequest = new DetachedRequest(request);
        ServletRequestAttributes jobAttributes = new ServletRequestAttributes(jobRequest, response);
        AtomicBoolean done = new AtomicBoolean();
        Runnable completed = () -> {
            if (done.compareAndSet(false, true)) {
                jobAttributes.requestCompleted();
                jobRequest.detach();
            }
        };
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new CompletionListener(completed));
        } else if (current != null) {
            // Runs when the dispatch that handles the request ends (FrameworkServlet).
            current.registerDestructionCallback(RequestContexts.class.getName() + "#"
                    + SEQUENCE.incrementAndGet(), completed, RequestAttributes.SCOPE_REQUEST);
        }
        return ContextCapture.capture(jobAttributes);
    }

    /** The calling thread's attributes, if they are those of {@code request}. */
    private static ServletRequestAttributes currentFor(HttpServletRequest request) {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current
                && (same(current.getRequest(), request) || same(request, current.getRequest()))) {
            return current;
        }
        return null;
    }

    private static boolean same(ServletRequest outer, ServletRequest inner) {
        return outer == inner || (outer instanceof ServletRequestWrapper wrapper && wrapper.isWrapperFor(inner));
    }

    private record CompletionListener(Runnable completed) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            this.completed.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
