package dev.workspacesweb.exporter.otlp;

import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.common.CompletableResultCode;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.common.export.MemoryMode;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.Aggregation;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.InstrumentType;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.data.AggregationTemporality;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.data.HistogramPointData;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.data.MetricData;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.data.MetricDataType;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.export.MetricExporter;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.internal.data.ImmutableHistogramData;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.prometheus.metrics.shaded.io_opentelemetry_2_25_0_alpha.sdk.metrics.internal.data.ImmutableMetricData;
import java.util.Collection;
import java.util.List;

/**
 * The one adapter the OTLP push keeps: client_java 1.5.0's bridge (the newest this project's Maven mirror serves)
 * sends a classic histogram's {@code +Inf} upper bound as an explicit bound, with as many counts as bounds, where
 * OTLP wants finite bounds and one count more (prometheus/client_java#2416, fixed by #2458 in a later release).
 * A collector would read one bucket too many. This drops that last bound before the exporter encodes the push; the
 * counts are already right. It hooks into the exporter's own (shaded) OpenTelemetry SDK as an autoconfigure
 * customizer, registered in {@code META-INF/services}; delete it with the upgrade to a client_java with the fix.
 */
public final class ExplicitBoundsFix implements AutoConfigurationCustomizerProvider {
    @Override
    public void customize(AutoConfigurationCustomizer autoConfiguration) {
        autoConfiguration.addMetricExporterCustomizer((exporter, config) -> new Exporter(exporter));
    }

    /** Rewrites histogram points whose last explicit bound is +Inf; everything else passes as it is. */
    static MetricData withFiniteBounds(MetricData metric) {
        if (metric.getType() != MetricDataType.HISTOGRAM) {
            return metric;
        }
        List<HistogramPointData> points = metric.getHistogramData().getPoints().stream()
                .map(ExplicitBoundsFix::withFiniteBounds).toList();
        return ImmutableMetricData.createDoubleHistogram(metric.getResource(), metric.getInstrumentationScopeInfo(),
                metric.getName(), orEmpty(metric.getDescription()), orEmpty(metric.getUnit()),
                ImmutableHistogramData.create(metric.getHistogramData().getAggregationTemporality(), points));
    }

    /** client_java leaves a missing help or unit null; the SDK's immutable data wants "" (what OTLP sends anyway). */
    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static HistogramPointData withFiniteBounds(HistogramPointData p) {
        List<Double> bounds = p.getBoundaries();
        if (bounds.isEmpty() || bounds.getLast() != Double.POSITIVE_INFINITY || p.getCounts().size() != bounds.size()) {
            return p;
        }
        return ImmutableHistogramPointData.create(p.getStartEpochNanos(), p.getEpochNanos(), p.getAttributes(),
                p.getSum(), p.hasMin(), p.getMin(), p.hasMax(), p.getMax(), bounds.subList(0, bounds.size() - 1),
                p.getCounts(), p.getExemplars());
    }

    private record Exporter(MetricExporter delegate) implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            return delegate.export(metrics.stream().map(ExplicitBoundsFix::withFiniteBounds).toList());
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return delegate.getAggregationTemporality(instrumentType);
        }

        @Override
        public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
            return delegate.getDefaultAggregation(instrumentType);
        }

        @Override
        public MemoryMode getMemoryMode() {
            return delegate.getMemoryMode();
        }
    }
}
