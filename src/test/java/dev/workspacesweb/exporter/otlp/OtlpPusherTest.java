package dev.workspacesweb.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.metrics.AgentMetrics;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import dev.workspacesweb.exporter.metrics.SessionMetrics;
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
import io.opentelemetry.sdk.common.export.RetryPolicy;
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
    private static final long T0_NANOS = T0.getEpochSecond() * 1_000_000_000L;
    private static final PortalInfo PORTAL = new PortalInfo("p-1", "us-east-1",
            "arn:aws:workspaces-web:us-east-1:123456789012:portal/p-1", "Sales \"EU\"", "Active", "standard.regular", 25);
    /** Retries inside one push, fast enough for a test, still more than one attempt. */
    private static final RetryPolicy FAST_RETRIES = RetryPolicy.builder()
            .setMaxAttempts(3).setInitialBackoff(Duration.ofMillis(5)).setMaxBackoff(Duration.ofMillis(10)).build();

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
        SessionMetrics sessions = new SessionMetrics(TestConfigs.defaults(), clock).register(registry);
        AgentMetrics agent = new AgentMetrics(meters, registry, new BuildInfo("1.2.3", "abc1234", "21.0.5"));
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
            sessions.onCycle(c);
            agent.onCycle(c);
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

    private OtlpPusher pusher(String endpoint, Duration interval, Map<String, String> headers, Map<String, String> env,
            RetryPolicy retries) {
        return closeLater(OtlpPusher.start(new AgentConfig.Otlp(true, endpoint, interval, headers), registry, env, retries, clock));
    }

    private static void pushNow(OtlpPusher pusher, boolean expectSuccess) {
        assertThat(pusher.pushNow()).as("push succeeded").isEqualTo(expectSuccess);
    }

    @Test
    void pushesEveryMetricOfTheRegistryWithTheValuesThatMetricsServes() throws Exception {
        OtlpReceiver receiver = receiver();
        OtlpPusher pusher = pusher(receiver.metricsUrl(), Duration.ofHours(1), Map.of(), Map.of(), RetryPolicy.getDefault());
        assertThat(pusher.endpoint()).isEqualTo(receiver.metricsUrl());

        pushNow(pusher, true);
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
        HistogramDataPoint durations = pushed.get("workspaces_web_session_duration_seconds").getHistogram().getDataPoints(0);
        assertThat(pushed.get("workspaces_web_session_duration_seconds").getUnit()).isEqualTo("s");
        assertThat(durations.getCount()).isEqualTo(2);
        assertThat(durations.getSum()).isEqualTo(600.0);
        assertThat(durations.getExplicitBoundsList()).startsWith(30.0, 60.0, 300.0, 900.0).doesNotContain(Double.POSITIVE_INFINITY);
        // Cumulated again, the OTLP buckets are what /metrics shows: le="30" 1, le="900" 2.
        assertThat(cumulative(durations.getBucketCountsList())).startsWith(1L, 1L, 1L, 2L);
        assertThat(gaugeValue(pushed, "workspaces_web_user_active_sessions", Map.of("portal_id", "p-1", "username", "ana@example.com")))
                .isEqualTo(1.0);
        assertThat(gaugeValue(pushed, "workspaces_web_oldest_active_session_age_seconds", Map.of("portal_id", "p-1"))).isEqualTo(60.0);
        assertThat(gaugeValue(pushed, "workspaces_web_build_info",
                Map.of("version", "1.2.3", "revision", "abc1234", "java_version", "21.0.5"))).isEqualTo(1.0);
        assertThat(pushed.get("workspaces_web_test_events").getSum().getDataPoints(0).getAsDouble()).isEqualTo(3.0);
        assertThat(pushed).containsKeys("workspaces_web_poll_duration_seconds", "workspaces_web_test_edition_info");
        NumberDataPoint anyGauge = pushed.get("workspaces_web_active_sessions").getGauge().getDataPoints(0);
        assertThat(anyGauge.getTimeUnixNano()).as("the clock's time").isEqualTo(T0_NANOS);

        ScopeMetrics scope = push.request().getResourceMetrics(0).getScopeMetrics(0);
        assertThat(scope.getScope().getName()).isEqualTo(OtlpPusher.SCOPE_NAME);
        Map<String, String> resource = attributes(push.request().getResourceMetrics(0).getResource().getAttributesList());
        assertThat(resource).containsEntry("service.name", "workspaces-web-exporter")
                .containsEntry("telemetry.sdk.language", "java")
                .containsKey("service.version");

        // The values are read at each push: what changed since is pushed, with no second set of counters.
        micrometerEvents.increment(2);
        edition.setLabelValues("enterprise");
        pushNow(pusher, true);
        OtlpReceiver.Push second = receiver.take();
        assertSameAsRegistry(second);
        assertThat(metricsByName(second).get("workspaces_web_test_events").getSum().getDataPoints(0).getAsDouble()).isEqualTo(5.0);
        assertThat(receiver.pending()).isZero();
    }

    @Test
    void theStandardOtelVariablesSetEndpointHeadersServiceNameAndResource() throws Exception {
        OtlpReceiver receiver = receiver();
        Map<String, String> env = Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.baseUrl() + "/",
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic dXNlcjpw+YXNz==, x-tenant = acme%20corp,x-overridden=env",
                "OTEL_SERVICE_NAME", "ws-web-eu",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,service.name=not-this-one,team=end%20user%20computing");
        OtlpPusher pusher = pusher("", Duration.ofHours(1), Map.of("x-overridden", "config", "x-from-config", "1"), env,
                RetryPolicy.getDefault());
        assertThat(pusher.endpoint()).isEqualTo(receiver.metricsUrl());

        pushNow(pusher, true);
        OtlpReceiver.Push push = receiver.take();
        assertThat(push.headers().getFirst("Authorization")).as("'+' and '=' of base64 survive").isEqualTo("Basic dXNlcjpw+YXNz==");
        assertThat(push.headers().getFirst("X-tenant")).isEqualTo("acme corp");
        assertThat(push.headers().getFirst("X-from-config")).isEqualTo("1");
        assertThat(push.headers().getFirst("X-overridden")).as("otlp.headers wins over the variable").isEqualTo("config");
        Map<String, String> resource = attributes(push.request().getResourceMetrics(0).getResource().getAttributesList());
        assertThat(resource).containsEntry("service.name", "ws-web-eu")
                .containsEntry("deployment.environment", "prod")
                .containsEntry("team", "end user computing")
                .containsKey("service.version");
        assertSameAsRegistry(push);
    }

    @Test
    void aCollectorThatIsDownIsLoggedOncePerPushAndPushedToWhenItComesUp() throws Exception {
        int port;
        try (OtlpReceiver gone = OtlpReceiver.start()) {
            port = gone.port();
        }
        String endpoint = "http://127.0.0.1:" + port + OtlpReceiver.PATH;
        OtlpPusher pusher = pusher(endpoint, Duration.ofHours(1), Map.of(), Map.of(), FAST_RETRIES);

        pushNow(pusher, false);
        pushNow(pusher, false);
        assertThat(logs.pusherWarnings(endpoint)).as("one line per failed push, retries included").hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("failed"));
        assertThat(logs.sdkFailureRecords()).as("the SDK's own failure records are folded into ours").isEmpty();
        assertThat(pusher.consecutiveFailures()).isEqualTo(2);

        try (OtlpReceiver receiver = OtlpReceiver.startOn(port)) {
            pushNow(pusher, true);
            assertSameAsRegistry(receiver.take());
        }
        assertThat(pusher.consecutiveFailures()).isZero();
        assertThat(logs.pusherInfos(endpoint)).anySatisfy(line -> assertThat(line).contains("works again after 2"));
    }

    @Test
    void theScheduleKeepsPushingWhileTheCollectorIsDownAndDeliversOnceItIsUp() throws Exception {
        int port;
        try (OtlpReceiver gone = OtlpReceiver.start()) {
            port = gone.port();
        }
        CountDownLatch failed = logs.latchOnPusherWarning();
        pusher("http://127.0.0.1:" + port + OtlpReceiver.PATH, Duration.ofMillis(100), Map.of(), Map.of(), FAST_RETRIES);
        assertThat(failed.await(10, TimeUnit.SECONDS)).as("a scheduled push failed and was logged").isTrue();

        try (OtlpReceiver receiver = OtlpReceiver.startOn(port)) {
            OtlpReceiver.Push push = receiver.take();
            assertSameAsRegistry(push);
        }
    }

    @Test
    void aCollectorAnsweringWithAnErrorIsRetriedWithinThePushAndLoggedOnceWithItsStatus() throws Exception {
        OtlpReceiver receiver = receiver();
        receiver.answerWith(503);
        OtlpPusher pusher = pusher(receiver.metricsUrl(), Duration.ofHours(1), Map.of(), Map.of(), FAST_RETRIES);

        pushNow(pusher, false);
        for (int attempt = 0; attempt < 3; attempt++) {
            receiver.take();
        }
        assertThat(receiver.pending()).as("exactly the 3 attempts of the retry policy").isZero();
        assertThat(logs.pusherWarnings(receiver.metricsUrl())).hasSize(1).first().asString().contains("503");
        assertThat(logs.sdkFailureRecords()).isEmpty();
    }

    @Test
    void theJdkHttpSenderIsTheOnlyOneTheSdkCanPick() throws Exception {
        Class<?> spi = Class.forName("io.opentelemetry.exporter.internal.http.HttpSenderProvider");
        List<String> providers = ServiceLoader.load(spi).stream().map(p -> p.type().getName()).toList();
        assertThat(providers).containsExactly("io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider");
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
                    metric.getSum().getDataPointsList().forEach(p -> assertThat(p.getStartTimeUnixNano()).isBetween(1L, p.getTimeUnixNano()));
                }
                case InfoSnapshot i -> assertPoints(name, metric.getGauge().getDataPointsList(),
                        i.getDataPoints().stream().collect(byLabels(p -> p.getLabels(), p -> 1.0)));
                case StateSetSnapshot s -> {
                    Map<Map<String, String>, Double> points = new HashMap<>();
                    for (StateSetSnapshot.StateSetDataPointSnapshot p : s.getDataPoints()) {
                        for (int k = 0; k < p.size(); k++) {
                            Map<String, String> attrs = new TreeMap<>(labels(p.getLabels()));
                            attrs.put(name, p.getName(k));
                            points.put(attrs, p.isTrue(k) ? 1.0 : 0.0);
                        }
                    }
                    assertPoints(name, metric.getGauge().getDataPointsList(), points);
                }
                case HistogramSnapshot h -> assertHistogram(name, metric, h);
                case SummarySnapshot s -> assertSummary(name, metric, s);
                default -> throw new AssertionError("a snapshot type the test does not know: " + snapshot);
            }
        }
        assertThat(pushed.keySet()).as("nothing pushed that /metrics does not serve").containsExactlyInAnyOrderElementsOf(expectedNames);
    }

    private static String otlpName(MetricSnapshot snapshot) {
        String name = snapshot.getMetadata().getPrometheusName();
        return snapshot instanceof InfoSnapshot && !name.endsWith("_info") ? name + "_info" : name;
    }

    private static void assertPoints(String name, List<NumberDataPoint> pushed, Map<Map<String, String>, Double> expected) {
        Map<Map<String, String>, Double> actual = new HashMap<>();
        for (NumberDataPoint p : pushed) {
            assertThat(actual.put(attributes(p.getAttributesList()), p.getAsDouble())).as("duplicate point of %s", name).isNull();
            assertThat(p.getTimeUnixNano()).isEqualTo(T0_NANOS);
        }
        assertThat(actual).as("points of %s", name).isEqualTo(expected);
    }

    private static void assertHistogram(String name, Metric metric, HistogramSnapshot h) {
        boolean classic = h.getDataPoints().stream().allMatch(HistogramDataPointSnapshot::hasClassicHistogramData);
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
                assertThat(cumulative(p.getBucketCountsList())).isEqualTo(cumulativeFromMetrics);
                assertThat(cumulativeFromMetrics.getLast()).as("+Inf bucket = count").isEqualTo(p.getCount());
            }
            return;
        }
        ExponentialHistogramDataPoint p = metric.getExponentialHistogram().getDataPoints(0);
        HistogramDataPointSnapshot e = h.getDataPoints().get(0);
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
        assertThat(actual).as("positive buckets of %s", name).isEqualTo(expected).isNotEmpty();
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

    /** Records of the pusher's failure logger and of the SDK's exporter logger, as a log handler receives them. */
    private static final class LogCapture implements AutoCloseable {
        private final Logger pusherLogger = Logger.getLogger(FailureLoggingExporter.class.getName());
        private final Logger sdkLogger = Logger.getLogger("io.opentelemetry");
        private final List<LogRecord> pusher = new CopyOnWriteArrayList<>();
        private final List<LogRecord> sdk = new CopyOnWriteArrayList<>();
        private final List<CountDownLatch> warningLatches = new CopyOnWriteArrayList<>();
        private final Handler pusherHandler = handler(r -> {
            pusher.add(r);
            if (r.getLevel() == Level.WARNING) {
                warningLatches.forEach(CountDownLatch::countDown);
            }
        });
        private final Handler sdkHandler = handler(sdk::add);

        LogCapture() {
            pusherLogger.addHandler(pusherHandler);
            sdkLogger.addHandler(sdkHandler);
        }

        CountDownLatch latchOnPusherWarning() {
            CountDownLatch latch = new CountDownLatch(1);
            warningLatches.add(latch);
            return latch;
        }

        /** Of this endpoint only: a pusher of an earlier test may still log the end of its last push. */
        List<String> pusherWarnings(String endpoint) {
            return formatted(pusher, r -> r.getLevel() == Level.WARNING).stream().filter(l -> l.contains(endpoint)).toList();
        }

        List<String> pusherInfos(String endpoint) {
            return formatted(pusher, r -> r.getLevel() == Level.INFO).stream().filter(l -> l.contains(endpoint)).toList();
        }

        List<String> sdkFailureRecords() {
            return formatted(sdk, r -> r.getMessage() != null && r.getMessage().startsWith("Failed to export"));
        }

        private static List<String> formatted(List<LogRecord> records, Predicate<LogRecord> which) {
            SimpleFormatter f = new SimpleFormatter();
            return records.stream().filter(which).map(f::formatMessage).toList();
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
            pusherLogger.removeHandler(pusherHandler);
            sdkLogger.removeHandler(sdkHandler);
        }
    }
}
