package dev.workspacesweb.exporter.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The agent's Micrometer registry over its {@link PrometheusRegistry}, and the JVM meters bound to it: written once
 * here for the agent ({@code cli.AgentRuntime}), and for the tests and benchmarks that must show what it serves.
 */
public final class AgentMeters {
    private AgentMeters() {}

    /** A Micrometer registry publishing into {@code registry}, with the agent's meter filters. */
    public static PrometheusMeterRegistry create(PrometheusRegistry registry) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM);
        // process.cpu.time is in nanoseconds; as process_cpu_time_ns_total it fails promtool's lint (abbreviated
        // unit). process_cpu_usage covers the same ground.
        meters.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        // jvm.threads.states: six gauges that each ask the ThreadMXBean about every thread, at every scrape (a
        // fixed 0.2 ms, most of a small agent's scrape; BENCHMARKS.md section 3). Live, daemon and peak stay.
        meters.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("jvm.threads.states")));
        // system.cpu.count would be system_cpu_count, which promtool's lint reads as a stray _count suffix.
        meters.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        return meters;
    }

    /**
     * Binds the JVM and process meters. They come from Micrometer's binders only: client_java's JvmMetrics beside
     * them would register conflicting families and break every scrape.
     *
     * @return what stops the GC notifications' listener
     */
    public static AutoCloseable bindJvm(MeterRegistry meters) {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        return gc;
    }
}
