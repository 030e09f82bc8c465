package io.aiojobs.spring.boot.autoconfigure;

/**
 * Thrown at start-up when an {@code aiojobs.*} property has a value the scheduler cannot use;
 * {@link InvalidAiojobsPropertyFailureAnalyzer} turns it into a readable report.
 */
final class InvalidAiojobsPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient Object value;
    private final String allowed;

    InvalidAiojobsPropertyException(String property, Object value, String allowed) {
        super("Invalid value '" + value + "' for property '" + property + "': allowed values are "
                + allowed);
        this.property = property;
        this.value = value;
        this.allowed = allowed;
    }

    String property() {
        return this.property;
    }

    Object value() {
        return this.value;
    }

    String allowed() {
        return this.allowed;
    }
}
