package io.aiojobs.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an invalid {@code aiojobs.*} property by name, with the value found and the values
 * allowed, instead of the bean-creation stack Spring would show.
 */
final class InvalidAiojobsPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidAiojobsPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidAiojobsPropertyException cause) {
        String description = "Invalid value for the aiojobs scheduler:\n\n"
                + "    Property: " + cause.property() + "\n"
                + "    Value: " + cause.value() + "\n"
                + "    Allowed: " + cause.allowed() + "\n";
        String action = "Update your application's configuration: set '" + cause.property()
                + "' to " + cause.allowed() + ", or remove it to use the default.";
        return new FailureAnalysis(description, action, cause);
    }
}
