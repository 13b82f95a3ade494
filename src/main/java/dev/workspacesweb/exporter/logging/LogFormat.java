package dev.workspacesweb.exporter.logging;

import java.util.Locale;

/** How a log event is written: one logfmt line (the default) or one JSON object per line. */
public enum LogFormat {
    LOGFMT,
    JSON;

    /** The name in flags and config: {@code logfmt}, {@code json}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format of {@code value} (case-insensitive), or an IllegalArgumentException naming the choices. */
    public static LogFormat parse(String value) {
        for (LogFormat f : values()) {
            if (f.label().equalsIgnoreCase(value.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown log format '" + value + "'; one of logfmt, json");
    }
}
