package io.aiojobs;

import java.time.Duration;
import java.util.Objects;

/**
 * The one way aiojobs writes a duration for people to read, in its messages and, in the
 * starter, in its logs: {@code 100ms}, {@code 1.5s}, {@code 25s}, {@code 2m30s}, {@code 1h},
 * never ISO-8601's {@code PT25S}. Stateless and thread-safe.
 */
public final class Durations {

    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000 * MILLI;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private Durations() {
    }

    /**
     * Writes {@code duration} for a log line or a message. Under a second it is given in whole
     * milliseconds ({@code 100ms}; {@code <1ms} for less than one, {@code 0s} for zero); under a
     * minute in seconds with up to three decimals, trailing zeros dropped ({@code 1.5s},
     * {@code 1.234s}, {@code 25s}); above that in hours, minutes and seconds ({@code 1h5m},
     * {@code 2m30.5s}). Sub-millisecond parts are rounded to the nearest millisecond from a
     * second up. Negative durations get a leading {@code -}.
     *
     * @param duration the duration
     * @return its human form, e.g. {@code 1.5s}
     * @throws NullPointerException if {@code duration} is {@code null}
     */
    public static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return (duration.getSeconds() / 3600) + "h";
        }
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < MILLI) {
            return "<1ms";
        }
        if (nanos < SECOND) {
            return (nanos / MILLI) + "ms";
        }
        long millis = (nanos + MILLI / 2) / MILLI; // from a second up: rounded to the millisecond
        StringBuilder text = new StringBuilder();
        long hours = millis / (HOUR / MILLI);
        long minutes = millis / (MINUTE / MILLI) % 60;
        long secondsMillis = millis % (MINUTE / MILLI);
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (secondsMillis > 0) {
            text.append(secondsMillis / 1000);
            long fraction = secondsMillis % 1000;
            if (fraction > 0) {
                String digits = String.valueOf(1000 + fraction).substring(1); // three digits
                text.append('.').append(digits.replaceAll("0+$", ""));
            }
            text.append('s');
        }
        return text.toString();
    }
}
