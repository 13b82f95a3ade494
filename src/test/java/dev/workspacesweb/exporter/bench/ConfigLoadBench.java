package dev.workspacesweb.exporter.bench;

import dev.workspacesweb.exporter.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration's share of the start-up (BENCHMARKS.md §0): {@code ConfigLoader.load} of one file, first in a
 * fresh JVM (cold: Jackson's classes loaded and initialized) and then a second time (warm), and how many classes the
 * JVM has loaded by then. Run it in a new JVM each time: {@code java -cp CP dev.workspacesweb.exporter.bench.ConfigLoadBench config.yaml}.
 */
public final class ConfigLoadBench {
    private ConfigLoadBench() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "config.yaml");
        long t0 = System.nanoTime();
        ConfigLoader.load(file, Map.of());
        long t1 = System.nanoTime();
        ConfigLoader.load(file, Map.of());
        long t2 = System.nanoTime();
        System.out.printf("config load of %s: first %d ms, second %d ms; %d classes loaded; JVM up %d ms%n", file,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount(),
                ManagementFactory.getRuntimeMXBean().getUptime());
    }
}
