package dev.workspacesweb.exporter.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One configured value as text, with where it came from, so that every conversion error names the right place.
 *
 * @param text the value as Helidon Config (or the environment variable) gives it
 * @param key  the key path ({@code poll.interval}, {@code aws.regions[1]}) or, for an environment override, the
 *             variable ({@code POLL_INTERVAL (environment)})
 * @param line 1-based line in the file, 0 when not from the file
 */
record RawValue(String text, String key, int line) {

    ConfigException error(String problem) {
        return new ConfigException(key, line, problem);
    }

    String string() {
        return text;
    }

    String nonEmptyString() throws ConfigException {
        if (text.isBlank()) {
            throw error("must not be empty");
        }
        return text.strip();
    }

    /** An integer in {@code [min, max]}; the message says "must not be negative" when only the sign is wrong. */
    int integer(int min, int max) throws ConfigException {
        long value = longValue();
        if (value < min || value > max) {
            throw error(rangeProblem(min, max == Integer.MAX_VALUE ? null : max, text.strip()));
        }
        return (int) value;
    }

    long longValue() throws ConfigException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw error(text.isBlank() ? "empty value, expected an integer" : "not an integer: '" + text + "'");
        }
    }

    /** A finite number in {@code [min, max]}. */
    double decimal(double min, double max) throws ConfigException {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw error(text.isBlank() ? "empty value, expected a number" : "not a number: '" + text + "'");
        }
        if (!Double.isFinite(value)) {
            throw error("must be a finite number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw error(rangeProblem(min, max == Double.MAX_VALUE ? null : max, text.strip()));
        }
        return value;
    }

    /** {@code true} or {@code false}, any case (YAML's yes/no/on/off arrive here already as true/false). */
    boolean bool() throws ConfigException {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error("expected true or false, got '" + text + "'");
        };
    }

    /** A Prometheus-style duration of at least {@code min}. */
    Duration duration(Duration min) throws ConfigException {
        Duration value;
        try {
            value = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        if (value.compareTo(min) < 0) {
            throw error(min.equals(Duration.ofMillis(1))
                    ? "must be longer than 0s, got '" + text.strip() + "'"
                    : "must be at least " + Durations.format(min) + ", got '" + text.strip() + "'");
        }
        return value;
    }

    /** An enum constant by name, case-insensitive. */
    <E extends Enum<E>> E enumValue(Class<E> type) throws ConfigException {
        String wanted = text.strip();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        throw error("must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }

    private static String rangeProblem(Number min, Number max, String got) {
        if (min.doubleValue() == 0 && max == null) {
            return "must not be negative, got " + got;
        }
        if (max == null) {
            return "must be at least " + format(min) + ", got " + got;
        }
        return "must be between " + format(min) + " and " + format(max) + ", got " + got;
    }

    private static String format(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
