package dev.workspacesweb.exporter.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the {@link AgentConfig} from {@code config.yaml} and environment overrides.
 *
 * <p>How a value is found, highest first:
 * <ol>
 *   <li>an environment variable named after the key path, upper-cased with {@code .} as {@code _}
 *       ({@code POLL_INTERVAL}, {@code SIMULATOR_FAULTS_THROTTLE_PROBABILITY}); list keys take a comma-separated
 *       list ({@code AWS_REGIONS=us-east-1,eu-west-1}). Variables that match no key are ignored, so the AWS SDK's
 *       {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, ... stay the SDK's. Lists of sections, maps and keys marked
 *       {@link ConfigKeys.FileOnly} are file-only;</li>
 *   <li>the YAML file (an empty value, {@code key:}, means the default);</li>
 *   <li>{@code defaults.yaml} beside this class, which {@code config.yaml} at the repository root documents.</li>
 * </ol>
 * The three are merged as one tree and bound to the records by {@link YamlDocument}; every mistake is one
 * {@link ConfigException} naming the key (or the variable) and the line.
 *
 * <p>An empty {@code otlp.endpoint} takes {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/metrics} from the environment, the OpenTelemetry convention.
 */
public final class ConfigLoader {
    /** The OpenTelemetry SDK's standard variables, honoured when {@code otlp.endpoint} is empty. */
    public static final String OTEL_METRICS_ENDPOINT_VAR = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    public static final String OTEL_ENDPOINT_VAR = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static final Map<String, ConfigKeys.Kind> KEYS = ConfigKeys.leaves(AgentConfig.class);
    private static final ObjectNode DEFAULTS = readDefaults();

    private ConfigLoader() {}

    /** The built-in defaults ({@code defaults.yaml}): what the agent does with no file and no variables. */
    public static AgentConfig defaults() {
        try {
            return load(null, Map.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("defaults.yaml: " + e.getMessage(), e);
        }
    }

    /**
     * Loads {@code file} (or only defaults when null), applies the environment overrides in {@code env}, and binds
     * the result.
     *
     * @param file the YAML file, or null for defaults plus environment
     * @param env  the environment, normally {@code System.getenv()}
     * @throws ConfigException the first mistake: its message names the key (or variable) and the line
     */
    public static AgentConfig load(Path file, Map<String, String> env) throws ConfigException {
        YamlDocument document = file == null ? YamlDocument.parse("", "") : YamlDocument.read(file);
        document.checkKeys(AgentConfig.class);
        ObjectNode tree = DEFAULTS.deepCopy();
        merge(tree, document.tree());
        Map<String, String> fromEnv = new HashMap<>();
        KEYS.forEach((key, kind) -> {
            String var = envName(key);
            if (kind != ConfigKeys.Kind.FILE_ONLY && env.containsKey(var) && set(tree, key, value(env.get(var), kind))) {
                fromEnv.put(key, var);
            }
        });
        if (tree.path("otlp").path("endpoint").asText().isBlank() && !fromEnv.containsKey("otlp.endpoint")) {
            otelEndpoint(env).ifPresent(url -> set(tree, "otlp.endpoint", TextNode.valueOf(url)));
        }
        YamlDocument.Origin inFile = document.origin();
        return YamlDocument.bind(tree, AgentConfig.class, (path, problem) -> {
            for (String p = path; !p.isEmpty(); p = parent(p)) {
                if (fromEnv.containsKey(p)) {
                    return new ConfigException(fromEnv.get(p) + " (environment)", 0, problem);
                }
            }
            return inFile.error(path, problem);
        });
    }

    /**
     * Environment variable to the key path it overrides, sorted by variable name, for help texts and docs.
     * List keys take comma-separated values.
     */
    public static Map<String, String> environmentVariables() {
        Map<String, String> out = new TreeMap<>();
        KEYS.forEach((key, kind) -> {
            if (kind != ConfigKeys.Kind.FILE_ONLY) {
                out.put(envName(key), key);
            }
        });
        return out;
    }

    /** Every key path that holds a value, in declaration order (lists of sections and maps count as one). */
    static Iterable<String> keys() {
        return KEYS.keySet();
    }

    private static String envName(String keyPath) {
        return keyPath.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** A variable's value: text (the binding converts it), or for a list key its comma-separated items. */
    private static JsonNode value(String text, ConfigKeys.Kind kind) {
        if (kind != ConfigKeys.Kind.LIST) {
            return TextNode.valueOf(text);
        }
        ArrayNode items = YamlDocument.MAPPER.createArrayNode();
        Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(items::add);
        return items;
    }

    /** The file over the defaults: sections merge key by key, anything else (lists too) replaces; null keeps. */
    private static void merge(ObjectNode base, ObjectNode over) {
        over.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (value.isNull()) {
                return;
            }
            if (base.get(e.getKey()) instanceof ObjectNode section && value instanceof ObjectNode overSection) {
                merge(section, overSection);
            } else {
                base.set(e.getKey(), value);
            }
        });
    }

    /** Sets a key path's value, unless the file put a value where a section belongs (the binding reports that). */
    private static boolean set(ObjectNode tree, String keyPath, JsonNode value) {
        String[] names = keyPath.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < names.length - 1; i++) {
            if (!(node.get(names[i]) instanceof ObjectNode child)) {
                return false;
            }
            node = child;
        }
        node.set(names[names.length - 1], value);
        return true;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    /** The OpenTelemetry SDK convention: the signal-specific URL as is, the generic base URL plus the signal path. */
    private static Optional<String> otelEndpoint(Map<String, String> env) throws ConfigException {
        String metrics = env.getOrDefault(OTEL_METRICS_ENDPOINT_VAR, "").strip();
        String base = env.getOrDefault(OTEL_ENDPOINT_VAR, "").strip();
        String var = metrics.isEmpty() ? OTEL_ENDPOINT_VAR : OTEL_METRICS_ENDPOINT_VAR;
        String url = !metrics.isEmpty() ? metrics
                : base.isEmpty() ? "" : (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/metrics";
        try {
            return url.isEmpty() ? Optional.empty() : Optional.of(Check.url(var, url));
        } catch (Check.Problem p) {
            throw new ConfigException(var + " (environment)", 0, p.getMessage());
        }
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            return YamlDocument.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "defaults.yaml").tree();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
