package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import dev.workspacesweb.exporter.testing.Expositions;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * {@code /metrics} in the three formats Prometheus speaks, gzip, the name[] filter, and the health endpoints; the
 * protobuf histogram is compared bucket by bucket with the simulator's ground truth.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    // One sample line of the text format: name, optional labels with escaped values, a float value, no timestamp.
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\"\\\\n])*\",?)*\\})? "
                    + "(-?[0-9.]+(e[-+]?[0-9]+)?|[-+]Inf|NaN|-?[0-9.]+E[-+]?[0-9]+)");

    private final ManualClock clock = new ManualClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();
    private AgentRuntime agent;
    private String base;

    @BeforeAll
    void start() {
        agent = AgentRuntime.start(TestConfigs.defaults(), AgentRuntime.Options.forTests(clock));
        base = "http://127.0.0.1:" + agent.port();
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void polled() {
        if (!agent.store().ready()) {
            agent.scheduler().pollOnce();
        }
    }

    @Test
    void readinessWaitsForTheFirstPollOfEveryPortal() throws Exception {
        assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
        polled();
        assertThat(get("/-/ready").statusCode()).isEqualTo(200);
        String landing = new String(get("/").body(), StandardCharsets.UTF_8);
        assertThat(landing).contains("/metrics");
        assertThat(landing.indexOf("simulated data")).as("said at the top, before the title")
                .isNotNegative().isLessThan(landing.indexOf("<h1>"));
        for (String id : agent.simulator().portalIds()) {
            assertThat(landing).contains(id);
        }
    }

    @Test
    void prometheusTextIsTheDefaultAndEveryLineIsValid() throws Exception {
        polled();
        HttpResponse<byte[]> res = get("/metrics");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
        String text = new String(res.body(), StandardCharsets.UTF_8);
        List<String> bad = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#") && !line.isEmpty() && !SAMPLE.matcher(line).matches()) {
                bad.add(line);
            }
        }
        assertThat(bad).isEmpty();
        PortalTruth truth = agent.simulator().workload().truth().portals().get(0);
        assertThat(text).contains("workspaces_web_active_sessions{portal_id=\"" + truth.portalId() + "\"} "
                + (double) truth.activeSessions().size());
        assertThat(text).contains("jvm_memory_used_bytes").contains("workspaces_web_build_info{");
        assertThat(text).contains("# HELP workspaces_web_active_sessions ");
    }

    @Test
    void openMetricsWhenAsked() throws Exception {
        polled();
        HttpResponse<byte[]> res = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/openmetrics-text"));
        String text = new String(res.body(), StandardCharsets.UTF_8);
        assertThat(text).endsWith("# EOF\n").contains("# TYPE workspaces_web_sessions_started counter")
                .contains("workspaces_web_sessions_started_total{portal_id=");
    }

    @Test
    void protobufWhenAskedWithNativeHistogramBuckets() throws Exception {
        polled();
        clock.advance(Duration.ofMinutes(30));
        agent.scheduler().pollOnce(); // some sessions end, so the histogram has observations
        HttpResponse<byte[]> res = get("/metrics", "Accept",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).contains("protobuf"));
        List<Metrics.MetricFamily> families = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(res.body())) {
            Metrics.MetricFamily f;
            while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.add(f);
            }
        }
        Metrics.MetricFamily active = families.stream().filter(f -> f.getName().equals("workspaces_web_active_sessions")).findFirst().orElseThrow();
        assertThat(active.getType()).isEqualTo(Metrics.MetricType.GAUGE);
        assertThat(active.getMetricCount()).isEqualTo(agent.simulator().portalIds().size());
        Metrics.MetricFamily duration = families.stream().filter(f -> f.getName().equals("workspaces_web_session_duration_seconds")).findFirst().orElseThrow();
        assertThat(duration.getMetricCount()).isEqualTo(agent.simulator().portalIds().size());
        long observed = 0;
        for (Metrics.Metric metric : duration.getMetricList()) {
            String portalId = metric.getLabelList().stream().filter(l -> l.getName().equals("portal_id")).findFirst()
                    .orElseThrow().getValue();
            Metrics.Histogram served = metric.getHistogram();
            HistogramDataPointSnapshot expected = groundTruthHistogram(portalId);
            observed += expected.getCount();
            assertThat(served.getSampleCount()).as("count, portal %s", portalId).isEqualTo(expected.getCount());
            assertThat(served.getSampleSum()).isCloseTo(expected.getSum(), within(1e-6 * Math.max(1, expected.getSum())));
            List<Long> cumulative = new ArrayList<>();
            long running = 0;
            for (int i = 0; i < expected.getClassicBuckets().size(); i++) {
                running += expected.getClassicBuckets().getCount(i);
                cumulative.add(running);
            }
            assertThat(served.getBucketList()).as("classic buckets, +Inf included")
                    .extracting(Metrics.Bucket::getCumulativeCount).isEqualTo(cumulative);
            assertThat(served.getSchema()).isEqualTo(3);
            assertThat(served.getZeroCount()).isEqualTo(expected.getNativeZeroCount());
            assertThat(nativeBuckets(served)).as("native buckets, portal %s", portalId)
                    .isEqualTo(nativeBuckets(expected.getNativeBucketsForPositiveValues()));
        }
        assertThat(observed).as("sessions ended in the 30 minutes").isGreaterThan(10);
    }

    /**
     * What the duration histogram of a portal must hold: client_java's own histogram (same classic bounds, native
     * schema 3) fed with the duration of every session the simulator says ended since the agent's first poll.
     */
    private HistogramDataPointSnapshot groundTruthHistogram(String portalId) {
        PortalTruth truth = agent.simulator().workload().truth().portal(portalId);
        Histogram histogram = Histogram.builder().name("truth")
                .classicUpperBounds(TestConfigs.defaults().metrics().durationBuckets().stream().mapToDouble(d -> d).toArray())
                .nativeInitialSchema(3).nativeMaxNumberOfBuckets(Integer.MAX_VALUE).build();
        for (SessionRecord s : truth.endedSessions()) {
            histogram.observe(Duration.between(s.startTime(), s.endTime()).toNanos() / 1e9);
        }
        return histogram.collect().getDataPoints().get(0);
    }

    /** Native bucket index to count, from the protobuf's spans and deltas. */
    private static Map<Integer, Long> nativeBuckets(Metrics.Histogram h) {
        Map<Integer, Long> out = new TreeMap<>();
        int index = 0;
        int delta = 0;
        long count = 0;
        for (Metrics.BucketSpan span : h.getPositiveSpanList()) {
            index += span.getOffset();
            for (int i = 0; i < span.getLength(); i++) {
                count += h.getPositiveDelta(delta++);
                if (count != 0) {
                    out.put(index, count);
                }
                index++;
            }
        }
        assertThat(delta).isEqualTo(h.getPositiveDeltaCount());
        return out;
    }

    private static Map<Integer, Long> nativeBuckets(NativeHistogramBuckets buckets) {
        Map<Integer, Long> out = new TreeMap<>();
        for (int i = 0; i < buckets.size(); i++) {
            out.put(buckets.getBucketIndex(i), buckets.getCount(i));
        }
        return out;
    }

    @Test
    void gzipAndTheNameFilter() throws Exception {
        polled();
        HttpResponse<byte[]> res = get("/metrics?name%5B%5D=workspaces_web_active_sessions&name%5B%5D=workspaces_web_portal_up",
                "Accept-Encoding", "gzip");
        assertThat(res.headers().firstValue("Content-Encoding")).as("headers %s", res.headers().map()).contains("gzip");
        String text;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(res.body()))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text.lines().filter(l -> l.startsWith("# TYPE")))
                .containsExactlyInAnyOrder("# TYPE workspaces_web_active_sessions gauge", "# TYPE workspaces_web_portal_up gauge");
    }

    @Test
    void everyFormatPlainOrGzippedHoldsEachFamilyOnceAsAFreshRenderDoes() throws Exception {
        polled();
        clock.advance(Duration.ofMinutes(30));
        agent.scheduler().pollOnce();
        String[] accepts = {null, "application/openmetrics-text; version=1.0.0; charset=utf-8",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"};
        ExpositionFormats formats = ExpositionFormats.init();
        for (String accept : accepts) {
            ExpositionFormatWriter writer = formats.findWriter(accept);
            ByteArrayOutputStream fresh = new ByteArrayOutputStream();
            writer.write(fresh, agent.registry().scrape(), EscapingScheme.DEFAULT);
            for (boolean gzip : new boolean[] {false, true}) {
                List<String> headers = new ArrayList<>();
                if (accept != null) {
                    headers.addAll(List.of("Accept", accept));
                }
                if (gzip) {
                    headers.addAll(List.of("Accept-Encoding", "gzip"));
                }
                HttpResponse<byte[]> res = get("/metrics", headers.toArray(String[]::new));
                String what = accept + (gzip ? " gzip" : "");
                assertThat(res.statusCode()).isEqualTo(200);
                assertThat(res.headers().firstValue("Content-Type")).as(what).contains(writer.getContentType());
                assertThat(res.headers().firstValue("Content-Length")).as(what).contains(String.valueOf(res.body().length));
                byte[] body = res.body();
                if (gzip) {
                    assertThat(res.headers().firstValue("Content-Encoding")).contains("gzip");
                    // One gzip member: clients that read only the first (curl --compressed) get the whole scrape.
                    assertThat(Expositions.trailingBytesAfterTheFirstMember(body)).as(what).isZero();
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                        body = in.readAllBytes();
                    }
                }
                Map<String, List<String>> scraped;
                Map<String, List<String>> expected;
                if (accept != null && accept.contains("protobuf")) {
                    scraped = Expositions.protobufFamilies(body);
                    expected = Expositions.protobufFamilies(fresh.toByteArray());
                } else {
                    String text = new String(body, StandardCharsets.UTF_8);
                    if (accept != null) {
                        assertThat(text).as(what).endsWith("\n# EOF\n");
                        assertThat(text.split("# EOF", -1)).as("one # EOF").hasSize(2);
                    }
                    scraped = Expositions.textFamilies(body);
                    expected = Expositions.textFamilies(fresh.toByteArray());
                }
                // The JVM's families may come and go between two renders (a GC timer appears with its first event).
                assertThat(scraped.keySet().stream().filter(f -> f.startsWith("workspaces_web_")).toList()).as(what)
                        .isEqualTo(expected.keySet().stream().filter(f -> f.startsWith("workspaces_web_")).toList());
                assertThat(scraped).as(what).containsKey("jvm_memory_used_bytes");
                // The session families (nothing polls in between) are the same; the JVM's own values move.
                for (String family : scraped.keySet()) {
                    if (family.startsWith("workspaces_web_") && !family.startsWith("workspaces_web_api_")
                            && !family.startsWith("workspaces_web_poll")) {
                        assertThat(scraped.get(family)).as("%s %s", what, family).isEqualTo(expected.get(family));
                    }
                }
            }
        }
    }

    @Test
    void dotsEscapingIsRenderedLive() throws Exception {
        polled();
        String text = new String(get("/metrics", "Accept", "text/plain;version=0.0.4;escaping=dots").body(), StandardCharsets.UTF_8);
        assertThat(text).contains("workspaces__web__active__sessions{").doesNotContain("workspaces_web_active_sessions{");
    }

    @Test
    void readEndpointsAnswerOnlyGetAndHead() throws Exception {
        HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(post.statusCode()).isNotEqualTo(200);
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
    }
}
