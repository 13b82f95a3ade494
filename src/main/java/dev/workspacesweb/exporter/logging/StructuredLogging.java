package dev.workspacesweb.exporter.logging;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import dev.workspacesweb.exporter.config.AgentConfig.LogLevel;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The process's logging: every java.util.logging record (the agent's System.Logger calls, Helidon's, the AWS SDK's
 * through slf4j-jdk14, OpenTelemetry's), every line printed to {@code System.err} and every uncaught exception
 * becomes one event on stderr, in logfmt or JSON, at or above the chosen level.
 */
public final class StructuredLogging {
    /** Helidon's JUL provider would read a {@code logging.properties} it finds and replace our handler. */
    static final String HELIDON_LOGGING_CONFIG_DISABLED = "io.helidon.logging.config.disabled";

    /**
     * The agent's own loggers, the only ones {@code debug} reaches: the libraries' debug output is voluminous and
     * holds HTTP headers (Authorization of scrapers and admin clients, SigV4 credentials), so they stay at info.
     * Held here because java.util.logging keeps loggers only weakly, and with them their level.
     */
    private static final Logger AGENT = Logger.getLogger("dev.workspacesweb.exporter");
    /** The audit log's, whose debug lines name the user and client IPs of a session acted on. */
    private static final Logger AUDIT = Logger.getLogger("audit");

    private static EventHandler handler;
    private static PrintStream stderr = System.err;

    private StructuredLogging() {}

    /**
     * Takes over the process's stderr and the JUL root logger. Called once, first thing in {@code main}; later calls
     * only change level and format, as {@link #reconfigure} does.
     */
    public static synchronized void install(AgentConfig.Log log) {
        if (handler != null) {
            reconfigure(log);
            return;
        }
        System.setProperty(HELIDON_LOGGING_CONFIG_DISABLED, "true");
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        stderr = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 8192), false,
                StandardCharsets.UTF_8);
        handler = new EventHandler(stderr, new EventFormatter(log.format()));
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        setLevel(log.level());
        System.setErr(new PrintStream(new StderrLines(), true, StandardCharsets.UTF_8));
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> Logger.getLogger("uncaught")
                .log(Level.SEVERE, "uncaught exception in thread " + thread.getName(), e));
    }

    /**
     * The process's own stderr, for a command line that writes whole events to it itself; {@code System.err} is a
     * stream that logs each line it is given, once {@link #install} ran.
     */
    public static synchronized PrintStream stderr() {
        return stderr;
    }

    /** Sets level and format of an installed logging; does nothing where {@link #install} was not called (tests). */
    public static synchronized void reconfigure(AgentConfig.Log log) {
        if (handler == null) {
            return;
        }
        setLevel(log.level());
        if (((EventFormatter) handler.getFormatter()).logFormat() != log.format()) {
            handler.setFormatter(new EventFormatter(log.format()));
        }
    }

    private static void setLevel(LogLevel level) {
        LogLevel libraries = level == LogLevel.DEBUG ? LogLevel.INFO : level;
        Logger.getLogger("").setLevel(threshold(libraries));
        AGENT.setLevel(threshold(level));
        AUDIT.setLevel(threshold(level));
    }

    /** The lowest java.util.logging level written at {@code level}. */
    static Level threshold(LogLevel level) {
        return switch (level) {
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR -> Level.SEVERE;
        };
    }

    /**
     * One event as a line, for a message a command writes itself (to the command line's error writer) before or
     * instead of logging, such as a configuration error that stops the agent.
     */
    public static String line(LogFormat format, LogLevel level, String logger, String message) {
        return EventFormatter.line(format, Instant.now(), EventFormatter.label(level), logger, message, null);
    }
}
