package io.aiojobs.spring.web;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import jakarta.servlet.http.HttpServletRequest;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;

/**
 * Runs an {@link Atomic} method as one job. A synchronous method: the calling thread waits for
 * the job, deaf to interrupts, and gets its value or very exception. A method returning an
 * asynchronous type: the calling thread waits only until the method has returned (inside the
 * job), hands MVC a value whose cancellation cannot reach the job, and the job goes on until the
 * asynchronous result is produced.
 */
final class AtomicInterceptor implements MethodInterceptor {

    /** The scheduler of the @Atomic job running on this thread, if any. */
    private static final ThreadLocal<JobScheduler> CURRENT = new ThreadLocal<>();

    private final BeanFactory beanFactory;

    private final Supplier<Duration> queueTimeout;

    /** Per method and target class: what every call needs, resolved at its first call. */
    private final Map<MethodClassKey, Handler> handlers = new ConcurrentHashMap<>();

    /**
     * @param beanFactory where to find the schedulers
     * @param queueTimeout how long to wait for room in a full pending queue, {@code null} to block
     */
    AtomicInterceptor(BeanFactory beanFactory, Supplier<Duration> queueTimeout) {
        this.beanFactory = beanFactory;
        this.queueTimeout = queueTimeout;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Handler handler = handler(invocation.getMethod(), invocation.getThis());
        JobScheduler scheduler = handler.scheduler();
        if (CURRENT.get() == scheduler) {
            // Already inside an @Atomic job of this scheduler: protected already, and waiting
            // for a nested job could take the last slot and deadlock.
            return invocation.proceed();
        }
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        HttpServletRequest request = attributes instanceof ServletRequestAttributes servlet
                ? servlet.getRequest() : null;
        String name = request != null ? request.getMethod() + " " + request.getRequestURI()
                : handler.name();
        if (!handler.async()) {
            // The request outlives the job here, so the job may share the request's attributes.
            Callable<Object> body = ContextCapture.capture(attributes)
                    .wrap(() -> inJob(scheduler, () -> proceed(invocation)));
            Job<Object> job = spawn(scheduler, body, name, request);
            try {
                return awaitUninterruptibly(job);
            } catch (CancellationException ex) {
                throw cutShort(ex, scheduler, request);
            }
        }
        AsyncReturn async = AsyncReturn.prepare(attributes, request);
        CompletableFuture<Object> handoff = new CompletableFuture<>();
        Callable<Object> body = async.capture()
                .wrap(() -> inJob(scheduler, () -> runAsync(invocation, handoff, async)));
        Job<Object> job = spawn(scheduler, body, name, request);
        try {
            return async.handOver(job, handoff);
        } catch (CancellationException ex) {
            throw cutShort(ex, scheduler, request);
        }
    }

    /** A job closed before it answered: when the scheduler's shutdown did it, that is a 503. */
    private static CancellationException cutShort(CancellationException ex, JobScheduler scheduler,
            HttpServletRequest request) {
        if (request != null && scheduler.isClosed()) {
            request.setAttribute(AiojobsWeb.REJECTED_ATTRIBUTE, ex);
        }
        return ex;
    }

    private static Object inJob(JobScheduler scheduler, Callable<Object> body) throws Exception {
        CURRENT.set(scheduler);
        try {
            return body.call();
        } finally {
            CURRENT.remove();
        }
    }

    private static Object runAsync(MethodInvocation invocation, CompletableFuture<Object> handoff,
            AsyncReturn async) throws Exception {
        Object value;
        try {
            value = proceed(invocation);
        } catch (Exception | Error ex) {
            // The caller rethrows it; the job has done its part and does not report it again.
            handoff.completeExceptionally(ex);
            return null;
        }
        if (value instanceof Callable<?> callable) {
            handoff.complete(value);
            return callable.call();
        }
        if (value instanceof WebAsyncTask<?> task) {
            // Read before the hand-off: the caller then swaps in a callable that awaits the job.
            Callable<?> callable = task.getCallable();
            handoff.complete(value);
            return callable.call();
        }
        handoff.complete(value);
        if (value instanceof CompletionStage<?> stage) {
            return awaitStage(stage);
        }
        if (value instanceof DeferredResult<?>) {
            async.awaitCompletion();
        }
        return null;
    }

