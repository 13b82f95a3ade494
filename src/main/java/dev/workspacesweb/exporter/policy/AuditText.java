package dev.workspacesweb.exporter.policy;

import java.util.List;

/**
 * Formats one audit line as {@code key=value} pairs. Values are quoted when they hold spaces, quotes or '=', and
 * control characters are escaped, so a hostile username or session id cannot forge a second line or a field.
 */
public final class AuditText {
    private AuditText() {}

    /** @param keysAndValues key, value, key, value, ...; pairs with an empty value are left out */
    public static String line(List<String> keysAndValues) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
            String value = keysAndValues.get(i + 1);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(keysAndValues.get(i)).append('=').append(quote(value));
        }
        return out.toString();
    }

    static String quote(String value) {
        boolean plain = true;
        StringBuilder escaped = new StringBuilder(value.length() + 2);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
                plain = false;
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                escaped.append(String.format("\\u%04x", (int) c));
                plain = false;
            } else {
                if (c == ' ' || c == '=') {
                    plain = false;
                }
                escaped.append(c);
            }
        }
        return plain ? escaped.toString() : "\"" + escaped + "\"";
    }
}
