package dev.workspacesweb.exporter.bench;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scrape ratio agent / floor measured interleaved in one JVM: rounds of (agent scrapes, floor writes,
 * registry.scrape() alone), so that the load of the shared machine hits both sides alike; the ratio reported is
 * the median over rounds of the per-round ratio. Complements the JMH figures of {@link ScrapeBench}, whose agent
 * and floor run in different forks minutes apart. Arguments: sessions values (default 1000 10000 100000).
 */
public final class ScrapeRatio {
    private ScrapeRatio() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1000, 10_000, 100_000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("## scrape live handler (the name[] path; every scrape before issue 15) / floor, interleaved rounds (ms per scrape, medians of 40 rounds), load " + Stats.loadAverage());
        System.out.println("| sessions | format | live handler | floor (writer only) | collect (registry.scrape) | live / floor |");
        System.out.println("|---|---|---|---|---|---|");
        List<String> sessionOnly = new ArrayList<>();
        for (int n : sizes) {
            PrometheusRegistry alone = ScrapeBench.registry(n, false);
            List<Double> t = new ArrayList<>();
            for (int round = -200; round < 200; round++) {
                long t0 = System.nanoTime();
                alone.scrape();
                if (round >= 0) {
                    t.add((System.nanoTime() - t0) / 1e6);
                }
            }
            sessionOnly.add(String.format(Locale.ROOT, "%d sessions: %.3f ms", n, Stats.median(t)));
            PrometheusRegistry registry = ScrapeBench.registry(n);
            PrometheusScrapeHandler handler = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
            MetricSnapshots captured = registry.scrape();
            for (String format : List.of("text", "openmetrics", "protobuf")) {
                String accept = ScrapeBench.ACCEPT.get(format);
                ExpositionFormatWriter writer = ExpositionFormats.init().findWriter(accept);
                ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
                int ops = Math.max(2, 20_000 / n * 10); // about 20-50 ms of work per side and round
                List<Double> agent = new ArrayList<>();
                List<Double> floor = new ArrayList<>();
                List<Double> collect = new ArrayList<>();
                List<Double> ratio = new ArrayList<>();
                for (int round = -15; round < 40; round++) { // the first 15 rounds warm up
                    long t0 = System.nanoTime();
                    for (int i = 0; i < ops; i++) {
                        handler.handleRequest(new ScrapeBench.InMemoryExchange(accept, false));
                    }
                    long t1 = System.nanoTime();
                    for (int i = 0; i < ops; i++) {
                        buffer.reset();
                        writer.write(buffer, captured);
                    }
                    long t2 = System.nanoTime();
                    for (int i = 0; i < ops; i++) {
                        if (registry.scrape().size() == 0) {
                            throw new IllegalStateException();
                        }
                    }
                    long t3 = System.nanoTime();
                    if (round >= 0) {
                        agent.add((t1 - t0) / 1e6 / ops);
                        floor.add((t2 - t1) / 1e6 / ops);
                        collect.add((t3 - t2) / 1e6 / ops);
                        ratio.add((double) (t1 - t0) / (t2 - t1));
                    }
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %.3f | %.3f | %.3f | %.2f |%n", n, format, Stats.median(agent),
                        Stats.median(floor), Stats.median(collect), Stats.median(ratio));
            }
        }
        System.out.println();
        System.out.println("registry.scrape() with the session collector alone (no Micrometer JVM meters), median: "
                + String.join(", ", sessionOnly));
    }
}
