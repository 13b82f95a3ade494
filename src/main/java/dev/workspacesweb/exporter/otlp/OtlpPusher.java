package dev.workspacesweb.exporter.otlp;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import io.prometheus.metrics.config.ExporterOpenTelemetryProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.opentelemetry.OpenTelemetryExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Pushes every metric of the agent's {@link PrometheusRegistry} (session metrics, the agent's own and the JVM's)
 * with client_java's {@link OpenTelemetryExporter}: OTLP over http/protobuf every {@code otlp.interval}, converted
 * from the registry's snapshots at each push, so there is one source of truth, the registry that {@code /metrics}
 * serves. The exporter carries its own OpenTelemetry SDK (shaded), which also reads the standard {@code OTEL_*}
 * variables and system properties (service name, resource attributes, headers, timeout).
 *
 * <p>The {@code otlp.*} settings are handed over as client_java properties, which rank above the {@code OTEL_*}
 * variables: what the agent's configuration says wins. The exporter's retries within one push, its one log line per
 * failed push (throttled by the SDK to a few a minute) and its next push at the next interval are what keeps a
 * collector that is down from reaching the agent.
 */
public final class OtlpPusher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OtlpPusher.class.getName());

    static final String SERVICE_NAME = "workspaces-web-exporter";

    private final OpenTelemetryExporter exporter;

    private OtlpPusher(OpenTelemetryExporter exporter) {
        this.exporter = exporter;
    }

    /** Starts pushing; the first push comes one interval from now, the last one on {@link #close()}. */
    public static OtlpPusher start(AgentConfig.Otlp config, PrometheusRegistry registry) {
        String version = BuildInfo.current().version();
        // The exporter counts in whole seconds; a shorter interval is pushed every second.
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (config.interval().toMillis() + 999) / 1000));
        ExporterOpenTelemetryProperties.Builder properties = ExporterOpenTelemetryProperties.builder()
                .protocol("http/protobuf")
                .endpoint(config.endpoint())
                .intervalSeconds(seconds);
        // The SDK reads headers as an OTEL_EXPORTER_OTLP_HEADERS list: percent-encoded values, so that a comma, an
        // equals sign or a percent in a configured value arrives as written.
        config.headers().forEach((name, value) ->
                properties.header(name, URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        OpenTelemetryExporter exporter = OpenTelemetryExporter
                .builder(PrometheusProperties.builder().exporterOpenTelemetryProperties(properties.build()).build())
                .registry(registry)
                // Resource defaults below OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, which the user may set.
                // (serviceName(...) would also set otel.service.name, above a service.name in the attributes.)
                .resourceAttribute("service.name", SERVICE_NAME)
                .serviceVersion(version)
                .buildAndStart();
        LOG.log(Level.INFO, "pushing metrics with OTLP/HTTP to {0} every {1,number,#} s", config.endpoint(), seconds);
        return new OtlpPusher(exporter);
    }

    /** Pushes one last time and stops. */
    @Override
    public void close() {
        exporter.close();
    }
}
