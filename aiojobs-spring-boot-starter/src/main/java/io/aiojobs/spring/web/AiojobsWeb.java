package io.aiojobs.spring.web;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.ApplicationContext;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * Request helpers after aiohttp's {@code aiojobs.aiohttp}: spawn or shield work from a request on
 * the application's {@link JobScheduler}, and find that scheduler.
 *
 * <p>The scheduler of a request is found in the request's web application context: the
 * {@code DispatcherServlet}'s context, else the root context, then their parents in turn; the
 * first context that holds a {@code JobScheduler} bean wins (when it holds several, the one named
 * {@code jobScheduler}, else the {@code @Primary} one). So a child context with a scheduler of
 * its own uses it, as aiohttp's nested applications do.
 *
 * <p>Work started here sees what the request thread saw ({@code RequestContextHolder},
 * {@code LocaleContextHolder}, MDC, Spring Security's context, the Micrometer observation), and
 * its thread keeps none of it afterwards. Once the request has completed, the job's view of the
 * request is cut off: any call on the request object then throws {@link IllegalStateException},
 * because the container recycles request objects for later requests. Copy what the job needs from
 * the request before starting it.
 *
 * <p>This class is thread-safe (it has no state).
 */
public final class AiojobsWeb {

    /** How to get a scheduler, for error messages. */
    static final String HOW_TO_REGISTER = "add io.aiojobs:aiojobs-spring-boot-starter to the"
            + " application (its auto-configuration registers a JobScheduler bean named"
            + " 'jobScheduler' unless aiojobs.enabled=false) or define a JobScheduler bean";

    /** Request attribute that marks a refusal by the scheduler, for the 503 mapping. */
    static final String REJECTED_ATTRIBUTE = AiojobsWeb.class.getName() + ".rejected";

    private AiojobsWeb() {
    }

    /**
     * Spawns {@code task} as a job on the request's scheduler, with the request's context (see
     * the class documentation). By default, like {@link JobScheduler#spawn(Callable)}, this
     * blocks while the scheduler's pending queue is full.
     *
     * @param <T> the type of the task's result
     * @param request the current request
     * @param task what the job does
     * @return the new job
     * @throws NullPointerException if {@code request} or {@code task} is {@code null}
     * @throws IllegalStateException if the request has no scheduler
     * @throws java.util.concurrent.RejectedExecutionException if the scheduler is closed, or the
     *     caller was interrupted while blocked on a full pending queue; answered with 503 when it
     *     reaches Spring MVC and no handler of the application takes it
     */
    public static <T> Job<T> spawn(HttpServletRequest request, Callable<T> task) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(task, "task");
        JobScheduler scheduler = getScheduler(request);
        Callable<T> body = RequestContexts.forBackground(request).wrap(task);
        return spawn(scheduler, body, null, null, request);
    }

    /**
     * Runs {@code task} as shielded work on the request's scheduler, with the request's context:
     * cancelling the returned future or interrupting the request thread does not stop it;
     * the scheduler's {@code waitAndClose()} waits for it. See {@link JobScheduler#shield(Callable)}.
     *
     * @param <T> the type of the task's result
     * @param request the current request
     * @param task the work
     * @return a future of the task's result
     * @throws NullPointerException if {@code request} or {@code task} is {@code null}
     * @throws IllegalStateException if the request has no scheduler
     * @throws java.util.concurrent.RejectedExecutionException if the scheduler is closed
     */
    public static <T> CompletableFuture<T> shield(HttpServletRequest request, Callable<T> task) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(task, "task");
        JobScheduler scheduler = getScheduler(request);
        Callable<T> body = RequestContexts.forBackground(request).wrap(task);
        try {
            return scheduler.shield(body);
        } catch (RejectedExecutionException ex) {
            request.setAttribute(REJECTED_ATTRIBUTE, ex);
            throw ex;
        }
    }

    /**
     * Returns the request's scheduler (see the class documentation).
     *
     * @param request the current request
     * @return the scheduler
     * @throws NullPointerException if {@code request} is {@code null}
     * @throws IllegalStateException if there is none, saying how to register one
     */
    public static JobScheduler getScheduler(HttpServletRequest request) {
        return getSchedulerFromRequest(request).orElseThrow(() -> new IllegalStateException(
                "No JobScheduler found for this request; " + HOW_TO_REGISTER));
    }

    /**
     * Finds the request's scheduler (see the class documentation).
     *
     * @param request the current request
     * @return the scheduler, or empty if the request's contexts have none (or the request has no
     *     web application context)
     * @throws NullPointerException if {@code request} is {@code null}
     */
    public static Optional<JobScheduler> getSchedulerFromRequest(HttpServletRequest request) {
        Objects.requireNonNull(request, "request");
        WebApplicationContext context = RequestContextUtils.findWebApplicationContext(request);
        return context != null ? getSchedulerFromApp(context) : Optional.empty();
    }

    /**
     * Finds the scheduler of an application context: its own {@code JobScheduler} bean, else its
     * parent's, and so on up (when a context holds several, the one named {@code jobScheduler},
     * else the {@code @Primary} one).
     *
     * @param context the application context
     * @return the scheduler, or empty if neither the context nor its parents have one
     * @throws NullPointerException if {@code context} is {@code null}
     * @throws IllegalStateException if a context holds several schedulers and none is named
     *     {@code jobScheduler} or primary, or if the context is not active
     */
    public static Optional<JobScheduler> getSchedulerFromApp(ApplicationContext context) {
        Objects.requireNonNull(context, "context");
        return SchedulerLookup.find(context);
    }

    /** Spawns, marking a refusal on the request so that it is answered with 503. */
    static <T> Job<T> spawn(JobScheduler scheduler, Callable<T> body, String name,
            Duration queueTimeout, HttpServletRequest request) {
        try {
            return queueTimeout != null
                    ? scheduler.spawn(body, name, queueTimeout) : scheduler.spawn(body, name);
        } catch (RejectedExecutionException ex) {
            if (request != null) {
                request.setAttribute(REJECTED_ATTRIBUTE, ex);
            }
            throw ex;
        }
    }
}
