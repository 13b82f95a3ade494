package dev.workspacesweb.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.http.AgentServer;
import dev.workspacesweb.exporter.http.WebConfig;
import dev.workspacesweb.exporter.metrics.AgentMetrics;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import dev.workspacesweb.exporter.metrics.AgentMeters;
import dev.workspacesweb.exporter.metrics.SessionMetrics;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionEnd;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import dev.workspacesweb.exporter.testing.SyntheticPolls;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The agent's registry as {@code AgentRuntime} builds it (Micrometer's JVM and process binders, the session
 * metrics, the agent's own metrics), fed by synthetic polls, served by the agent's real HTTP server, with the pusher
 * on it: every sample that {@code GET /metrics} serves is in the push, with the same value for everything the agent
 * computes. JVM and process metrics move between the two reads, so only their families are compared.
 */
class OtlpPushOfTheAgentTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final PortalInfo PORTAL = new PortalInfo("p-1", "us-east-1",
            "arn:aws:workspaces-web:us-east-1:123456789012:portal/p-1", "Sales \"EU\"", "Active", "standard.regular", 25);

    @Test
    void thePushCarriesWhatMetricsServes() throws Exception {
        InstantSource clock = InstantSource.fixed(T0);
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusMeterRegistry meters = AgentMeters.create(registry);
        try (AutoCloseable jvm = AgentMeters.bindJvm(meters);
                AgentServer server = AgentServer.start("127.0.0.1", 0, registry, new SnapshotStore(), "test", WebConfig.none(), routing -> {});
                OtlpReceiver receiver = OtlpReceiver.start()) {
            SnapshotStore store = new SnapshotStore();
            SessionMetrics sessions = new SessionMetrics(TestConfigs.defaults(), clock, store).register(registry);
            AgentMetrics agent = new AgentMetrics(meters, registry, BuildInfo.current());
        store.subscribe(agent);
            for (PortalCycle c : List.of(
                    cycle(T0.minusSeconds(30), true, 0, List.of(),
                            new SessionSnapshot("s1", "ana@example.com", T0.minusSeconds(600), List.of("198.51.100.7")),
                            new SessionSnapshot("s2", "x\"} 1\nevil{a=\"b\"} 9 \\ é", T0.minusSeconds(60), List.of("2001:db8::1a"))),
                    cycle(T0, false, 3, List.of(new SessionEnd("s1", "ana@example.com", T0.minusSeconds(600), T0.minusSeconds(5))),
                            new SessionSnapshot("s2", "x\"} 1\nevil{a=\"b\"} 9 \\ é", T0.minusSeconds(60), List.of("2001:db8::1a")),
                            new SessionSnapshot("s4", "bob@example.com", T0.minusSeconds(10), List.of("203.0.113.9"))))) {
                store.publish(c);
            }

            // JVM families can appear between two reads (a GC's first pause): read /metrics before and after.
            TextExposition before = TextExposition.parse(scrape(server.port()), otlpNames(registry));
            OtlpReceiver.Push push;
            try (OtlpPusher pusher = OtlpPusher.start(new AgentConfig.Otlp(true, receiver.metricsUrl(), Duration.ofSeconds(1), Map.of()),
                    registry)) {
                push = receiver.take();
            }
            TextExposition after = TextExposition.parse(scrape(server.port()), otlpNames(registry));

            Map<String, Metric> pushed = new HashMap<>();
            for (ScopeMetrics sm : push.request().getResourceMetrics(0).getScopeMetricsList()) {
                sm.getMetricsList().forEach(m -> pushed.put(m.getName(), m));
            }
            assertThat(after.families()).as("what the agent serves")
                    .contains("workspaces_web_active_sessions", "workspaces_web_sessions_started",
                            "workspaces_web_session_duration_seconds", "workspaces_web_poll_duration_seconds",
                            "jvm_memory_used_bytes", "jvm_threads_live_threads");
            assertThat(after.agentSamples()).as("the agent's own samples do not move").isEqualTo(before.agentSamples());

            int compared = 0;
            for (TextExposition.Sample s : after.agentSamples()) {
                String type = after.typeOf(s.family());
                Metric metric = pushed.get(after.otlpName(s));
                assertThat(metric).as("pushed family of %s", s.name()).isNotNull();
                assertThat(pushedValue(type, metric, s)).as("%s%s", s.name(), s.labels()).isCloseTo(s.value(), within(1e-9));
                compared++;
            }
            assertThat(compared).as("samples compared by value").isGreaterThan(40);
            assertThat(pushed.keySet()).as("every family served before the push is pushed").containsAll(before.otlpNames());
            assertThat(after.otlpNames()).as("nothing pushed that /metrics does not serve").containsAll(pushed.keySet());
        } finally {
            meters.close();
        }
    }

    private final SyntheticPolls polls = new SyntheticPolls(PORTAL);

    private PortalCycle cycle(Instant at, boolean baseline, int started, List<SessionEnd> ended, SessionSnapshot... sessions) {
        return polls.poll(at, baseline, started, ended, sessions);
    }

    /** The OTLP name of every family by its name in /metrics, by client_java's rule (see OtlpPusherTest). */
    private static Map<String, String> otlpNames(PrometheusRegistry registry) {
        Map<String, String> out = new HashMap<>();
        registry.scrape().forEach(snapshot -> out.put(snapshot.getMetadata().getPrometheusName(), OtlpPusherTest.otlpName(snapshot)));
        return out;
    }

    private static String scrape(int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Accept", "text/plain; version=0.0.4").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    /** The pushed value that corresponds to one sample line of the text format. */
    private static double pushedValue(String type, Metric metric, TextExposition.Sample s) {
        Map<String, String> labels = new TreeMap<>(s.labels());
        String suffix = s.name().substring(s.family().length());
        switch (type) {
            case "gauge", "untyped" -> {
                return numberPoint(metric.getGauge().getDataPointsList(), labels).getAsDouble();
            }
            case "counter", "info" -> {
                return numberPoint(metric.getSum().getDataPointsList(), labels).getAsDouble();
            }
            case "histogram" -> {
                String le = labels.remove("le");
                if (metric.hasExponentialHistogram()) {
                    // Native buckets make an exponential histogram (client_java's rule): count and sum compare; the
                    // classic le buckets have no counterpart in it.
                    ExponentialHistogramDataPoint p = metric.getExponentialHistogram().getDataPointsList().stream()
                            .filter(d -> attributes(d.getAttributesList()).equals(labels)).findFirst().orElseThrow();
                    return switch (suffix) {
                        case "_count" -> p.getCount();
                        case "_sum" -> p.getSum();
                        case "_bucket" -> s.value(); // not compared
                        default -> throw new AssertionError("histogram sample " + s.name());
                    };
                }
                HistogramDataPoint p = metric.getHistogram().getDataPointsList().stream()
                        .filter(d -> attributes(d.getAttributesList()).equals(labels)).findFirst().orElseThrow();
                return switch (suffix) {
                    case "_count" -> p.getCount();
                    case "_sum" -> p.getSum();
                    case "_bucket" -> {
                        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                        long cumulative = 0;
                        for (int i = 0; i < p.getBucketCountsCount(); i++) {
                            double upper = i < p.getExplicitBoundsCount() ? p.getExplicitBounds(i) : Double.POSITIVE_INFINITY;
                            if (upper > bound) {
                                break;
                            }
                            cumulative += p.getBucketCounts(i);
                        }
                        yield cumulative;
                    }
                    default -> throw new AssertionError("histogram sample " + s.name());
                };
            }
            case "summary" -> {
                String quantile = labels.remove("quantile");
                SummaryDataPoint p = metric.getSummary().getDataPointsList().stream()
                        .filter(d -> attributes(d.getAttributesList()).equals(labels)).findFirst().orElseThrow();
                return switch (suffix) {
                    case "_count" -> p.getCount();
                    case "_sum" -> p.getSum();
                    case "" -> p.getQuantileValuesList().stream()
                            .filter(q -> q.getQuantile() == Double.parseDouble(quantile)).findFirst().orElseThrow().getValue();
                    default -> throw new AssertionError("summary sample " + s.name());
                };
            }
            default -> throw new AssertionError("type " + type + " of " + s.name());
        }
    }

    private static NumberDataPoint numberPoint(List<NumberDataPoint> points, Map<String, String> labels) {
        return points.stream().filter(p -> attributes(p.getAttributesList()).equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no pushed point with attributes " + labels));
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> out = new TreeMap<>();
        kvs.forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
        return out;
    }

    /**
     * The Prometheus text format (0.0.4) as {@code /metrics} serves it, read the way Prometheus reads it: TYPE lines
     * give each family its type, a sample belongs to the family its name starts with (the family name plus
     * {@code _total}, {@code _bucket}, {@code _count}, {@code _sum} or {@code _info}).
     */
    record TextExposition(Map<String, String> types, List<Sample> samples, Map<String, String> otlpNameOf) {
        record Sample(String name, String family, Map<String, String> labels, double value) {}

        Set<String> families() {
            Set<String> out = new TreeSet<>();
            samples.forEach(s -> out.add(s.family()));
            return out;
        }

        /** The samples of the agent's own families, whose values stay put while nothing polls. */
        List<Sample> agentSamples() {
            return samples.stream().filter(s -> s.family().startsWith("workspaces_web_")).toList();
        }

        /** The family's OTLP name: without {@code _total}, {@code _info} and the unit suffix. */
        String otlpName(Sample s) {
            return otlpNameOf.getOrDefault(s.family(), s.family());
        }

        Set<String> otlpNames() {
            Set<String> out = new TreeSet<>();
            samples.forEach(s -> out.add(otlpName(s)));
            return out;
        }

        String typeOf(String family) {
            return types.get(family);
        }

        static TextExposition parse(String text, Map<String, String> otlpNames) {
            Map<String, String> types = new HashMap<>();
            List<String[]> raw = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    types.put(parts[2], parts[3]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    raw.add(new String[] {line});
                }
            }
            // A counter's TYPE line may name the family with or without _total: index both spellings.
            Map<String, String> families = new HashMap<>();
            types.forEach((name, type) -> {
                String base = type.equals("counter") && name.endsWith("_total") ? name.substring(0, name.length() - 6)
                        : type.equals("info") && name.endsWith("_info") ? name.substring(0, name.length() - 5) : name;
                families.put(base, type);
            });
            List<Sample> samples = new ArrayList<>();
            for (String[] r : raw) {
                samples.add(sample(r[0], families));
            }
            return new TextExposition(families, samples, otlpNames);
        }

        private static Sample sample(String line, Map<String, String> families) {
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = line.substring(0, i);
            Map<String, String> labels = new TreeMap<>();
            if (line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq);
                    i = eq + 2; // past ="
                    StringBuilder value = new StringBuilder();
                    while (line.charAt(i) != '"') {
                        char c = line.charAt(i++);
                        if (c == '\\') {
                            char e = line.charAt(i++);
                            value.append(e == 'n' ? '\n' : e);
                        } else {
                            value.append(c);
                        }
                    }
                    i++; // past the closing quote
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                    labels.put(key, value.toString());
                }
                i++;
            }
            String[] rest = line.substring(i).strip().split(" ");
            double value = switch (rest[0]) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(rest[0]);
            };
            return new Sample(name, family(name, families), labels, value);
        }

        private static String family(String name, Map<String, String> families) {
            if (families.containsKey(name)) {
                return name;
            }
            for (String suffix : new String[] {"_total", "_bucket", "_count", "_sum", "_info", "_created"}) {
                if (name.endsWith(suffix) && families.containsKey(name.substring(0, name.length() - suffix.length()))) {
                    return name.substring(0, name.length() - suffix.length());
                }
            }
            throw new AssertionError("no TYPE line for " + name);
        }
    }
}
