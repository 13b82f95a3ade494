package dev.workspacesweb.exporter.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus-style durations, as used everywhere in {@code config.yaml}: a sequence of {@code <integer><unit>}
 * terms with the units in decreasing order, each at most once, e.g. {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 1d}. Units: {@code y} (365 days), {@code w}, {@code d}, {@code h}, {@code m}, {@code s},
 * {@code ms}. This is the grammar of Prometheus' {@code model.ParseDuration}, except that a bare number (even
 * {@code 0}) is rejected: a config value of {@code 30} is ambiguous (seconds? milliseconds?), and Prometheus users
 * expect {@code 0s}.
 */
public final class Durations {
    /** Told to the user whenever a value is not a duration. */
    public static final String ACCEPTED =
            "use an integer followed by a unit: ms, s, m, h, d (or w, y), e.g. 500ms, 30s, 5m, 1h30m, 1d";

    private static final Pattern DURATION = Pattern.compile(
            "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");

    /** Milliseconds per unit, in the order of the capture groups of {@link #DURATION}. */
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L
    };

    private Durations() {}

    /**
     * Parses a Prometheus-style duration.
     *
     * @param text e.g. {@code 1h30m}; surrounding white space is ignored
     * @return the duration, never negative
     * @throws IllegalArgumentException with a message that says what is accepted, when {@code text} is empty, a
     *                                  bare number, has unknown or out-of-order units, or overflows
     */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty duration: " + ACCEPTED);
        }
        if (trimmed.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + trimmed + "' has no unit: " + ACCEPTED);
        }
        Matcher m = DURATION.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + trimmed + "' (" + ACCEPTED + ")");
        }
        long millis = 0;
        try {
            for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
                String amount = m.group(unit + 1);
                if (amount != null) {
                    millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(amount), UNIT_MILLIS[unit]));
                }
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration too long: '" + trimmed + "'", e);
        }
        return Duration.ofMillis(millis);
    }

    /**
     * Formats a duration the way {@link #parse} reads it, with the units d, h, m, s and ms (never w or y, so that
     * {@code 14d} stays {@code 14d}): {@code 0s}, {@code 500ms}, {@code 1h30m}, {@code 2d3h}. Sub-millisecond
     * parts are dropped; a negative duration gets a leading {@code -} (which {@link #parse} does not accept).
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        String[] names = {"d", "h", "m", "s", "ms"};
        long[] sizes = {UNIT_MILLIS[2], UNIT_MILLIS[3], UNIT_MILLIS[4], UNIT_MILLIS[5], UNIT_MILLIS[6]};
        for (int i = 0; i < names.length; i++) {
            long amount = millis / sizes[i];
            if (amount > 0) {
                out.append(amount).append(names[i]);
                millis -= amount * sizes[i];
            }
        }
        return out.toString();
    }
}
