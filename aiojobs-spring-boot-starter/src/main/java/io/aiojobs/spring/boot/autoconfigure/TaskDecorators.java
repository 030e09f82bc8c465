package io.aiojobs.spring.boot.autoconfigure;

import java.util.List;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;

/** Spring Boot's convention for several {@link TaskDecorator} beans: all of them, in order. */
final class TaskDecorators {

    private TaskDecorators() {
    }

    /** The one decorator, a composite of several in order, or {@code null} for none. */
    static TaskDecorator combine(List<TaskDecorator> decorators) {
        if (decorators.isEmpty()) {
            return null;
        }
        return decorators.size() == 1 ? decorators.get(0) : new CompositeTaskDecorator(decorators);
    }
}
