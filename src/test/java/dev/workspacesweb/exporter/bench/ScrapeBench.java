package dev.workspacesweb.exporter.bench;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.metrics.AgentMeters;
import dev.workspacesweb.exporter.metrics.SessionMetrics;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionAccounting;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import dev.workspacesweb.exporter.testing.TestConfigs;
import dev.workspacesweb.exporter.metrics.ScrapeFormat;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Scrape cost (issue 8 §3): the agent's {@code /metrics} path — {@code registry.scrape()} (our collector stringing
 * the prebuilt points together, plus the Micrometer JVM meters) and client_java's own scrape handler with content
 * negotiation — against the floor: client_java's writer serializing the same {@link MetricSnapshots}, captured once,
 * into a reused buffer. HTTP itself is left out of both (the load benchmark covers it).
 *
 * <p>One portal holds all sessions, each with one IP; users and IPs are min(sessions, 10k) each, and both caps are
 * raised to 20k, so at 10k and 100k sessions 20k per-user/per-IP series go through. The data is fed to
 * {@link SessionMetrics} as a poll would hand it over, so the setup needs no simulator.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseG1GC"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
public class ScrapeBench {
    static final Map<String, String> ACCEPT = Map.of(
            "text", "text/plain; version=0.0.4; charset=utf-8",
            "openmetrics", "application/openmetrics-text; version=1.0.0; charset=utf-8",
            "protobuf", "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");

    @Param({"1000", "10000", "100000"})
    public int sessions;

    @Param({"text", "openmetrics", "protobuf"})
    public String format;

