package io.aiojobs.spring.web;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.aiojobs.Job;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.ReflectionUtils;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.context.request.async.WebAsyncUtils;

/**
 * One call of an {@link Atomic} method that returns an asynchronous type. The job gets request
 * attributes of its own, which stay usable after the request thread has returned, and a request
 * that is cut off when the request completes (the container then recycles it).
 */
final class AsyncReturn {

    /** How long a cancelled waiter leaves MVC to set its own result first. */
    private static final Duration RACE_GRACE = Duration.ofSeconds(10);

    private final HttpServletRequest request;

    private final DetachedRequest jobRequest;

    private final ServletRequestAttributes jobAttributes;

    private final ContextCapture capture;

    private final CompletableFuture<Void> requestDone = new CompletableFuture<>();

    /** Completed when a DeferredResult has been set, has expired or has failed. */
    private final CompletableFuture<Void> answered = new CompletableFuture<>();

    private AsyncReturn(RequestAttributes attributes, HttpServletRequest request) {
        this.request = request;
        if (request != null) {
            HttpServletResponse response = ((ServletRequestAttributes) attributes).getResponse();
            this.jobRequest = new DetachedRequest(request);
            this.jobAttributes = new ServletRequestAttributes(this.jobRequest, response);
            this.capture = ContextCapture.capture(this.jobAttributes);
        } else {
            this.jobRequest = null;
            this.jobAttributes = null;
            this.capture = ContextCapture.capture(attributes);
        }
    }

    static boolean isAsync(Class<?> returnType) {
        return Callable.class.isAssignableFrom(returnType)
                || WebAsyncTask.class.isAssignableFrom(returnType)
                || CompletionStage.class.isAssignableFrom(returnType)
                || DeferredResult.class.isAssignableFrom(returnType);
    }

    static AsyncReturn prepare(RequestAttributes attributes, HttpServletRequest request) {
        return new AsyncReturn(attributes, request);
    }

    ContextCapture capture() {
        return this.capture;
    }

    /**
     * Waits (deaf to interrupts) until the method has returned inside the job, and gives MVC a
     * value to start asynchronous processing with.
     */
    Object handOver(Job<Object> job, CompletableFuture<Object> handoff) throws Throwable {
        // A job closed before it ran the method (the scheduler shut down) never hands off.
        job.future().whenComplete((result, failure) -> handoff.completeExceptionally(
                failure instanceof CancellationException cancelled ? cancelled
                        : new CancellationException("The job ended before the method returned: " + job)));
        Object value;
        try {
            value = getUninterruptibly(handoff);
        } catch (ExecutionException ex) {
            requestCompleted();
            throw ex.getCause();
        }
        if (value == null || this.request == null) {
            requestCompleted();
            return value;
        }
        listenForCompletion();
        if (value instanceof Callable<?>) {
            return awaiting(job);
        }
        if (value instanceof WebAsyncTask<?> task) {
            ReflectionUtils.setField(TaskCallable.FIELD, task, awaiting(job));
            return task;
        }
        // CompletionStage and DeferredResult: MVC never cancels them, so they go out unchanged.
        return value;
    }

    /**
     * The callable MVC runs in place of the method's: it waits for the job. MVC cancels it on
     * timeout or error, which interrupts the waiting, not the job.
     */
    private Callable<Object> awaiting(Job<Object> job) {
        return () -> {
            try {
                return job.await();
            } catch (InterruptedException ex) {
                if (!job.isClosed()) {
                    // MVC cancelled us and is setting its own result (timeout answer, onTimeout
                    // callback...): throwing now could win that race, so give the request time to
                    // finish. Bounded: a container may never complete a request whose client left.
                    try {
                        CompletableFuture.anyOf(this.requestDone, job.future())
                                .get(RACE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (ExecutionException | TimeoutException | CancellationException ignored) {
                        // Whatever comes first; MVC keeps the first result only.
                    }
                }
                throw ex;
            }
        };
    }

    /**
     * Lets a job that returned a DeferredResult last until the request has its answer: a result,
     * a timeout or an error (the container may never complete a request whose client left).
     */
    void awaitCompletion() throws InterruptedException {
        if (this.request == null) {
            return;
        }
        try {
            CompletableFuture.anyOf(this.answered, this.requestDone).get();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void listenForCompletion() {
        WebAsyncManager manager = WebAsyncUtils.getAsyncManager(this.request);
        manager.registerCallableInterceptor(this, new CallableProcessingInterceptor() {
            @Override
            public <T> void afterCompletion(NativeWebRequest request, Callable<T> task) {
                requestCompleted();
            }
        });
        manager.registerDeferredResultInterceptor(this, new DeferredResultProcessingInterceptor() {
            @Override
            public <T> void postProcess(NativeWebRequest request, DeferredResult<T> result, Object value) {
                AsyncReturn.this.answered.complete(null);
            }

            @Override
            public <T> boolean handleTimeout(NativeWebRequest request, DeferredResult<T> result) {
                AsyncReturn.this.answered.complete(null);
                return true;
            }

            @Override
            public <T> boolean handleError(NativeWebRequest request, DeferredResult<T> result, Throwable t) {
                AsyncReturn.this.answered.complete(null);
                return true;
            }

            @Override
            public <T> void afterCompletion(NativeWebRequest request, DeferredResult<T> result) {
                requestCompleted();
            }
        });
    }

    /** Ends the job's view of the request: request-scope callbacks run, the request is cut off. */
    private void requestCompleted() {
        if (this.jobAttributes != null && this.requestDone.complete(null)) {
            this.jobAttributes.requestCompleted();
            this.jobRequest.detach();
        }
    }

    private static Object getUninterruptibly(CompletableFuture<Object> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * WebAsyncTask's callable. Its other settings and its callbacks (reached by MVC through a
     * package-private method) must be kept, so the task itself goes to MVC with a callable
     * swapped in. Loaded on first use only.
     */
    private static final class TaskCallable {

        static final Field FIELD = find();

        private static Field find() {
            Field field = ReflectionUtils.findField(WebAsyncTask.class, "callable");
            if (field == null) {
                throw new IllegalStateException("@Atomic cannot wrap a WebAsyncTask of this Spring"
                        + " version (no 'callable' field); return a Callable instead");
            }
            ReflectionUtils.makeAccessible(field);
            return field;
        }
    }
}
