package dev.workspacesweb.exporter.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of {@code config.yaml}: every key the agent knows, whether it is a section, a single value, a list or a
 * map, and whether an environment variable may override it. The single source of truth for key names: the unknown-key
 * check, the environment variable names and the documentation tests all read it.
 */
final class ConfigSchema {
    private ConfigSchema() {}

    /** What may stand at a key. */
    sealed interface Shape permits Section, Scalar, ScalarList, SectionList, StringMap {}

    /** A mapping with a fixed set of keys, in documentation order. */
    record Section(Map<String, Shape> keys) implements Shape {
        Section {
            keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        }
    }

    /** A single value (string, number, boolean, duration, enum). */
    record Scalar(boolean fromEnv) implements Shape {}

    /** A list of single values; from the environment as a comma-separated list. */
    record ScalarList(boolean fromEnv) implements Shape {}

    /** A list of sections ({@code policies}); file only. */
    record SectionList(Section entry) implements Shape {}

    /** A mapping of free names to single values ({@code otlp.headers}); file only. */
    record StringMap() implements Shape {}

    private static final Scalar ENV = new Scalar(true);
    /** File-only single value. */
    private static final Scalar FILE = new Scalar(false);
    private static final ScalarList ENV_LIST = new ScalarList(true);
    private static final ScalarList FILE_LIST = new ScalarList(false);

    /** The policy entry: exactly one of the three rule keys, plus name and dry_run. */
    static final Section POLICY = section(
            "name", FILE,
            "max_session_duration", FILE,
            "deny_client_cidrs", FILE_LIST,
            "max_sessions_per_user", FILE,
            "dry_run", FILE);

    static final Section ROOT = section(
            "server", section("host", ENV, "port", ENV),
            "web", section("config_file", ENV),
            "source", ENV,
            "aws", section(
                    "regions", ENV_LIST,
                    "endpoint", ENV,
                    "portals", ENV_LIST,
                    "max_requests_per_second", ENV,
                    "max_concurrency", ENV,
                    "page_size", ENV,
                    "api_call_timeout", ENV,
                    "api_call_attempt_timeout", ENV,
                    "max_attempts", ENV,
                    // AWS_ROLE_ARN is the SDK's own web-identity variable (EKS IRSA injects it): never ours.
                    "role_arn", FILE,
                    "external_id", ENV),
            "poll", section(
                    "interval", ENV,
                    "ip_refresh_interval", ENV,
                    "overlap", ENV,
                    "discovery_interval", ENV,
                    "stale_after", ENV),
            "limits", section("max_users_per_portal", ENV, "max_client_ips_per_portal", ENV),
            "labels", section("username", ENV, "client_ip", ENV, "hash_key", ENV),
            "metrics", section("duration_buckets", ENV_LIST, "native_histograms", ENV),
            "state", section("path", ENV),
            "otlp", section("enabled", ENV, "endpoint", ENV, "interval", ENV, "headers", new StringMap()),
            "admin", section("enabled", ENV, "token_file", ENV),
            "policies", new SectionList(POLICY),
            "shard", section("count", ENV, "index", ENV),
            "simulator", section(
                    "seed", ENV,
                    "port", ENV,
                    "region", ENV,
                    "account_id", ENV,
                    "portals", ENV,
                    "users", ENV,
                    "arrivals_per_minute", ENV,
                    "median_session_duration", ENV,
                    "duration_sigma", ENV,
                    "initial_active_sessions", ENV,
                    "history_sessions", ENV,
                    "max_ips_per_session", ENV,
                    "default_page_size", ENV,
                    "max_page_size", ENV,
                    "faults", section(
                            "throttle_probability", ENV,
                            "internal_error_probability", ENV,
                            "expired_token_probability", ENV,
                            "latency", ENV,
                            "access_denied_portals", ENV_LIST,
                            "retry_after_seconds", ENV)));

    /** The environment variable that overrides {@code keyPath}: upper case, '.' as '_'. */
    static String envName(String keyPath) {
        return keyPath.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Key path to environment variable, for every key an environment variable may override, in document order. */
    static Map<String, String> envOverrides() {
        Map<String, String> out = new LinkedHashMap<>();
        collectEnv(ROOT, "", out);
        return out;
    }

    private static void collectEnv(Section section, String prefix, Map<String, String> out) {
        for (Map.Entry<String, Shape> e : section.keys().entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            switch (e.getValue()) {
                case Section child -> collectEnv(child, path, out);
                case Scalar s when s.fromEnv() -> out.put(path, envName(path));
                case ScalarList l when l.fromEnv() -> out.put(path, envName(path));
                default -> { /* file only */ }
            }
        }
    }

    /** Every leaf key path ({@code policies} and {@code otlp.headers} count as leaves), in document order. */
    static Map<String, Shape> leaves() {
        Map<String, Shape> out = new LinkedHashMap<>();
        collectLeaves(ROOT, "", out);
        return out;
    }

    private static void collectLeaves(Section section, String prefix, Map<String, Shape> out) {
        for (Map.Entry<String, Shape> e : section.keys().entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Section child) {
                collectLeaves(child, path, out);
            } else {
                out.put(path, e.getValue());
            }
        }
    }

    /** Environment variable to key path, sorted by variable name (for help texts). */
    static Map<String, String> envVariables() {
        Map<String, String> out = new TreeMap<>();
        envOverrides().forEach((key, var) -> out.put(var, key));
        return Collections.unmodifiableMap(out);
    }

    private static Section section(Object... namesAndShapes) {
        Map<String, Shape> keys = new LinkedHashMap<>();
        for (int i = 0; i < namesAndShapes.length; i += 2) {
            keys.put((String) namesAndShapes[i], (Shape) namesAndShapes[i + 1]);
        }
        return new Section(keys);
    }
}
