package dev.workspacesweb.exporter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StderrLinesTest {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final Logger stderr = Logger.getLogger("stderr");

    @BeforeEach
    void capture() {
        stderr.addHandler(capture);
        stderr.setUseParentHandlers(false);
    }

    @AfterEach
    void release() {
        stderr.removeHandler(capture);
        stderr.setUseParentHandlers(true);
    }

    @Test
    void eachPrintedLineIsOneWarningEvent() {
        PrintStream err = new PrintStream(new StderrLines(), true, StandardCharsets.UTF_8);
        err.print("WARNING: first ");
        err.println("line {0}");
        err.println();
        err.print("second\r\nthird über\npartial");
        assertThat(records).extracting(LogRecord::getMessage).containsExactly("WARNING: first line {0}", "second", "third über");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getParameters()).isNull();
        });
        err.println();
        assertThat(records).extracting(LogRecord::getMessage).endsWith("partial");
    }
}
