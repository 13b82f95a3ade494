package dev.workspacesweb.exporter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import dev.workspacesweb.exporter.config.AgentConfig.LogLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class EventFormatterTest {
    /** Quotes, backslashes, '=', line breaks of every kind, a bidi override, non-Latin letters. */
    private static final String HOSTILE = "user \"x\" = a\\b\nlevel=error msg=forged\r\u0085\u2028\u2029\u202e\u0000\u007f "
            + "\u0009 chloé 王芳";

    private static LogRecord record(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("dev.workspacesweb.exporter.poll.PortalPoller");
        r.setInstant(Instant.parse("2026-12-01T22:10:00.123456Z"));
        r.setParameters(params.length == 0 ? null : params);
        return r;
    }

    private static String format(LogFormat format, LogRecord r) {
        String out = new EventFormatter(format).format(r);
        assertThat(out).endsWith("\n");
        String line = out.substring(0, out.length() - 1);
        assertThat(line).as("one line").doesNotContain("\n", "\r", "\u0085", "\u2028", "\u2029");
        return line;
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void writesTimeLevelLoggerAndMessage(LogFormat format) {
        Map<String, String> event = LogLines.parse(format,
                format(format, record(Level.INFO, "portal {0}: polling recovered", "p-1")));
        assertThat(event).containsExactly(
                Map.entry("time", "2026-12-01T22:10:00.123Z"),
                Map.entry("level", "info"),
                Map.entry("logger", "dev.workspacesweb.exporter.poll.PortalPoller"),
                Map.entry("msg", "portal p-1: polling recovered"));
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void aHostileMessageStaysOneLineAndReadsBackUnchanged(LogFormat format) {
        String line = format(format, record(Level.WARNING, HOSTILE));
        Map<String, String> event = LogLines.parse(format, line);
        assertThat(event.get("msg")).isEqualTo(HOSTILE);
        assertThat(event.get("level")).as("no forged level").isEqualTo("warn");
        assertThat(event).hasSize(4);
        assertThat(line).doesNotContain("\u202e", "\u0000", "\u007f");
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void aStackTraceIsFoldedIntoOneValue(LogFormat format) {
        Exception cause = new IllegalStateException("inner\nproblem");
        Exception e = new RuntimeException("outer", cause);
        LogRecord r = record(Level.SEVERE, "poll cycle failed unexpectedly");
        r.setThrown(e);
        Map<String, String> event = LogLines.parse(format, format(format, r));
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(event.get("level")).isEqualTo("error");
        assertThat(event.get("err")).isEqualTo("java.lang.RuntimeException: outer");
        assertThat(event.get("stack")).isEqualTo(trace.toString().stripTrailing())
                .contains("Caused by: java.lang.IllegalStateException: inner\nproblem");
    }

    @Test
    void everyJdkLevelMapsToOneOfTheFourLabels() {
        assertThat(EventFormatter.labelOf(Level.FINEST)).isEqualTo("debug");
        assertThat(EventFormatter.labelOf(Level.FINE)).isEqualTo("debug");
        assertThat(EventFormatter.labelOf(Level.CONFIG)).isEqualTo("debug");
        assertThat(EventFormatter.labelOf(Level.INFO)).isEqualTo("info");
        assertThat(EventFormatter.labelOf(Level.WARNING)).isEqualTo("warn");
        assertThat(EventFormatter.labelOf(Level.SEVERE)).isEqualTo("error");
        assertThat(EventFormatter.labelOf(Level.OFF)).isEqualTo("error");
    }

    @ParameterizedTest
    @EnumSource(LogLevel.class)
    void eachSettingWritesItsOwnLevelAndAbove(LogLevel level) {
        assertThat(EventFormatter.labelOf(StructuredLogging.threshold(level))).isEqualTo(EventFormatter.label(level));
    }

    @Test
    void logfmtQuotesOnlyWhatNeedsIt() {
        StringBuilder out = new StringBuilder();
        Logfmt.appendPair(out, "a", "plain-value_1.2:3/x");
        Logfmt.appendPair(out, "b", "");
        Logfmt.appendPair(out, "c", "two words");
        Logfmt.appendPair(out, "d", "k=v");
        assertThat(out).hasToString("a=plain-value_1.2:3/x b=\"\" c=\"two words\" d=\"k=v\"");
    }
}
