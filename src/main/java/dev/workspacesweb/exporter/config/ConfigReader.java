package dev.workspacesweb.exporter.config;

import io.helidon.config.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layers of the configuration, highest first: an environment variable of {@link ConfigSchema#envOverrides()},
 * then the file as read by Helidon Config (with the line from {@link YamlStructure}); absent from both = the caller's
 * default. Values come out as {@link RawValue}s that know where they came from.
 */
final class ConfigReader {
    private final Config file;
    private final YamlStructure structure;
    private final Map<String, String> env;
    private final Map<String, String> envNames = ConfigSchema.envOverrides();

    /**
     * @param file      the file's Helidon Config tree ({@link Config#empty()} without a file)
     * @param structure the file's key lines
     * @param env       the process environment
     */
    ConfigReader(Config file, YamlStructure structure, Map<String, String> env) {
        this.file = file;
        this.structure = structure;
        this.env = env;
    }

    /** The value of a single-value key, from the environment or the file. */
    Optional<RawValue> scalar(String keyPath) {
        String var = envNames.get(keyPath);
        if (var != null && env.containsKey(var)) {
            return Optional.of(new RawValue(env.get(var), fromEnv(var), 0));
        }
        return fileScalar(file.get(keyPath), keyPath);
    }

    /**
     * The elements of a list key: from the environment as a comma-separated list (blank items dropped, so an empty
     * variable is an empty list), or from the file; empty when neither sets it.
     */
    Optional<List<RawValue>> list(String keyPath) {
        String var = envNames.get(keyPath);
        if (var != null && env.containsKey(var)) {
            String key = fromEnv(var);
            return Optional.of(Arrays.stream(env.get(var).split(","))
                    .map(String::strip)
                    .filter(item -> !item.isEmpty())
                    .map(item -> new RawValue(item, key, 0))
                    .toList());
        }
        return fileList(file.get(keyPath), keyPath);
    }

    /** Where the effective value of {@code keyPath} comes from, for errors that involve several keys. */
    RawValue origin(String keyPath, String effectiveText) {
        String var = envNames.get(keyPath);
        if (var != null && env.containsKey(var)) {
            return new RawValue(env.get(var), fromEnv(var), 0);
        }
        return new RawValue(effectiveText, keyPath, structure.line(keyPath));
    }

    /** The file's node at {@code keyPath} (file-only parts: {@code policies}, {@code otlp.headers}). */
    Config fileNode(String keyPath) {
        return file.get(keyPath);
    }

    int line(String keyPath) {
        return structure.line(keyPath);
    }

    /** A single value of {@code node}, whose key path (for lines and messages) is {@code keyPath}. */
    Optional<RawValue> fileScalar(Config node, String keyPath) {
        if (node.type() != Config.Type.VALUE) {
            return Optional.empty();
        }
        return Optional.of(new RawValue(node.asString().get(), keyPath, structure.line(keyPath)));
    }

    /** The elements of a list node; a YAML null ({@code portals:}) is an empty list. */
    Optional<List<RawValue>> fileList(Config node, String keyPath) {
        return switch (node.type()) {
            case LIST -> {
                List<RawValue> items = new ArrayList<>();
                List<Config> nodes = node.asNodeList().get();
                for (int i = 0; i < nodes.size(); i++) {
                    String itemPath = keyPath + "[" + i + "]";
                    items.add(new RawValue(nodes.get(i).asString().orElse(""), itemPath, structure.line(itemPath)));
                }
                yield Optional.of(items);
            }
            case VALUE -> Optional.of(List.of());
            default -> Optional.empty();
        };
    }

    private static String fromEnv(String var) {
        return var + " (environment)";
    }
}
