package dev.workspacesweb.exporter.policy;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The audit log: one line per action on the {@code audit} logger, for the CLI, the admin API and the policies.
 * Whose session it was ({@code user}, {@code client_ips}) is personal data that info and above never hold: it goes to
 * a second line at debug, joined to the first by {@code session}, written only when the log level is debug.
 */
public final class AuditLog {
    /** Keys whose values identify a person. */
    static final Set<String> PERSONAL = Set.of("user", "client_ips");

    private static final System.Logger AUDIT = System.getLogger("audit");

    private AuditLog() {}

    /** @param keysAndValues key, value, key, value, ... as {@link AuditText#line} takes them */
    public static void write(Level level, List<String> keysAndValues) {
        List<String> action = new ArrayList<>(keysAndValues.size());
        List<String> personal = new ArrayList<>();
        String session = "";
        for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
            String key = keysAndValues.get(i);
            String value = keysAndValues.get(i + 1);
            (PERSONAL.contains(key) ? personal : action).addAll(List.of(key, value == null ? "" : value));
            if (key.equals("session") && value != null) {
                session = value;
            }
        }
        AUDIT.log(level, AuditText.line(action));
        if (!personal.isEmpty() && AUDIT.isLoggable(Level.DEBUG)) {
            List<String> detail = new ArrayList<>(List.of("session", session));
            detail.addAll(personal);
            AUDIT.log(Level.DEBUG, AuditText.line(detail));
        }
    }
}
