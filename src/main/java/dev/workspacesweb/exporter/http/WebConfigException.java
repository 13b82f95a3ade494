package dev.workspacesweb.exporter.http;

import java.nio.file.Path;

/**
 * A mistake in the {@code web.config_file}. The message names the file, the key path (e.g.
 * {@code tls_server_config.cert_file}) and, when known, the line, and never a secret value (a key, a password hash).
 * Unchecked because it surfaces from {@code AgentServer.start}; callers map it to exit code 2 like any other
 * configuration error.
 */
public final class WebConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;
    private final int line;

    /**
     * @param file    the web config file
     * @param key     dotted key path, or empty for the file as a whole
     * @param line    1-based line, 0 when unknown
     * @param problem what is wrong and, where it helps, how to fix it
     */
    public WebConfigException(Path file, String key, int line, String problem) {
        super(format(file, key, line, problem));
        this.file = file;
        this.key = key;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    public String key() {
        return key;
    }

    public int line() {
        return line;
    }

    private static String format(Path file, String key, int line, String problem) {
        StringBuilder s = new StringBuilder("web config ").append(file);
        if (!key.isEmpty()) {
            s.append(": ").append(key);
        }
        if (line > 0) {
            s.append(" (line ").append(line).append(')');
        }
        return s.append(": ").append(problem).toString();
    }
}