    /** Lasts until the stage completes; only the scheduler closing the job cancels the stage. */
    private static Object awaitStage(CompletionStage<?> stage) throws InterruptedException {
        CompletableFuture<Object> done = new CompletableFuture<>();
        stage.whenComplete((result, failure) -> done.complete(failure == null ? result : null));
        try {
            return done.get();
        } catch (InterruptedException ex) {
            if (stage instanceof Future<?> future) {
                future.cancel(true);
            }
            throw ex;
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The method's scheduler and call style. A scheduler bean cannot change once the context has
     * refreshed, so it is looked up once per method rather than on every request; a failed
     * lookup is not kept, so a missing scheduler fails every call the same way.
     */
    private Handler handler(Method method, Object target) {
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
        MethodClassKey key = new MethodClassKey(method, targetClass);
        Handler handler = this.handlers.get(key);
        if (handler == null) {
            // Not computeIfAbsent: creating a lazy scheduler bean may call an @Atomic method.
            handler = new Handler(scheduler(method, targetClass), AsyncReturn.isAsync(method.getReturnType()),
                    ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName());
            Handler raced = this.handlers.putIfAbsent(key, handler);
            handler = raced != null ? raced : handler;
        }
        return handler;
    }

    private JobScheduler scheduler(Method method, Class<?> targetClass) {
        String name = schedulerName(method, targetClass);
        if (!name.isEmpty()) {
            return SchedulerLookup.named(this.beanFactory, name);
        }
        return SchedulerLookup.find(this.beanFactory).orElseThrow(() -> new IllegalStateException(
                "No JobScheduler bean for @Atomic " + method + "; " + AiojobsWeb.HOW_TO_REGISTER));
    }

    /** The scheduler named by the method's {@code @Atomic}, else its class's; empty for the default. */
    private static String schedulerName(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        Atomic atomic = AnnotatedElementUtils.findMergedAnnotation(specific, Atomic.class);
        if (atomic == null) {
            atomic = AnnotatedElementUtils.findMergedAnnotation(targetClass, Atomic.class);
        }
        return atomic != null && StringUtils.hasText(atomic.scheduler()) ? atomic.scheduler() : "";
    }

    private <T> Job<T> spawn(JobScheduler scheduler, Callable<T> body, String name,
            HttpServletRequest request) {
        return AiojobsWeb.spawn(scheduler, body, name, this.queueTimeout.get(), request);
    }

    private static Object proceed(MethodInvocation invocation) throws Exception {
        try {
            return invocation.proceed();
        } catch (Exception | Error ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new UndeclaredThrowableException(ex);
        }
    }

    /**
     * Waits for the job's outcome. An interrupt of the waiting thread does not give up on the
     * job (its outcome is still the response); the interrupt flag is restored afterwards.
     */
    static <T> T awaitUninterruptibly(Job<T> job) throws Exception {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return job.await();
                } catch (InterruptedException ex) {
                    if (!job.isClosed()) {
                        interrupted = true;
                        continue;
                    }
                    // The job has ended: ex is either its own outcome or our interrupt, which
                    // raced with its end. A finished job answers at once, and tells which.
                    try {
                        T value = job.await();
                        interrupted = true;
                        return value;
                    } catch (InterruptedException outcome) {
                        interrupted |= outcome != ex;
                        throw outcome;
                    } catch (Exception outcome) {
                        interrupted = true;
                        throw outcome;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What a call of one {@code @Atomic} method needs: its scheduler, whether it returns an
     * asynchronous type, and the job name used outside a request.
     */
    private record Handler(JobScheduler scheduler, boolean async, String name) {
    }
}
