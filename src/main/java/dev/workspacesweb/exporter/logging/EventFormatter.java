package dev.workspacesweb.exporter.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Writes one log record as one line: logfmt ({@code time=... level=... logger=... msg=...}) or a JSON object with the
 * same keys. A throwable becomes {@code err} (its class and message) and {@code stack} (the whole trace, its line
 * breaks escaped), so a stack trace never spans lines.
 */
public final class EventFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    private static final CharacterEscapes ESCAPES = new LineSafeEscapes();

    private final LogFormat format;

    public EventFormatter(LogFormat format) {
        this.format = format;
    }

    public LogFormat logFormat() {
        return format;
    }

    @Override
    public String format(LogRecord record) {
        String message = record.getMessage() == null ? "" : formatMessage(record);
        return line(format, record.getInstant(), labelOf(record.getLevel()), record.getLoggerName(), message,
                record.getThrown()) + "\n";
    }

    /**
     * The {@code level} a record is written with: {@code error}, {@code warn}, {@code info}, or {@code debug} for all
     * of the JDK's finer levels (CONFIG, FINE, FINER, FINEST, and System.Logger's DEBUG and TRACE).
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

    /** The lower-case name of a level or format, as flags, config and log lines spell it. */
    public static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** One event as a line without its line break; {@code logger} and {@code thrown} may be null. */
    public static String line(LogFormat format, Instant time, String level, String logger, String message, Throwable thrown) {
        String err = thrown == null ? null : thrown.toString();
        String stack = thrown == null ? null : stackOf(thrown);
        return switch (format) {
            case LOGFMT -> logfmt(time, level, logger, message, err, stack);
            case JSON -> json(time, level, logger, message, err, stack);
        };
    }

    private static String logfmt(Instant time, String level, String logger, String message, String err, String stack) {
        StringBuilder out = new StringBuilder(128 + message.length());
        Logfmt.appendPair(out, "time", TIME.format(time));
        Logfmt.appendPair(out, "level", level);
        if (logger != null && !logger.isEmpty()) {
            Logfmt.appendPair(out, "logger", logger);
        }
        Logfmt.appendPair(out, "msg", message);
        if (err != null) {
            Logfmt.appendPair(out, "err", err);
            Logfmt.appendPair(out, "stack", stack);
        }
        return out.toString();
    }

    private static String json(Instant time, String level, String logger, String message, String err, String stack) {
        StringWriter out = new StringWriter(128 + message.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setCharacterEscapes(ESCAPES);
            g.writeStartObject();
            g.writeStringField("time", TIME.format(time));
            g.writeStringField("level", level);
            if (logger != null && !logger.isEmpty()) {
                g.writeStringField("logger", logger);
            }
            g.writeStringField("msg", message);
            if (err != null) {
                g.writeStringField("err", err);
                g.writeStringField("stack", stack);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static String stackOf(Throwable thrown) {
        StringWriter trace = new StringWriter();
        try (PrintWriter w = new PrintWriter(trace)) {
            thrown.printStackTrace(w);
        }
        return trace.toString().stripTrailing();
    }

    /**
     * Jackson escapes C0 controls already; this adds what some line readers split on (NEL, U+2028, U+2029) and the
     * characters {@link Logfmt} escapes for the same reason, so both formats treat a hostile value alike.
     */
    private static final class LineSafeEscapes extends CharacterEscapes {
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            int[] codes = ASCII.clone();
            codes[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
            return codes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch <= 0xffff && Logfmt.mustEscape((char) ch)) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
