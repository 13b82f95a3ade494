package dev.workspacesweb.exporter.logging;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What code prints to {@code System.err} (a library's {@code printStackTrace}, a bare warning) turned into log
 * events, one per line, on the {@code stderr} logger at WARNING, so nothing reaches the process's stderr unformatted.
 * A line is logged once its line break arrives; blank lines are dropped.
 */
final class StderrLines extends OutputStream {
    private static final Logger STDERR = Logger.getLogger("stderr");

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        List<String> lines = new ArrayList<>(1);
        synchronized (pending) {
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    pending.write(b, start, i - start);
                    lines.add(pending.toString(StandardCharsets.UTF_8).stripTrailing());
                    pending.reset();
                    start = i + 1;
                }
            }
            pending.write(b, start, off + len - start);
        }
        // Logged outside the lock: the handler may itself report a failure on System.err.
        for (String line : lines) {
            if (!line.isBlank()) {
                STDERR.log(Level.WARNING, line);
            }
        }
    }
}
