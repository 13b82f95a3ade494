package dev.workspacesweb.exporter.otlp;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pushes every metric of the agent's {@link PrometheusRegistry} (session metrics, the agent's own and the JVM's)
 * with OTLP/HTTP protobuf every {@code otlp.interval}: an {@link SdkMeterProvider} whose
 * {@link PeriodicMetricReader} exports through {@link OtlpHttpMetricExporter}, fed by
 * {@link RegistryMetricProducer}, which converts the registry's snapshots at export time. There are no OpenTelemetry
 * instruments of its own: one source of truth, the registry that {@code /metrics} serves.
 *
 * <p>The exporter sends with the JDK's {@link java.net.http.HttpClient}: {@code opentelemetry-exporter-sender-jdk}
 * is the only {@code HttpSenderProvider} on the class path (OkHttp is excluded in the POM; {@code OtlpPusherTest}
 * checks it), so the SDK's service loader picks it without any system property.
 *
 * <p>A collector that is down never reaches the agent: each failed push is logged once by
 * {@link FailureLoggingExporter} and the next interval pushes again, with the then current values.
 * {@link #close()} pushes one last time (bounded by {@link #CLOSE_TIMEOUT_SECONDS}) and stops.
 */
public final class OtlpPusher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OtlpPusher.class.getName());

    static final int CLOSE_TIMEOUT_SECONDS = 10;
    static final String SCOPE_NAME = "dev.workspacesweb.exporter";

    private final SdkMeterProvider meterProvider;
    private final FailureLoggingExporter exporter;
    private final OtlpSettings settings;

    private OtlpPusher(SdkMeterProvider meterProvider, FailureLoggingExporter exporter, OtlpSettings settings) {
        this.meterProvider = meterProvider;
        this.exporter = exporter;
        this.settings = settings;
    }

    /**
     * Starts pushing. {@code env} is {@link System#getenv()} in production, a map in tests; the
     * {@code OTEL_*} variables it honours are listed in {@link OtlpSettings}.
     */
    public static OtlpPusher start(AgentConfig.Otlp config, PrometheusRegistry registry, Map<String, String> env) {
        return start(config, registry, env, RetryPolicy.getDefault(), InstantSource.system());
    }

    /** With the retry policy inside one push and the clock of the data points, which tests choose. */
    static OtlpPusher start(AgentConfig.Otlp config, PrometheusRegistry registry, Map<String, String> env,
            RetryPolicy retryPolicy, InstantSource clock) {
        String version = BuildInfo.current().version();
        OtlpSettings settings = OtlpSettings.resolve(config, env, version);
        OtlpHttpMetricExporterBuilder builder = OtlpHttpMetricExporter.builder()
                .setEndpoint(settings.endpoint())
                .setRetryPolicy(retryPolicy)
                // The exporter's self-telemetry would otherwise go to GlobalOpenTelemetry, which the agent never sets.
                .setMeterProvider(MeterProvider.noop());
        settings.headers().forEach(builder::addHeader);
        FailureLoggingExporter exporter = new FailureLoggingExporter(builder.build(), settings.endpoint(), settings.interval());
        SdkMeterProvider meterProvider = SdkMeterProvider.builder()
                .setResource(settings.resource())
                .registerMetricProducer(new RegistryMetricProducer(registry,
                        InstrumentationScopeInfo.builder(SCOPE_NAME).setVersion(version).build(), clock))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(settings.interval()).build())
                .build();
        LOG.log(Level.INFO, "pushing metrics with OTLP/HTTP to {0} every {1}", settings.endpoint(), settings.interval());
        return new OtlpPusher(meterProvider, exporter, settings);
    }

    /** The resolved OTLP/HTTP metrics URL. */
    public String endpoint() {
        return settings.endpoint();
    }

    OtlpSettings settings() {
        return settings;
    }

    /**
     * Pushes now, outside the schedule, and tells whether the push succeeded; gives up after
     * {@link #CLOSE_TIMEOUT_SECONDS}. The SDK's flush result cannot tell: the periodic reader reports every
     * finished flush as a success, and reports a flush that comes right after the previous one as "busy" (it
     * completes the previous flush before it marks its exporter free again), so this flushes until the exporter
     * has really exported once more.
     */
    boolean pushNow() {
        long before = exporter.completedExports();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        while (exporter.completedExports() == before && System.nanoTime() < deadline) {
            meterProvider.forceFlush().join(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (exporter.completedExports() == before) {
                Thread.yield(); // let the thread that finished the last export mark the exporter free
            }
        }
        return exporter.completedExports() > before && exporter.consecutiveFailures() == 0;
    }

    long consecutiveFailures() {
        return exporter.consecutiveFailures();
    }

    @Override
    public void close() {
        meterProvider.shutdown().join(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
