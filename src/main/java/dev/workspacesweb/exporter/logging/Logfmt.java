package dev.workspacesweb.exporter.logging;

/**
 * logfmt values as go-logfmt writes them: bare when they hold no space, {@code =}, {@code "} or control character,
 * else in double quotes with {@code \\}, {@code \"}, {@code \n}, {@code \r}, {@code \t} and {@code \}{@code uXXXX}
 * escapes. Characters that some readers take for a line break or that reorder text on screen (C1 controls, U+2028,
 * U+2029, bidi and other format characters) are escaped too, so no value can start a second line or forge a field.
 */
public final class Logfmt {
    private Logfmt() {}

    /** Appends {@code key=value} (with a leading space unless {@code out} is empty). */
    public static void appendPair(StringBuilder out, String key, String value) {
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(key).append('=');
        appendValue(out, value);
    }

    /** Appends {@code value}, quoted and escaped when it needs to be; an empty value is {@code ""}. */
    public static void appendValue(StringBuilder out, String value) {
        if (!needsQuotes(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (mustEscape(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '=' || c == '"' || c == '\\' || mustEscape(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code c} is written as an escape: C0 and C1 controls, DEL, line and paragraph separators and format
     * characters (bidi overrides, zero-width joiners).
     */
    static boolean mustEscape(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
