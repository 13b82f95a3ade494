package dev.workspacesweb.exporter.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the {@link AgentConfig} from a YAML file (Helidon Config) and environment overrides, validating every key.
 * STUB: replaced by the full implementation.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Built-in defaults, as documented in config.yaml. */
    public static AgentConfig defaults() {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Loads {@code file} (or only defaults when null), then applies the environment overrides in {@code env}
     * (key path upper-cased, '.' as '_'; variables that match no key are ignored).
     */
    public static AgentConfig load(Path file, Map<String, String> env) throws ConfigException {
        throw new UnsupportedOperationException("stub");
    }
}
