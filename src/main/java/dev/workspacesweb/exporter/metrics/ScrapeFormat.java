package dev.workspacesweb.exporter.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/** The exposition formats whose session bytes are encoded once per poll ({@link EncodedScrape}). */
public enum ScrapeFormat {
    /** Prometheus text 0.0.4. */
    TEXT,
    /** OpenMetrics 1.0 text. */
    OPENMETRICS,
    /** Prometheus protobuf, length-delimited {@code MetricFamily} messages (with native histograms). */
    PROTOBUF;

    /** The format a client_java writer produces, or null for one that is not cached (e.g. OpenMetrics 2.0). */
    public static ScrapeFormat of(ExpositionFormatWriter writer) {
        Class<?> type = writer.getClass();
        if (type == PrometheusTextFormatWriter.class) {
            return TEXT;
        }
        if (type == OpenMetricsTextFormatWriter.class) {
            return OPENMETRICS;
        }
        if (type == PrometheusProtobufWriter.class) {
            return PROTOBUF;
        }
        return null;
    }

    /**
     * Whether the encoded bytes are what client_java renders under this escaping scheme (the {@code escaping=} of
     * the Accept header): the session families' names are valid legacy names, which every scheme but dots escaping
     * leaves as they are (it doubles their underscores).
     */
    public static boolean encodedUnder(EscapingScheme escaping) {
        return escaping != EscapingScheme.DOTS_ESCAPING;
    }

    ExpositionFormatWriter writer(ExpositionFormats formats) {
        return switch (this) {
            case TEXT -> formats.getPrometheusTextFormatWriter();
            case OPENMETRICS -> formats.getOpenMetricsTextFormatWriter();
            case PROTOBUF -> formats.getPrometheusProtobufWriter();
        };
    }
}
