package dev.workspacesweb.exporter.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value rules of the configuration records, used by their {@code validate()} methods. A broken rule throws a {@link Problem}
 * naming the key relative to the record ({@code port}, {@code regions[1]}); the binding prefixes the record's own
 * path and adds the line ({@code server.port (line 3): ...}).
 */
final class Check {
    private Check() {}

    /** A configuration record with rules; {@link YamlDocument} calls {@link #validate()} on each record it binds. */
    interface Validated {
        /** @throws Problem naming the first key, relative to this record, whose value breaks a rule */
        void validate();
    }

    /** A broken rule of one key, relative to the record that checks it ("" = the record itself). */
    static final class Problem extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String key;

        Problem(String key, String problem) {
            super(problem);
            this.key = key;
        }

        String key() {
            return key;
        }
    }

    static Problem problem(String key, String problem) {
        return new Problem(key, problem);
    }

    /** At least {@code min} (ints widen to this): "must not be negative" when only the sign is wrong. */
    static void atLeast(String key, double value, double min) {
        finite(key, value);
        if (value < min) {
            throw problem(key, (min == 0 ? "must not be negative" : "must be at least " + format(min))
                    + ", got " + format(value));
        }
    }

    static void between(String key, double value, double min, double max) {
        finite(key, value);
        if (value < min || value > max) {
            throw problem(key, "must be between " + format(min) + " and " + format(max) + ", got " + format(value));
        }
    }

    private static void finite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw problem(key, "must be a finite number, got " + value);
        }
    }

    static Duration positive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw problem(key, "must be longer than 0s, got '" + (value == null ? "" : Durations.format(value)) + "'");
        }
        return value;
    }

    static String nonEmpty(String key, String value) {
        if (value == null || value.isBlank()) {
            throw problem(key, "must not be empty");
        }
        return value.strip();
    }

    static void matches(String key, String value, Pattern pattern, String problem) {
        if (!pattern.matcher(value).matches()) {
            throw problem(key, problem);
        }
    }

    /** Each element unique; the second of a pair is named. */
    static <T> void unique(String key, List<T> values, String what) {
        for (int i = 0; i < values.size(); i++) {
            if (values.subList(0, i).contains(values.get(i))) {
                throw problem(key + "[" + i + "]", what + " '" + values.get(i) + "' is listed twice");
            }
        }
    }

    /** Empty, or an absolute http(s) URL with a host. */
    static String url(String key, String value) {
        String text = value.strip();
        if (text.isEmpty()) {
            return "";
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return text;
            }
        } catch (URISyntaxException e) {
            // reported below, with what is expected
        }
        throw problem(key, "not an http(s) URL: '" + text + "' (e.g. http://localhost:4566)");
    }

    static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
