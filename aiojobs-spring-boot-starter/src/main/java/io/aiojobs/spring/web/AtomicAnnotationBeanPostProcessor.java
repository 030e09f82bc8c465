package io.aiojobs.spring.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.aop.support.annotation.AnnotationClassFilter;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.Ordered;
import org.springframework.util.ReflectionUtils;

/**
 * Proxies beans with {@link Atomic} methods or classes, the way Spring's
 * {@code AsyncAnnotationBeanPostProcessor} does for {@code @Async}: it adds its advisor first to
 * an existing proxy, or builds a class-based proxy. Works with or without an auto-proxy creator
 * (Boot's {@code AopAutoConfiguration}) and needs no AspectJ weaver.
 */
final class AtomicAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<Duration> queueTimeout;

    AtomicAnnotationBeanPostProcessor(Supplier<Duration> queueTimeout) {
        this.queueTimeout = queueTimeout;
        // Like @Async: run before any other advice, so that all of the method runs in the job.
        setBeforeExistingAdvisors(true);
        // Controllers must stay classes for MVC's handler detection, whatever they implement.
        setProxyTargetClass(true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        this.advisor = new AtomicAdvisor(new AtomicInterceptor(beanFactory, this.queueTimeout));
    }

    private static final class NotObjectMethods extends StaticMethodMatcher {

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return !ReflectionUtils.isObjectMethod(method);
        }
    }

    /** Matches {@code @Atomic} on a class (all its methods) or on a method. */
    private static final class AtomicAdvisor extends AbstractPointcutAdvisor {

        private static final long serialVersionUID = 1L;

        private final transient Advice advice;

        // On a class: its methods, but not equals/hashCode/toString (those are no jobs).
        private final transient Pointcut pointcut = new ComposablePointcut(
                new AnnotationClassFilter(Atomic.class, true), new NotObjectMethods())
                .union(new AnnotationMatchingPointcut(null, Atomic.class, true));

        AtomicAdvisor(Advice advice) {
            this.advice = advice;
            setOrder(Ordered.HIGHEST_PRECEDENCE);
        }

        @Override
        public Pointcut getPointcut() {
            return this.pointcut;
        }

        @Override
        public Advice getAdvice() {
            return this.advice;
        }
    }
}
