package dev.workspacesweb.exporter.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The bridge from the agent's one {@link PrometheusRegistry} to OpenTelemetry: at every export the SDK calls
 * {@link #produce}, which scrapes the registry once and converts each snapshot. This is the "asynchronous
 * instruments reading the same snapshots" of the OTLP push: values are pulled at export time from exactly what
 * {@code /metrics} serves, there is no second set of counters to keep in step, and a value that {@code /metrics}
 * would not show (a stale portal's session gauges) is not pushed either.
 *
 * <p>Mapping (Prometheus snapshot &rarr; OTLP metric; labels become attributes, in both directions the same
 * strings):
 * <table>
 *   <caption>Prometheus to OTLP</caption>
 *   <tr><th>Prometheus</th><th>OTLP name</th><th>OTLP data</th></tr>
 *   <tr><td>gauge {@code x}</td><td>{@code x}</td><td>double gauge</td></tr>
 *   <tr><td>counter {@code x_total}</td><td>{@code x} (no {@code _total}: an OpenTelemetry Collector's Prometheus
 *       exporter re-adds it to monotonic sums)</td><td>cumulative monotonic double sum</td></tr>
 *   <tr><td>histogram {@code x} (classic buckets {@code le=b1..bn,+Inf})</td><td>{@code x}</td>
 *       <td>cumulative explicit-bucket histogram, boundaries {@code b1..bn}, per-bucket counts, count, sum;
 *       no min/max (Prometheus has none)</td></tr>
 *   <tr><td>histogram {@code x} with native buckets only</td><td>{@code x}</td>
 *       <td>cumulative exponential histogram, scale = schema (the zero bucket's width is not carried: the SDK's
 *       data model has no field for it)</td></tr>
 *   <tr><td>gauge histogram {@code x}</td><td>{@code x}</td><td>as a histogram above (OTLP has no gauge
 *       histogram; the agent registers none)</td></tr>
 *   <tr><td>summary {@code x}</td><td>{@code x}</td><td>summary: count, sum, quantiles</td></tr>
 *   <tr><td>info {@code x_info}</td><td>{@code x_info}</td><td>double gauge, always 1</td></tr>
 *   <tr><td>state set {@code x}</td><td>{@code x}</td><td>double gauge per state, attribute {@code x=state},
 *       1 or 0, as the text format renders it</td></tr>
 *   <tr><td>unknown {@code x}</td><td>{@code x}</td><td>double gauge</td></tr>
 * </table>
 * Units: {@code seconds} &rarr; {@code s}, {@code bytes} &rarr; {@code By}, {@code ratio} &rarr; {@code 1}
 * (UCUM, as OpenTelemetry expects), from the unit metadata or else from the name's unit suffix; the name keeps its
 * Prometheus unit suffix, which the Collector does not double.
 * Start time of cumulative points: the data point's created timestamp when the snapshot has one, else the
 * pusher's start. Exemplars are not pushed.
 */
final class RegistryMetricProducer implements MetricProducer {
    private static final System.Logger LOG = System.getLogger(RegistryMetricProducer.class.getName());

    private static final Map<String, String> UCUM_UNITS = Map.of(
            Unit.SECONDS.toString(), "s",
            Unit.BYTES.toString(), "By",
            Unit.RATIO.toString(), "1",
            Unit.CELSIUS.toString(), "Cel",
            Unit.JOULES.toString(), "J",
            Unit.GRAMS.toString(), "g",
            Unit.METERS.toString(), "m",
            Unit.VOLTS.toString(), "V",
            Unit.AMPERES.toString(), "A");

    private final PrometheusRegistry registry;
    private final InstrumentationScopeInfo scope;
    private final InstantSource clock;
    private final long startEpochNanos;

    RegistryMetricProducer(PrometheusRegistry registry, InstrumentationScopeInfo scope, InstantSource clock) {
        this.registry = registry;
        this.scope = scope;
        this.clock = clock;
        this.startEpochNanos = nanos(clock.instant());
    }

    @Override
    public Collection<MetricData> produce(Resource resource) {
        MetricSnapshots snapshots;
        try {
            snapshots = registry.scrape();
        } catch (RuntimeException e) {
            // A broken collector must not stop the push thread; /metrics reports the same error to its scraper.
            LOG.log(Level.WARNING, "OTLP push: scraping the metrics registry failed; nothing pushed this time", e);
            return List.of();
        }
        long now = nanos(clock.instant());
        List<MetricData> out = new ArrayList<>(snapshots.size());
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot.getDataPoints().isEmpty()) {
                continue;
            }
            try {
                out.add(convert(resource, snapshot, now));
            } catch (RuntimeException e) {
                // One family that cannot be converted must not cost the push of all the others.
                LOG.log(Level.WARNING, "OTLP push: skipping " + snapshot.getMetadata().getPrometheusName(), e);
            }
        }
        return out;
    }

    private MetricData convert(Resource resource, MetricSnapshot snapshot, long now) {
        MetricMetadata meta = snapshot.getMetadata();
        String name = meta.getPrometheusName();
        return switch (snapshot) {
            case GaugeSnapshot g -> metric(resource, meta, name, MetricDataType.DOUBLE_GAUGE, GaugeData.createDoubleGaugeData(
                    g.getDataPoints().stream().map(p -> doublePoint(p, p.getValue(), p.getLabels(), now)).toList()));
            case CounterSnapshot c -> metric(resource, meta, name, MetricDataType.DOUBLE_SUM, SumData.createDoubleSumData(
                    true, AggregationTemporality.CUMULATIVE,
                    c.getDataPoints().stream().map(p -> doublePoint(p, p.getValue(), p.getLabels(), now)).toList()));
            case HistogramSnapshot h -> histogram(resource, meta, name, h, now);
            case SummarySnapshot s -> metric(resource, meta, name, MetricDataType.SUMMARY, SummaryData.create(
                    s.getDataPoints().stream().map(p -> SummaryPointData.create(start(p, now), epoch(p, now), attributes(p.getLabels()),
                            p.hasCount() ? p.getCount() : 0, p.hasSum() ? p.getSum() : 0,
                            quantiles(p.getQuantiles()))).toList()));
            case InfoSnapshot i -> metric(resource, meta, name.endsWith("_info") ? name : name + "_info",
                    MetricDataType.DOUBLE_GAUGE, GaugeData.createDoubleGaugeData(
                            i.getDataPoints().stream().map(p -> doublePoint(p, 1, p.getLabels(), now)).toList()));
            case StateSetSnapshot s -> {
                List<DoublePointData> points = new ArrayList<>();
                for (StateSetSnapshot.StateSetDataPointSnapshot p : s.getDataPoints()) {
                    for (int i = 0; i < p.size(); i++) {
                        points.add(doublePoint(p, p.isTrue(i) ? 1 : 0, p.getLabels().add(name, p.getName(i)), now));
                    }
                }
                yield metric(resource, meta, name, MetricDataType.DOUBLE_GAUGE, GaugeData.createDoubleGaugeData(points));
            }
            case UnknownSnapshot u -> metric(resource, meta, name, MetricDataType.DOUBLE_GAUGE, GaugeData.createDoubleGaugeData(
                    u.getDataPoints().stream().map(p -> doublePoint(p, p.getValue(), p.getLabels(), now)).toList()));
            default -> throw new IllegalStateException("unexpected snapshot type " + snapshot.getClass().getName());
        };
    }

    private MetricData histogram(Resource resource, MetricMetadata meta, String name, HistogramSnapshot h, long now) {
        List<HistogramDataPointSnapshot> points = h.getDataPoints();
        // A family is either classic or native throughout: client_java builds every point of a histogram alike.
        boolean classic = points.stream().allMatch(HistogramDataPointSnapshot::hasClassicHistogramData);
        if (classic) {
            List<HistogramPointData> converted = new ArrayList<>(points.size());
            for (HistogramDataPointSnapshot p : points) {
                ClassicHistogramBuckets buckets = p.getClassicBuckets();
                // The snapshot's counts are per bucket already (not cumulative), sorted by upper bound, and the last
                // bound is +Inf: OTLP wants the finite bounds and one count more than bounds, exactly that.
                int n = buckets.size();
                List<Double> bounds = new ArrayList<>(n - 1);
                List<Long> counts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    if (i < n - 1) {
                        bounds.add(buckets.getUpperBound(i));
                    }
                    counts.add(buckets.getCount(i));
                }
                double sum = p.hasSum() ? p.getSum() : 0;
                converted.add(HistogramPointData.create(start(p, now), epoch(p, now), attributes(p.getLabels()),
                        sum, false, 0, false, 0, bounds, counts));
            }
            return metric(resource, meta, name, MetricDataType.HISTOGRAM,
                    HistogramData.create(AggregationTemporality.CUMULATIVE, converted));
        }
        List<ExponentialHistogramPointData> converted = new ArrayList<>(points.size());
        for (HistogramDataPointSnapshot p : points) {
            int scale = p.getNativeSchema();
            converted.add(ExponentialHistogramPointData.create(scale, p.hasSum() ? p.getSum() : 0, p.getNativeZeroCount(),
                    false, 0, false, 0,
                    exponentialBuckets(scale, p.getNativeBucketsForPositiveValues()),
                    exponentialBuckets(scale, p.getNativeBucketsForNegativeValues()),
                    start(p, now), epoch(p, now), attributes(p.getLabels()), List.of()));
        }
        return metric(resource, meta, name, MetricDataType.EXPONENTIAL_HISTOGRAM,
                ExponentialHistogramData.create(AggregationTemporality.CUMULATIVE, converted));
    }

    /**
     * Prometheus native bucket {@code i} covers {@code (base^(i-1), base^i]}, OTLP exponential bucket {@code i}
     * covers {@code (base^i, base^(i+1)]} for the same base {@code 2^(2^-schema)}: the OTLP index is one less. OTLP
     * buckets are dense from an offset, Prometheus ones sparse.
     */
    static ExponentialHistogramBuckets exponentialBuckets(int scale, NativeHistogramBuckets buckets) {
        if (buckets.size() == 0) {
            return ExponentialHistogramBuckets.create(scale, 0, List.of());
        }
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < buckets.size(); i++) {
            min = Math.min(min, buckets.getBucketIndex(i));
            max = Math.max(max, buckets.getBucketIndex(i));
        }
        Long[] counts = new Long[max - min + 1];
        Arrays.fill(counts, 0L);
        for (int i = 0; i < buckets.size(); i++) {
            counts[buckets.getBucketIndex(i) - min] += buckets.getCount(i);
        }
        return ExponentialHistogramBuckets.create(scale, min - 1, Arrays.asList(counts));
    }

    private MetricData metric(Resource resource, MetricMetadata meta, String name, MetricDataType type,
            io.opentelemetry.sdk.metrics.data.Data<?> data) {
        String help = meta.getHelp();
        return new SnapshotMetricData(resource, scope, name, help == null ? "" : help, unit(meta), type, data);
    }

    private DoublePointData doublePoint(DataPointSnapshot p, double value, Labels labels, long now) {
        return DoublePointData.create(start(p, now), epoch(p, now), attributes(labels), value, List.of());
    }

    private static List<ValueAtQuantile> quantiles(Iterable<Quantile> quantiles) {
        List<ValueAtQuantile> out = new ArrayList<>();
        for (Quantile q : quantiles) {
            out.add(ValueAtQuantile.create(q.getQuantile(), q.getValue()));
        }
        return out;
    }

    /** The created timestamp when known and not in the future, else the pusher's start. */
    private long start(DataPointSnapshot p, long now) {
        if (p.hasCreatedTimestamp()) {
            long created = p.getCreatedTimestampMillis() * 1_000_000L;
            if (created > 0 && created <= now) {
                return created;
            }
        }
        return startEpochNanos;
    }

    private static long epoch(DataPointSnapshot p, long now) {
        return p.hasScrapeTimestamp() ? p.getScrapeTimestampMillis() * 1_000_000L : now;
    }

    static Attributes attributes(Labels labels) {
        if (labels.isEmpty()) {
            return Attributes.empty();
        }
        AttributesBuilder b = Attributes.builder();
        for (int i = 0; i < labels.size(); i++) {
            b.put(labels.getName(i), labels.getValue(i));
        }
        return b.build();
    }

    /**
     * The metadata's unit in UCUM; a family without unit metadata (client_java metrics built without
     * {@code .unit(...)}) takes the unit its name ends with, the Prometheus naming convention, when it is a known one.
     */
    static String unit(MetricMetadata meta) {
        if (meta.hasUnit()) {
            String unit = meta.getUnit().toString();
            return UCUM_UNITS.getOrDefault(unit, unit);
        }
        String name = meta.getPrometheusName();
        for (Map.Entry<String, String> e : UCUM_UNITS.entrySet()) {
            if (name.endsWith("_" + e.getKey())) {
                return e.getValue();
            }
        }
        return "";
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
