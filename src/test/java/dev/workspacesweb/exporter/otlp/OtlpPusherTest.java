package dev.workspacesweb.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.metrics.AgentMetrics;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import dev.workspacesweb.exporter.metrics.SessionMetrics;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionEnd;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import dev.workspacesweb.exporter.testing.SyntheticPolls;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpPusherTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final PortalInfo PORTAL = new PortalInfo("p-1", "us-east-1",
            "arn:aws:workspaces-web:us-east-1:123456789012:portal/p-1", "Sales \"EU\"", "Active", "standard.regular", 25);

    private final InstantSource clock = InstantSource.fixed(T0);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, new MockClock());
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final LogCapture logs = new LogCapture();
    private Counter micrometerEvents;
    private Info edition;

    @BeforeEach
    void fillTheRegistry() {
        // The session metrics, fed by synthetic polls as the poller feeds them.
        SnapshotStore store = new SnapshotStore();
        SessionMetrics sessions = new SessionMetrics(TestConfigs.defaults(), clock, store).register(registry);
        AgentMetrics agent = new AgentMetrics(meters, registry, new BuildInfo("1.2.3", "abc1234", "21.0.5"));
        store.subscribe(agent);
        PortalCycle baseline = cycle(T0.minusSeconds(30), true, 0, List.of(),
                new SessionSnapshot("s1", "ana@example.com", T0.minusSeconds(600), List.of("198.51.100.7")),
                new SessionSnapshot("s2", "ana@example.com", T0.minusSeconds(60), List.of("198.51.100.7", "2001:db8::1a")),
                new SessionSnapshot("s3", "bob@example.com", T0.minusSeconds(40), List.of("203.0.113.9")));
        PortalCycle next = cycle(T0, false, 2, List.of(
                        new SessionEnd("s1", "ana@example.com", T0.minusSeconds(600), T0.minusSeconds(20)),
                        new SessionEnd("s9", "eve", T0.minusSeconds(29), T0.minusSeconds(9))),
                new SessionSnapshot("s2", "ana@example.com", T0.minusSeconds(60), List.of("198.51.100.7")),
                new SessionSnapshot("s3", "bob@example.com", T0.minusSeconds(40), List.of("203.0.113.9")));
        for (PortalCycle c : List.of(baseline, next)) {
            store.publish(c);
        }
        // Self metrics through Micrometer: a counter and a timer (a summary in the registry).
        micrometerEvents = Counter.builder("workspaces_web.test.events").tag("kind", "push").register(meters);
        micrometerEvents.increment(3);
        Timer.builder("workspaces_web.test.latency").register(meters).record(Duration.ofMillis(250));
        // The snapshot types the agent does not use today, so that the mapping is checked for all of them.
        edition = Info.builder().name("workspaces_web_test_edition_info").labelNames("edition").register(registry);
        edition.setLabelValues("community");
        StateSet mode = StateSet.builder().name("workspaces_web_test_mode").states("push", "pull").register(registry);
        mode.setTrue("push");
        Histogram nativeOnly = Histogram.builder().name("workspaces_web_test_native_seconds").nativeOnly().register(registry);
        for (double v : new double[] {0, 0.5, 3, 3.1, 1000}) {
            nativeOnly.observe(v);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        logs.close();
    }

    private final SyntheticPolls polls = new SyntheticPolls(PORTAL);

    private PortalCycle cycle(Instant at, boolean baseline, int started, List<SessionEnd> ended, SessionSnapshot... sessions) {
        return polls.poll(at, baseline, started, ended, sessions);
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private OtlpReceiver receiver() throws IOException {
        return closeLater(OtlpReceiver.start());
    }

    /** Pushing every second, the exporter's shortest interval: tests wait for pushes, never for time. */
    private OtlpPusher pusher(String endpoint, Map<String, String> headers) {
        return closeLater(OtlpPusher.start(new AgentConfig.Otlp(true, endpoint, Duration.ofSeconds(1), headers), registry));
    }

    /** Sets OpenTelemetry system properties, which the exporter's SDK reads exactly as the OTEL_* variables. */
    private void otelProperty(String name, String value) {
        String previous = System.setProperty(name, value);
        closeLater(() -> {
            if (previous == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, previous);
            }
        });
    }

    @Test
    void pushesEveryMetricOfTheRegistryWithTheValuesThatMetricsServes() throws Exception {
        OtlpReceiver receiver = receiver();
        long before = System.currentTimeMillis() * 1_000_000L;
        pusher(receiver.metricsUrl(), Map.of());

        OtlpReceiver.Push push = receiver.take();
        assertThat(push.headers().getFirst("Content-Type")).isEqualTo("application/x-protobuf");
        assertSameAsRegistry(push);

        // Spot checks, independent of the generic comparison, of what an OTLP user sees.
        Map<String, Metric> pushed = metricsByName(push);
        assertThat(pushed).doesNotContainKeys("workspaces_web_sessions_started_total", "workspaces_web_test_events_total");
        Metric started = pushed.get("workspaces_web_sessions_started");
        assertThat(started.getSum().getIsMonotonic()).isTrue();
        assertThat(started.getSum().getAggregationTemporality()).isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        assertThat(started.getSum().getDataPoints(0).getAsDouble()).isEqualTo(2.0);
        assertThat(attributes(started.getSum().getDataPoints(0).getAttributesList())).containsExactly(Map.entry("portal_id", "p-1"));
        // The session metrics declare no unit in client_java's metadata, so their names stay as /metrics shows them.
        Metric durationMetric = pushed.get("workspaces_web_session_duration_seconds");
        assertThat(durationMetric.getUnit()).isEmpty();
        // With native buckets (metrics.native_histograms, the default) the duration goes as an exponential histogram.
        ExponentialHistogramDataPoint durations = durationMetric.getExponentialHistogram().getDataPoints(0);
        assertThat(durations.getCount()).isEqualTo(2);
        assertThat(durations.getSum()).isEqualTo(600.0);
        assertThat(durations.getScale()).isEqualTo(3);
        assertThat(gaugeValue(pushed, "workspaces_web_user_active_sessions", Map.of("portal_id", "p-1", "username", "ana@example.com")))
                .isEqualTo(1.0);
        assertThat(gaugeValue(pushed, "workspaces_web_oldest_active_session_age_seconds", Map.of("portal_id", "p-1"))).isEqualTo(60.0);
        assertThat(pushed.get("workspaces_web_test_events").getSum().getDataPoints(0).getAsDouble()).isEqualTo(3.0);
        NumberDataPoint anyGauge = pushed.get("workspaces_web_active_sessions").getGauge().getDataPoints(0);
        assertThat(anyGauge.getTimeUnixNano()).as("the time of the push").isGreaterThanOrEqualTo(before);

        Map<String, String> resource = attributes(push.request().getResourceMetrics(0).getResource().getAttributesList());
        assertThat(resource).containsEntry("service.name", OtlpPusher.SERVICE_NAME)
                .containsEntry("telemetry.sdk.language", "java")
                .containsEntry("service.version", BuildInfo.current().version());

        // The values are read at each push: what changed since is pushed, with no second set of counters.
        micrometerEvents.increment(2);
        edition.setLabelValues("enterprise");
        OtlpReceiver.Push later = receiver.take();
        while (metricsByName(later).get("workspaces_web_test_events").getSum().getDataPoints(0).getAsDouble() != 5.0) {
            later = receiver.take(); // one push may have read the registry before the increment
        }
        assertSameAsRegistry(later);
    }

    @Test
    void theStandardOtelVariablesSetHeadersServiceNameAndResource() throws Exception {
        OtlpReceiver receiver = receiver();
        // The SDK URL-decodes the list: a '+' of base64 is written %2B.
        otelProperty("otel.exporter.otlp.headers", "Authorization=Basic dXNlcjpw%2BYXNz==, x-tenant = acme%20corp");
        otelProperty("otel.service.name", "ws-web-eu");
        otelProperty("otel.resource.attributes", "deployment.environment=prod,service.name=not-this-one,team=end%20user%20computing");
        // The configured URL wins over the variable's.
        otelProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:9/");
        pusher(receiver.metricsUrl(), Map.of());

        OtlpReceiver.Push push = receiver.take();
        assertThat(push.headers().getFirst("Authorization")).as("'+' and '=' of base64 survive").isEqualTo("Basic dXNlcjpw+YXNz==");
        assertThat(push.headers().getFirst("X-tenant")).isEqualTo("acme corp");
        Map<String, String> resource = attributes(push.request().getResourceMetrics(0).getResource().getAttributesList());
        assertThat(resource).containsEntry("service.name", "ws-web-eu")
                .containsEntry("deployment.environment", "prod")
                .containsEntry("team", "end user computing")
                .containsEntry("service.version", BuildInfo.current().version());
        assertSameAsRegistry(push);
    }

    @Test
    void configuredHeadersArriveAsWrittenAndReplaceTheVariable() throws Exception {
        OtlpReceiver receiver = receiver();
        otelProperty("otel.exporter.otlp.headers", "x-from-variable=1");
        pusher(receiver.metricsUrl(), Map.of("Authorization", "Basic dXNlcjpw+YXNz==", "x-list", "a,b=c 100%"));

        OtlpReceiver.Push push = receiver.take();
        assertThat(push.headers().getFirst("Authorization")).isEqualTo("Basic dXNlcjpw+YXNz==");
        assertThat(push.headers().getFirst("X-list")).isEqualTo("a,b=c 100%");
        assertThat(push.headers().containsKey("X-from-variable")).isFalse();
    }

    @Test
    void aCollectorThatIsDownIsLoggedAndPushedToWhenItComesUp() throws Exception {
        int port;
        try (OtlpReceiver gone = OtlpReceiver.start()) {
            port = gone.port();
        }
        CountDownLatch failed = logs.latchOnSdkFailure();
        pusher("http://127.0.0.1:" + port + OtlpReceiver.PATH, Map.of());
        assertThat(failed.await(30, TimeUnit.SECONDS)).as("a scheduled push failed and was logged").isTrue();
        assertThat(logs.sdkFailureRecords()).as("one record for the push, not one per retry").hasSize(1);

        try (OtlpReceiver receiver = OtlpReceiver.startOn(port)) {
            assertSameAsRegistry(receiver.take());
        }
    }

    @Test
    void aCollectorAnsweringWithAnErrorIsRetriedWithinThePushAndLoggedWithItsStatus() throws Exception {
        OtlpReceiver receiver = receiver();
        receiver.answerWith(503);
        CountDownLatch failed = logs.latchOnSdkFailure();
        pusher(receiver.metricsUrl(), Map.of());

        receiver.take();
        receiver.take();
        assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(logs.sdkFailureRecords()).first().asString().contains("503");
        receiver.answerWith(200);
        assertSameAsRegistry(receiver.take());
    }

    // ---- the comparison with /metrics' snapshot ----------------------------------------------------------------

    /** Every family of {@code registry.scrape()} is in the push, with the same points, and nothing else is. */
    private void assertSameAsRegistry(OtlpReceiver.Push push) {
        MetricSnapshots expected = registry.scrape();
        Map<String, Metric> pushed = metricsByName(push);
        List<String> expectedNames = new ArrayList<>();
        for (MetricSnapshot snapshot : expected) {
            String name = otlpName(snapshot);
            expectedNames.add(name);
            Metric metric = pushed.get(name);
            assertThat(metric).as("pushed metric %s", name).isNotNull();
            assertThat(metric.getDescription()).isEqualTo(snapshot.getMetadata().getHelp() == null ? "" : snapshot.getMetadata().getHelp());
            switch (snapshot) {
                case GaugeSnapshot g -> assertPoints(name, metric.getGauge().getDataPointsList(),
                        g.getDataPoints().stream().collect(byLabels(p -> p.getLabels(), p -> p.getValue())));
                case CounterSnapshot c -> {
                    assertThat(metric.getSum().getIsMonotonic()).as(name).isTrue();
                    assertThat(metric.getSum().getAggregationTemporality()).isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
                    assertPoints(name, metric.getSum().getDataPointsList(),
                            c.getDataPoints().stream().collect(byLabels(p -> p.getLabels(), p -> p.getValue())));
                    metric.getSum().getDataPointsList().forEach(p -> assertThat(p.getStartTimeUnixNano()).isBetween(0L, p.getTimeUnixNano()));
                }
                case InfoSnapshot i -> {
                    assertThat(metric.getSum().getIsMonotonic()).as(name).isFalse();
                    assertPoints(name, metric.getSum().getDataPointsList(),
                            i.getDataPoints().stream().collect(byLabels(p -> p.getLabels(), p -> 1.0)));
                }
                case StateSetSnapshot s -> {
                    Map<Map<String, String>, Double> points = new HashMap<>();
                    for (StateSetSnapshot.StateSetDataPointSnapshot p : s.getDataPoints()) {
                        for (int k = 0; k < p.size(); k++) {
                            Map<String, String> attrs = new TreeMap<>(labels(p.getLabels()));
                            attrs.put(s.getMetadata().getName(), p.getName(k));
                            points.put(attrs, p.isTrue(k) ? 1.0 : 0.0);
                        }
                    }
                    assertThat(metric.getSum().getIsMonotonic()).as(name).isFalse();
                    assertPoints(name, metric.getSum().getDataPointsList(), points);
                }
                case HistogramSnapshot h -> assertHistogram(name, metric, h);
                case SummarySnapshot s -> assertSummary(name, metric, s);
                default -> throw new AssertionError("a snapshot type the test does not know: " + snapshot);
            }
        }
        assertThat(pushed.keySet()).as("nothing pushed that /metrics does not serve").containsExactlyInAnyOrderElementsOf(expectedNames);
    }

    /**
     * client_java's OTLP name of a family: its name (counters without {@code _total}, info without {@code _info})
     * less the unit suffix, which goes into the unit field as OpenTelemetry wants.
     */
    static String otlpName(MetricSnapshot snapshot) {
        String name = snapshot.getMetadata().getName();
        Unit unit = snapshot.getMetadata().getUnit();
        if (unit != null && name.endsWith(unit.toString())) {
            name = name.substring(0, name.length() - unit.toString().length());
            while (name.endsWith("_")) {
                name = name.substring(0, name.length() - 1);
            }
        }
        return name;
    }

    private static void assertPoints(String name, List<NumberDataPoint> pushed, Map<Map<String, String>, Double> expected) {
        Map<Map<String, String>, Double> actual = new HashMap<>();
        for (NumberDataPoint p : pushed) {
            assertThat(actual.put(attributes(p.getAttributesList()), p.getAsDouble())).as("duplicate point of %s", name).isNull();
            assertThat(p.getTimeUnixNano()).isPositive();
        }
        assertThat(actual).as("points of %s", name).isEqualTo(expected);
    }

    private static void assertHistogram(String name, Metric metric, HistogramSnapshot h) {
        // client_java's rule: native buckets, when there are any, make an exponential histogram; else classic.
        boolean classic = !h.getDataPoints().get(0).hasNativeHistogramData();
        if (classic) {
            assertThat(metric.getHistogram().getAggregationTemporality()).isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            Map<Map<String, String>, HistogramDataPoint> pushed = new HashMap<>();
            metric.getHistogram().getDataPointsList().forEach(p -> pushed.put(attributes(p.getAttributesList()), p));
            assertThat(pushed).as("points of %s", name).hasSameSizeAs(h.getDataPoints());
            for (HistogramDataPointSnapshot e : h.getDataPoints()) {
                HistogramDataPoint p = pushed.get(labels(e.getLabels()));
                assertThat(p).as("%s%s", name, e.getLabels()).isNotNull();
                assertThat(p.getCount()).isEqualTo(e.getCount());
                assertThat(p.getSum()).isCloseTo(e.getSum(), within(1e-9));
                ClassicHistogramBuckets buckets = e.getClassicBuckets();
                List<Double> bounds = new ArrayList<>();
                List<Long> cumulativeFromMetrics = new ArrayList<>();
                long running = 0;
                for (int k = 0; k < buckets.size(); k++) {
                    if (buckets.getUpperBound(k) != Double.POSITIVE_INFINITY) {
                        bounds.add(buckets.getUpperBound(k));
                    }
                    running += buckets.getCount(k);
                    cumulativeFromMetrics.add(running); // what the le="..." line of /metrics shows
                }
                assertThat(p.getExplicitBoundsList()).isEqualTo(bounds);
                assertThat(p.getBucketCountsCount()).as("OTLP: one count more than bounds").isEqualTo(bounds.size() + 1);
                assertThat(cumulative(p.getBucketCountsList())).isEqualTo(cumulativeFromMetrics);
                assertThat(cumulativeFromMetrics.getLast()).as("+Inf bucket = count").isEqualTo(p.getCount());
            }
            return;
        }
        assertThat(metric.getExponentialHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        Map<Map<String, String>, ExponentialHistogramDataPoint> pushed = new HashMap<>();
        metric.getExponentialHistogram().getDataPointsList().forEach(p -> pushed.put(attributes(p.getAttributesList()), p));
        assertThat(pushed).as("points of %s", name).hasSameSizeAs(h.getDataPoints());
        for (HistogramDataPointSnapshot e : h.getDataPoints()) {
            ExponentialHistogramDataPoint p = pushed.get(labels(e.getLabels()));
            assertThat(p).as("%s%s", name, e.getLabels()).isNotNull();
            assertThat(p.getScale()).isEqualTo(e.getNativeSchema());
            assertThat(p.getCount()).isEqualTo(e.getCount());
            assertThat(p.getSum()).isCloseTo(e.getSum(), within(1e-9));
            assertThat(p.getZeroCount()).isEqualTo(e.getNativeZeroCount());
            // Prometheus bucket i holds (base^(i-1), base^i]; OTLP bucket offset+j holds (base^(offset+j), base^(offset+j+1)].
            NativeHistogramBuckets positive = e.getNativeBucketsForPositiveValues();
            Map<Integer, Long> expected = new TreeMap<>();
            for (int k = 0; k < positive.size(); k++) {
                expected.put(positive.getBucketIndex(k) - 1, positive.getCount(k));
            }
            Map<Integer, Long> actual = new TreeMap<>();
            List<Long> counts = p.getPositive().getBucketCountsList();
            for (int j = 0; j < counts.size(); j++) {
                if (counts.get(j) != 0) {
                    actual.put(p.getPositive().getOffset() + j, counts.get(j));
                }
            }
            assertThat(actual).as("positive buckets of %s", name).isEqualTo(expected);
        }
    }

    private static void assertSummary(String name, Metric metric, SummarySnapshot s) {
        Map<Map<String, String>, SummaryDataPoint> pushed = new HashMap<>();
        metric.getSummary().getDataPointsList().forEach(p -> pushed.put(attributes(p.getAttributesList()), p));
        assertThat(pushed).as("points of %s", name).hasSameSizeAs(s.getDataPoints());
        for (SummaryDataPointSnapshot e : s.getDataPoints()) {
            SummaryDataPoint p = pushed.get(labels(e.getLabels()));
            assertThat(p.getCount()).isEqualTo(e.getCount());
            assertThat(p.getSum()).isCloseTo(e.getSum(), within(1e-9));
            assertThat(p.getQuantileValuesCount()).isEqualTo(e.getQuantiles().size());
        }
    }

    private static <P> java.util.stream.Collector<P, ?, Map<Map<String, String>, Double>> byLabels(
            java.util.function.Function<P, Labels> labels, java.util.function.Function<P, Double> value) {
        return java.util.stream.Collectors.toMap(p -> labels(labels.apply(p)), value);
    }

    private static List<Long> cumulative(List<Long> perBucket) {
        List<Long> out = new ArrayList<>(perBucket.size());
        long running = 0;
        for (long c : perBucket) {
            running += c;
            out.add(running);
        }
        return out;
    }

    private static Map<String, Metric> metricsByName(OtlpReceiver.Push push) {
        assertThat(push.request().getResourceMetricsCount()).isEqualTo(1);
        Map<String, Metric> out = new LinkedHashMap<>();
        for (ResourceMetrics rm : push.request().getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    assertThat(out.put(m.getName(), m)).as("metric %s pushed once", m.getName()).isNull();
                }
            }
        }
        return out;
    }

    private static double gaugeValue(Map<String, Metric> pushed, String name, Map<String, String> attributes) {
        return pushed.get(name).getGauge().getDataPointsList().stream()
                .filter(p -> attributes(p.getAttributesList()).equals(attributes))
                .findFirst().orElseThrow(() -> new AssertionError(name + attributes + " not pushed"))
                .getAsDouble();
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> out = new TreeMap<>();
        kvs.forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
        return out;
    }

    private static Map<String, String> labels(Labels labels) {
        Map<String, String> out = new TreeMap<>();
        labels.forEach(l -> out.put(l.getName(), l.getValue()));
        return out;
    }

    // ---- logs -------------------------------------------------------------------------------------------------

    /** The failure records of the exporter's (shaded) OpenTelemetry SDK, as a log handler receives them. */
    private static final class LogCapture implements AutoCloseable {
        private final Logger sdkLogger = Logger.getLogger("io.prometheus.metrics.shaded");
        private final List<LogRecord> sdk = new CopyOnWriteArrayList<>();
        private final List<CountDownLatch> failureLatches = new CopyOnWriteArrayList<>();
        private final Handler sdkHandler = handler(r -> {
            sdk.add(r);
            if (isFailure(r)) {
                failureLatches.forEach(CountDownLatch::countDown);
            }
        });

        LogCapture() {
            sdkLogger.addHandler(sdkHandler);
        }

        CountDownLatch latchOnSdkFailure() {
            CountDownLatch latch = new CountDownLatch(1);
            failureLatches.add(latch);
            return latch;
        }

        List<String> sdkFailureRecords() {
            SimpleFormatter f = new SimpleFormatter();
            return sdk.stream().filter(LogCapture::isFailure).map(f::formatMessage).toList();
        }

        private static boolean isFailure(LogRecord r) {
            return r.getMessage() != null && r.getMessage().startsWith("Failed to export");
        }

        private static Handler handler(java.util.function.Consumer<LogRecord> sink) {
            return new Handler() {
                @Override
                public void publish(LogRecord record) {
                    sink.accept(record);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {
            sdkLogger.removeHandler(sdkHandler);
        }
    }
}
