package io.aiojobs.spring.web;

import java.util.Optional;

import io.aiojobs.JobScheduler;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.HierarchicalBeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Finds the scheduler of a bean factory the way aiohttp finds it for nested apps: the factory's
 * own scheduler wins, else its parent's, and so on up.
 */
final class SchedulerLookup {

    /** The bean name the starter gives its scheduler; it wins when a factory holds several. */
    static final String DEFAULT_BEAN_NAME = "jobScheduler";

    private SchedulerLookup() {
    }

    static Optional<JobScheduler> find(BeanFactory factory) {
        for (BeanFactory current = factory; current != null; current = parentOf(current)) {
            JobScheduler found = local(current);
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    /** The named scheduler, looked up in the factory and its parents (Spring's own rule). */
    static JobScheduler named(BeanFactory factory, String name) {
        return factory.getBean(name, JobScheduler.class);
    }

    private static JobScheduler local(BeanFactory factory) {
        if (!(factory instanceof ListableBeanFactory listable)) {
            return factory.containsBean(DEFAULT_BEAN_NAME)
                    ? factory.getBean(DEFAULT_BEAN_NAME, JobScheduler.class) : null;
        }
        // Local names only: getBeanNamesForType does not look at the parents.
        String[] names = listable.getBeanNamesForType(JobScheduler.class);
        if (names.length == 0) {
            return null;
        }
        if (names.length == 1) {
            return listable.getBean(names[0], JobScheduler.class);
        }
        for (String name : names) {
            if (DEFAULT_BEAN_NAME.equals(name)) {
                return listable.getBean(name, JobScheduler.class);
            }
        }
        // Several and none named jobScheduler: a @Primary one decides, else this throws.
        return listable.getBeanProvider(JobScheduler.class).getIfUnique(() -> {
            throw new IllegalStateException("Several JobScheduler beans (" + String.join(", ", names)
                    + ") and none is named '" + DEFAULT_BEAN_NAME + "' or @Primary; name one with"
                    + " @Atomic(\"beanName\")");
        });
    }

    private static BeanFactory parentOf(BeanFactory factory) {
        return factory instanceof HierarchicalBeanFactory hierarchical
                ? hierarchical.getParentBeanFactory() : null;
    }
}
