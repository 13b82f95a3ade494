package dev.workspacesweb.exporter.metrics;

import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.poll.PollListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own health: poll duration per portal (a Micrometer timer published as a histogram) and build info.
 */
public final class AgentMetrics implements PollListener {
    private static final Duration[] POLL_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)
    };

    private final MeterRegistry meters;
    private final Map<String, Timer> pollTimers = new ConcurrentHashMap<>();

    public AgentMetrics(MeterRegistry meters, PrometheusRegistry registry, BuildInfo build) {
        this.meters = meters;
        Gauge info = Gauge.builder()
                .name("workspaces_web_build_info")
                .help("Version, git revision and Java version of the running agent; always 1.")
                .labelNames("version", "revision", "java_version")
                .register(registry);
        info.labelValues(build.version(), build.revision(), build.javaVersion()).set(1);
    }

    @Override
    public void onCycle(PortalCycle cycle) {
        pollTimers.computeIfAbsent(cycle.view().portalId(), id -> Timer.builder("workspaces_web.poll.duration")
                        .description("Wall time of one poll of one portal (all its API calls)")
                        .tag("portal_id", id)
                        .serviceLevelObjectives(POLL_BUCKETS)
                        .register(meters))
                .record(cycle.pollDuration());
    }
}
