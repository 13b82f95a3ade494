package dev.workspacesweb.exporter.logging;

import java.util.Locale;
import java.util.logging.Level;

/** The agent's log levels, as {@code --log.level} names them; each stands for a java.util.logging threshold. */
public enum LogLevel {
    DEBUG(Level.FINE),
    INFO(Level.INFO),
    WARN(Level.WARNING),
    ERROR(Level.SEVERE);

    private final Level threshold;

    LogLevel(Level threshold) {
        this.threshold = threshold;
    }

    /** The lowest java.util.logging level written at this setting. */
    public Level threshold() {
        return threshold;
    }

    /** The name in flags, config and log lines: {@code debug}, {@code info}, {@code warn}, {@code error}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level of {@code value} (case-insensitive), or an IllegalArgumentException naming the choices. */
    public static LogLevel parse(String value) {
        for (LogLevel l : values()) {
            if (l.label().equalsIgnoreCase(value.strip())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown log level '" + value + "'; one of debug, info, warn, error");
    }

    /**
     * The label a record of {@code level} is written with. The JDK's finer levels (CONFIG, FINE, FINER, FINEST, and
     * System.Logger's DEBUG and TRACE) are all {@code debug}.
     */
    static String labelOf(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (v >= Level.WARNING.intValue()) {
            return "warn";
        }
        if (v >= Level.INFO.intValue()) {
            return "info";
        }
        return "debug";
    }
}
