package dev.workspacesweb.exporter.otlp;

import dev.workspacesweb.exporter.config.AgentConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and how to push, resolved from {@code otlp.*} and the OpenTelemetry SDK's standard environment variables
 * (the agent does not use the SDK's autoconfigure module, so the few variables that matter are read here, with the
 * rules of the OpenTelemetry specification):
 * <ul>
 *   <li>endpoint: {@code otlp.endpoint} as is; else {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT} as is; else
 *       {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/metrics}; else {@code http://localhost:4318/v1/metrics};</li>
 *   <li>headers: {@code OTEL_EXPORTER_OTLP_HEADERS}, then {@code OTEL_EXPORTER_OTLP_METRICS_HEADERS}, then
 *       {@code otlp.headers}, a later source replacing a header of the same name. The variables are
 *       comma-separated {@code key=value} lists with percent-encoded values;</li>
 *   <li>resource: the SDK's default ({@code telemetry.sdk.*}), then {@code service.name=workspaces-web-exporter}
 *       and {@code service.version}, then {@code OTEL_RESOURCE_ATTRIBUTES}, then {@code OTEL_SERVICE_NAME}: what the
 *       user sets wins over the agent's defaults, and {@code OTEL_SERVICE_NAME} over a {@code service.name} in
 *       {@code OTEL_RESOURCE_ATTRIBUTES}.</li>
 * </ul>
 */
record OtlpSettings(String endpoint, Map<String, String> headers, Resource resource, Duration interval) {
    private static final System.Logger LOG = System.getLogger(OtlpSettings.class.getName());

    static final String DEFAULT_SERVICE_NAME = "workspaces-web-exporter";
    static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/metrics";
    static final String ENDPOINT_VAR = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String METRICS_ENDPOINT_VAR = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    static final String HEADERS_VAR = "OTEL_EXPORTER_OTLP_HEADERS";
    static final String METRICS_HEADERS_VAR = "OTEL_EXPORTER_OTLP_METRICS_HEADERS";
    static final String PROTOCOL_VAR = "OTEL_EXPORTER_OTLP_PROTOCOL";
    static final String METRICS_PROTOCOL_VAR = "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL";
    static final String SERVICE_NAME_VAR = "OTEL_SERVICE_NAME";
    static final String RESOURCE_ATTRIBUTES_VAR = "OTEL_RESOURCE_ATTRIBUTES";

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");

    OtlpSettings {
        headers = Map.copyOf(headers);
    }

    static OtlpSettings resolve(AgentConfig.Otlp config, Map<String, String> env, String serviceVersion) {
        for (String var : new String[] {PROTOCOL_VAR, METRICS_PROTOCOL_VAR}) {
            String protocol = get(env, var);
            if (!protocol.isEmpty() && !protocol.equals("http/protobuf")) {
                LOG.log(Level.WARNING, "{0}={1} is ignored: the agent pushes OTLP over http/protobuf only", var, protocol);
            }
        }
        return new OtlpSettings(endpoint(config.endpoint(), env), headers(config.headers(), env),
                resource(env, serviceVersion), config.interval());
    }

    static String endpoint(String configured, Map<String, String> env) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String metrics = get(env, METRICS_ENDPOINT_VAR);
        if (!metrics.isEmpty()) {
            return metrics;
        }
        String base = get(env, ENDPOINT_VAR);
        if (!base.isEmpty()) {
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/metrics";
        }
        return DEFAULT_ENDPOINT;
    }

    static Map<String, String> headers(Map<String, String> configured, Map<String, String> env) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.putAll(parseList(HEADERS_VAR, get(env, HEADERS_VAR)));
        headers.putAll(parseList(METRICS_HEADERS_VAR, get(env, METRICS_HEADERS_VAR)));
        headers.putAll(configured);
        return headers;
    }

    static Resource resource(Map<String, String> env, String serviceVersion) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                SERVICE_NAME, DEFAULT_SERVICE_NAME, SERVICE_VERSION, serviceVersion)));
        Map<String, String> fromEnv = parseList(RESOURCE_ATTRIBUTES_VAR, get(env, RESOURCE_ATTRIBUTES_VAR));
        if (!fromEnv.isEmpty()) {
            AttributesBuilder b = Attributes.builder();
            fromEnv.forEach(b::put);
            resource = resource.merge(Resource.create(b.build()));
        }
        String serviceName = get(env, SERVICE_NAME_VAR);
        if (!serviceName.isEmpty()) {
            resource = resource.merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName)));
        }
        return resource;
    }

    /**
     * A {@code key1=value1,key2=value2} list as the OpenTelemetry environment variables spell them: split at the
     * first {@code =} (base64 padding in a value stays), blanks around keys and values trimmed, values
     * percent-decoded. A literal {@code +} stays a {@code +}: it is percent-encoding, not a form encoding, and
     * base64 credentials contain {@code +}. A malformed entry is skipped with a warning rather than failing the agent.
     */
    static Map<String, String> parseList(String variable, String value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value.isBlank()) {
            return out;
        }
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq < 0 ? "" : entry.substring(0, eq).strip();
            if (key.isEmpty()) {
                LOG.log(Level.WARNING, "{0}: ignoring malformed entry (expected key=value)", variable);
                continue;
            }
            try {
                out.put(key, URLDecoder.decode(entry.substring(eq + 1).strip().replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "{0}: ignoring the value of {1}: bad percent-encoding", variable, key);
            }
        }
        return out;
    }

    private static String get(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null ? "" : value.strip();
    }
}
