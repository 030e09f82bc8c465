package io.aiojobs;

import java.time.Duration;
import java.util.Objects;

/** Argument checks that say what was wrong with the value. */
final class Checks {

    private Checks() {
    }

    static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0 but was " + value);
        }
        return value;
    }

    static Duration nonNegative(Duration value, String what) {
        Objects.requireNonNull(value, () -> what + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must be >= 0 but was " + Durations.format(value));
        }
        return value;
    }

    /** The duration in nanoseconds, saturated at {@code Long.MAX_VALUE} (about 292 years). */
    static long toNanos(Duration value) {
        try {
            return value.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