    private PrometheusScrapeHandler handler;
    private PrometheusRegistry registry;
    private SessionMetrics sessionMetrics;
    private ScrapeFormat scrapeFormat;
    private MetricSnapshots captured;
    private ExpositionFormatWriter writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);

    @Setup(Level.Trial)
    public void setUp() {
        Agent agent = agent(this.sessions, true);
        PrometheusRegistry registry = agent.registry();
        this.registry = registry;
        this.sessionMetrics = agent.sessions();
        handler = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
        captured = registry.scrape();
        writer = ExpositionFormats.init().findWriter(ACCEPT.get(format));
        scrapeFormat = ScrapeFormat.of(writer);
    }

    /**
     * The agent's /metrics minus HTTP, as {@code http.MetricsHandler} serves a plain scrape: the session families'
     * bytes encoded at the last poll, then the rest of the registry (the JVM meters) rendered by the writer.
     */
    @Benchmark
    public int agent() throws IOException {
        buffer.reset();
        sessionMetrics.encoded().writeTo(buffer, scrapeFormat, Integer.MAX_VALUE);
        writer.write(buffer, registry.scrape(name -> !SessionMetrics.isSessionFamily(name)), EscapingScheme.DEFAULT);
        return buffer.size();
    }

    /** The live path (a name[] filter, and every scrape before issue 15): client_java's scrape handler on the registry. */
    @Benchmark
    public long live() throws IOException {
        InMemoryExchange exchange = new InMemoryExchange(ACCEPT.get(format), false);
        handler.handleRequest(exchange);
        return exchange.bytes();
    }

    /** The floor: the writer alone on the prebuilt snapshots. */
    @Benchmark
    public int floor() throws IOException {
        buffer.reset();
        writer.write(buffer, captured);
        return buffer.size();
    }

    /** The agent's registry with one portal of {@code n} active sessions, as after a poll. */
    static PrometheusRegistry registry(int n) {
        return registry(n, true);
    }

    static PrometheusRegistry registry(int n, boolean jvmMeters) {
        return agent(n, jvmMeters).registry();
    }

    record Agent(PrometheusRegistry registry, SessionMetrics sessions) {}

    /** @param jvmMeters whether to bind the Micrometer JVM meters the agent binds (false: the session collector alone) */
    static Agent agent(int n, boolean jvmMeters) {
        AgentConfig config = TestConfigs.withLimits(TestConfigs.defaults(), new AgentConfig.Limits(20_000, 20_000));
        Instant now = Instant.parse("2026-11-25T08:00:00Z");
        InstantSource clock = InstantSource.fixed(now);
        PrometheusRegistry registry = new PrometheusRegistry();
        if (jvmMeters) {
            AgentMeters.bindJvm(AgentMeters.create(registry));
        }
        SnapshotStore store = new SnapshotStore();
        SessionMetrics metrics = new SessionMetrics(config, clock, store).register(registry);
        int users = Math.min(n, 10_000);
        PortalInfo info = new PortalInfo("2c1e9b3a-0000-4000-8000-000000000001", "us-east-1",
                "arn:aws:workspaces-web:us-east-1:123456789012:portal/2c1e9b3a-0000-4000-8000-000000000001",
                "Finance portal", "Active", "standard.regular", 5000);
        List<SessionSnapshot> active = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            active.add(new SessionSnapshot("s-" + i, SimulatorProcess.user(i, users), now.minusSeconds(i % 36_000),
                    List.of(SimulatorProcess.ip(i, users))));
        }
        SessionAccounting accounting = SessionAccounting.empty(config.metrics().durationBuckets().stream()
                .mapToDouble(Double::doubleValue).toArray());
        PortalView view = new PortalView(info, true, now, now, "", PortalSnapshot.of(info, now, active), accounting);
        store.publish(new PortalCycle(view, false, 0, List.of(), Duration.ZERO));
        return new Agent(registry, metrics);
    }

    /** A request with the given Accept (and optionally gzip), whose response body is counted and dropped. */
    static final class InMemoryExchange implements PrometheusHttpExchange {
        private final String accept;
        private final boolean gzip;
        private long bytes;

        InMemoryExchange(String accept, boolean gzip) {
            this.accept = accept;
            this.gzip = gzip;
        }

        long bytes() {
            return bytes;
        }

        @Override
        public PrometheusHttpRequest getRequest() {
            return new PrometheusHttpRequest() {
                @Override
                public String getQueryString() {
                    return null;
                }

                @Override
                public Enumeration<String> getHeaders(String name) {
                    String value = switch (name.toLowerCase(Locale.ROOT)) {
                        case "accept" -> accept;
                        case "accept-encoding" -> gzip ? "gzip" : null;
                        default -> null;
                    };
                    return Collections.enumeration(value == null ? List.of() : List.of(value));
                }

                @Override
                public String getMethod() {
                    return "GET";
                }

                @Override
                public String getRequestPath() {
                    return "/metrics";
                }
            };
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return new PrometheusHttpResponse() {
                @Override
                public void setHeader(String name, String value) {
                }

                @Override
                public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
                    return new OutputStream() {
                        @Override
                        public void write(int b) {
                            bytes++;
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                            bytes += len;
                        }
                    };
                }
            };
        }

        @Override
        public void handleException(IOException e) throws IOException {
            throw e;
        }

        @Override
        public void handleException(RuntimeException e) {
            throw e;
        }

        @Override
        public void close() {
        }
    }

    /**
     * Bytes per scrape, then the JMH run, then agent/floor per size and format from the same run; with the single
     * argument {@code bytes}, the table of bytes and cache memory only.
     */
    public static void main(String[] args) throws Exception {
        System.out.println("## bytes per scrape (one portal; users = IPs = min(sessions, 10k))");
        System.out.println("| sessions | series | text | text gzip | openmetrics | openmetrics gzip | protobuf | protobuf gzip | encoded cache (heap) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int n : new int[] {1000, 10_000, 100_000}) {
            Agent agent = agent(n, true);
            PrometheusRegistry registry = agent.registry();
            PrometheusScrapeHandler h = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
            long series = registry.scrape().stream().mapToLong(s -> s.getDataPoints().size()).sum();
            StringBuilder row = new StringBuilder("| " + n + " | " + series + " |");
            for (String f : List.of("text", "openmetrics", "protobuf")) {
                for (boolean gzip : new boolean[] {false, true}) {
                    InMemoryExchange e = new InMemoryExchange(ACCEPT.get(f), gzip);
                    h.handleRequest(e);
                    row.append(' ').append(e.bytes()).append(" |");
                }
            }
            agent.sessions().encoded(); // encoded by the first scrape after a publication
            row.append(' ').append(agent.sessions().encodedBytes()).append(" |");
            System.out.println(row);
        }
        if (args.length == 1 && args[0].equals("bytes")) {
            return; // the table only
        }
        OptionsBuilder options = new OptionsBuilder();
        options.include(ScrapeBench.class.getName() + "\\.");
        if (args.length > 0) {
            options.param("sessions", args);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> medians = new TreeMap<>();
        for (RunResult r : results) {
            List<Double> scores = new ArrayList<>();
            for (IterationResult it : r.getBenchmarkResults().iterator().next().getIterationResults()) {
                scores.add(it.getPrimaryResult().getScore());
            }
            String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            medians.put(r.getParams().getParam("sessions") + "/" + r.getParams().getParam("format") + "/" + method,
                    Stats.median(scores));
        }
        System.out.println();
        System.out.println("## scrape time, median of the measurement iterations (ms per scrape), load " + Stats.loadAverage());
        System.out.println("| sessions | format | agent /metrics (encoded) | live (client_java handler) | floor (writer only) | agent / floor | live / floor |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String key : medians.keySet()) {
            if (key.endsWith("/agent")) {
                String base = key.substring(0, key.length() - "/agent".length());
                double agent = medians.get(key);
                double floor = medians.getOrDefault(base + "/floor", Double.NaN);
                double live = medians.getOrDefault(base + "/live", Double.NaN);
                String[] parts = base.split("/");
                System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.2f |%n", parts[0], parts[1], agent, live,
                        floor, agent / floor, live / floor);
            }
        }
    }
}
