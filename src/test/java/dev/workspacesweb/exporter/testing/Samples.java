package dev.workspacesweb.exporter.testing;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads values out of one scrape of a registry, by metric name and labels. */
public final class Samples {
    private final MetricSnapshots snapshots;

    private Samples(MetricSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    public static Samples of(PrometheusRegistry registry) {
        return new Samples(registry.scrape());
    }

    private Optional<MetricSnapshot> family(String name) {
        for (MetricSnapshot s : snapshots) {
            String n = s.getMetadata().getPrometheusName();
            if (n.equals(name) || (s instanceof CounterSnapshot && (n + "_total").equals(name))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static boolean matches(Labels labels, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The value of a gauge or counter data point with these labels (name without _total for counters). */
    public Optional<Double> value(String name, String... labelPairs) {
        return family(name).flatMap(f -> {
            for (DataPointSnapshot p : f.getDataPoints()) {
                if (matches(p.getLabels(), labelPairs)) {
                    if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
                        return Optional.of(g.getValue());
                    }
                    if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
                        return Optional.of(c.getValue());
                    }
                }
            }
            return Optional.empty();
        });
    }

    /** label value -> gauge value for every point of the family that matches the other labels. */
    public Map<String, Double> byLabel(String name, String label, String... labelPairs) {
        Map<String, Double> result = new HashMap<>();
        family(name).ifPresent(f -> {
            for (DataPointSnapshot p : f.getDataPoints()) {
                if (matches(p.getLabels(), labelPairs) && p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
                    result.put(p.getLabels().get(label), g.getValue());
                }
            }
        });
        return result;
    }

    public Optional<HistogramSnapshot.HistogramDataPointSnapshot> histogram(String name, String... labelPairs) {
        return family(name).flatMap(f -> {
            for (DataPointSnapshot p : f.getDataPoints()) {
                if (matches(p.getLabels(), labelPairs) && p instanceof HistogramSnapshot.HistogramDataPointSnapshot h) {
                    return Optional.of(h);
                }
            }
            return Optional.empty();
        });
    }

    /** upper bound -> count in that bucket (not cumulative). */
    public static Map<Double, Long> buckets(HistogramSnapshot.HistogramDataPointSnapshot h) {
        Map<Double, Long> result = new LinkedHashMap<>();
        for (ClassicHistogramBucket b : h.getClassicBuckets()) {
            result.put(b.getUpperBound(), b.getCount());
        }
        return result;
    }
}
