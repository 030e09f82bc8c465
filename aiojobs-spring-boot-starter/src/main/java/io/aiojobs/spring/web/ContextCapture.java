package io.aiojobs.spring.web;

import java.util.Map;
import java.util.concurrent.Callable;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.slf4j.MDC;

import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What the request thread sees (request attributes, locale, MDC, security context, Micrometer
 * context), captured on that thread and installed around a task on the job's thread, then put
 * back as it was, so that nothing leaks into the next job on the same thread.
 */
final class ContextCapture {

    private static final ClassLoader LOADER = ContextCapture.class.getClassLoader();

    private static final boolean MDC_PRESENT = ClassUtils.isPresent("org.slf4j.MDC", LOADER);

    private static final boolean SECURITY_PRESENT = ClassUtils.isPresent(
            "org.springframework.security.core.context.SecurityContextHolder", LOADER);

    private static final boolean MICROMETER_PRESENT = ClassUtils.isPresent(
            "io.micrometer.context.ContextSnapshotFactory", LOADER);

    private final RequestAttributes requestAttributes;

    private final LocaleContext localeContext;

    private final Map<String, String> mdc;

    private final Object securityContext;

    private final Object snapshot;

    private ContextCapture(RequestAttributes requestAttributes) {
        this.requestAttributes = requestAttributes;
        this.localeContext = LocaleContextHolder.getLocaleContext();
        this.mdc = MDC_PRESENT ? MDC.getCopyOfContextMap() : null;
        this.securityContext = SECURITY_PRESENT ? Security.capture() : null;
        this.snapshot = MICROMETER_PRESENT ? Micrometer.capture() : null;
    }

    /**
     * Captures the calling thread's context, with {@code requestAttributes} standing for the
     * request (the caller decides whether the job may share the request thread's instance).
     */
    static ContextCapture capture(RequestAttributes requestAttributes) {
        return new ContextCapture(requestAttributes);
    }

    <T> Callable<T> wrap(Callable<T> task) {
        return () -> {
            Runnable micrometerScope = this.snapshot != null ? Micrometer.open(this.snapshot) : null;
            RequestAttributes previousAttributes = RequestContextHolder.getRequestAttributes();
            LocaleContext previousLocale = LocaleContextHolder.getLocaleContext();
            Map<String, String> previousMdc = MDC_PRESENT ? MDC.getCopyOfContextMap() : null;
            Object previousSecurity = SECURITY_PRESENT ? Security.swap(this.securityContext) : null;
            try {
                RequestContextHolder.setRequestAttributes(this.requestAttributes);
                LocaleContextHolder.setLocaleContext(this.localeContext);
                if (MDC_PRESENT) {
                    setMdc(this.mdc);
                }
                return task.call();
            } finally {
                if (SECURITY_PRESENT) {
                    Security.restore(previousSecurity);
                }
                if (MDC_PRESENT) {
                    setMdc(previousMdc);
                }
                LocaleContextHolder.setLocaleContext(previousLocale);
                RequestContextHolder.setRequestAttributes(previousAttributes);
                if (micrometerScope != null) {
                    micrometerScope.run();
                }
            }
        };
    }

    private static void setMdc(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(values);
        }
    }

    /** Kept apart so that Spring Security is loaded only when present. */
    private static final class Security {

        static Object capture() {
            SecurityContext context = SecurityContextHolder.getContext();
            return context.getAuthentication() != null ? context : null;
        }

        static Object swap(Object context) {
            // The job thread normally has no context; a non-empty one is put back afterwards.
            SecurityContext previous = SecurityContextHolder.getContext();
            if (context != null) {
                SecurityContextHolder.setContext((SecurityContext) context);
            } else {
                SecurityContextHolder.clearContext();
            }
            return previous.getAuthentication() != null ? previous : null;
        }

        static void restore(Object previous) {
            if (previous != null) {
                SecurityContextHolder.setContext((SecurityContext) previous);
            } else {
                SecurityContextHolder.clearContext();
            }
        }
    }

    /** Kept apart so that Micrometer context-propagation is loaded only when present. */
    private static final class Micrometer {

        private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();

        static Object capture() {
            return FACTORY.captureAll();
        }

        static Runnable open(Object snapshot) {
            ContextSnapshot.Scope scope = ((ContextSnapshot) snapshot).setThreadLocals();
            return scope::close;
        }
    }
}
