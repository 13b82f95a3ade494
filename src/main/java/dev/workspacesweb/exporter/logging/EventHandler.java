package dev.workspacesweb.exporter.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** Writes each record as one line to a stream (the process's stderr) and flushes it at once. */
final class EventHandler extends Handler {
    private final OutputStream out;

    EventHandler(OutputStream out, EventFormatter formatter) {
        this.out = out;
        setFormatter(formatter);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("could not format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                reportError("could not write a log record", e, ErrorManager.WRITE_FAILURE);
            }
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            reportError("could not flush", e, ErrorManager.FLUSH_FAILURE);
        }
    }

    /** The stream is the process's stderr: it stays open for the JVM's last words. */
    @Override
    public void close() {
        flush();
    }
}
