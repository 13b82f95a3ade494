package dev.workspacesweb.exporter.config;

/**
 * A configuration mistake. The message always names the key path (e.g. {@code poll.interval}) and, when the value
 * came from a file, its line, so the user can go straight to it.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final int line;
    private final String problem;

    /**
     * @param key     dotted key path, e.g. {@code poll.interval}
     * @param line    1-based line in the YAML file, or 0 when unknown (default, environment variable)
     * @param problem what is wrong, e.g. {@code "not a duration: '30 seconds' (use 500ms, 30s, 5m, 1h)"}
     */
    public ConfigException(String key, int line, String problem) {
        super(format(key, line, problem));
        this.key = key;
        this.line = line;
        this.problem = problem;
    }

    public String key() {
        return key;
    }

    public int line() {
        return line;
    }

    /** What is wrong, without key and line. */
    public String problem() {
        return problem;
    }

    private static String format(String key, int line, String problem) {
        return line > 0 ? key + " (line " + line + "): " + problem : key + ": " + problem;
    }
}
