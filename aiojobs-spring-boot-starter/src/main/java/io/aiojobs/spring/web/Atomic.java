package io.aiojobs.spring.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Runs the whole handler method as one job on a {@link io.aiojobs.JobScheduler}, so that nothing
 * on the request side can cancel it: not a client that goes away, not an MVC async timeout, not
 * an interrupt of the request thread. This is aiohttp's {@code @atomic} for Spring MVC.
 *
 * <p>The caller receives exactly what the method returns or throws (the very exception, so
 * {@code @ExceptionHandler}s keep working). For a method declared to return {@code Callable},
 * {@code WebAsyncTask}, {@code DeferredResult} or {@code CompletionStage}/{@code
 * CompletableFuture}, the request stays asynchronous and the job lasts until the asynchronous
 * result is produced. Inside the job the method sees the request thread's
 * {@code RequestContextHolder}, {@code LocaleContextHolder}, MDC, Spring Security context and
 * Micrometer observation; the job's thread keeps none of them afterwards.
 *
 * <p>On a class, every method of the class is atomic. By default, the job runs on the
 * application's {@code JobScheduler} (the only one, or the one named {@code jobScheduler});
 * {@link #scheduler()} names another bean. Works on any Spring bean, through a proxy the
 * starter adds (no AspectJ weaver needed); like {@code @Async}, calls from within the same
 * object bypass the proxy.
 *
 * @see AiojobsWeb
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Atomic {

    /**
     * Alias for {@link #scheduler()}.
     *
     * @return the name of the {@code JobScheduler} bean, or empty for the default one
     */
    @AliasFor("scheduler")
    String value() default "";

    /**
     * Name of the {@code JobScheduler} bean to run the job on. By default, empty: the
     * application's scheduler.
     *
     * @return the name of the {@code JobScheduler} bean, or empty for the default one
     */
    @AliasFor("value")
    String scheduler() default "";
}
