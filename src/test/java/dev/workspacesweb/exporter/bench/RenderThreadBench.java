package dev.workspacesweb.exporter.bench;

import dev.workspacesweb.exporter.metrics.AgentMeters;
import dev.workspacesweb.exporter.metrics.AgentMetrics;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Why scrapes render on platform threads ({@code http.RenderThreads}, BENCHMARKS.md §0): the live part of a plain
 * scrape (the agent's own families and the JVM meters, {@code metrics.AgentMeters} as the agent binds them) rendered by
 * client_java's text writers on a virtual thread and on a platform thread, turn about, 2,000 renders each per round.
 * {@code java -cp CP dev.workspacesweb.exporter.bench.RenderThreadBench}
 */
public final class RenderThreadBench {
    private RenderThreadBench() {}

    public static void main(String[] args) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusMeterRegistry meters = AgentMeters.create(registry);
        AgentMeters.bindJvm(meters);
        new AgentMetrics(meters, registry, BuildInfo.current());
        ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
        ExecutorService platform = Executors.newSingleThreadExecutor();
        int renders = 2000;
        for (ExpositionFormatWriter writer : new ExpositionFormatWriter[] {PrometheusTextFormatWriter.create(),
                OpenMetricsTextFormatWriter.create()}) {
            int[] size = new int[1];
            Callable<Long> render = () -> {
                long t = System.nanoTime();
                ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
                writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
                size[0] = out.size();
                return System.nanoTime() - t;
            };
            for (int round = 1; round <= 5; round++) {
                long onVirtual = 0;
                long onPlatform = 0;
                for (int i = 0; i < renders; i++) {
                    onVirtual += virtual.submit(render).get();
                    onPlatform += platform.submit(render).get();
                }
                System.out.printf("%s round %d: %,d bytes; virtual thread %.0f us, platform thread %.0f us per render (%.1fx)%n",
                        writer.getClass().getSimpleName(), round, size[0], onVirtual / 1e3 / renders,
                        onPlatform / 1e3 / renders, (double) onVirtual / onPlatform);
            }
        }
        virtual.shutdown();
        platform.shutdown();
    }
}
