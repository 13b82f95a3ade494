package dev.workspacesweb.exporter.metrics;

import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.workspacesweb.exporter.poll.PortalDiscovery;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.Supplier;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own health: poll duration per portal (a Micrometer timer published as a histogram), build info,
 * discovery per account and region, and the outcome of the last configuration load.
 */
public final class AgentMetrics implements SnapshotStore.Subscriber {
    private static final Duration[] POLL_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)
    };

    private final MeterRegistry meters;
    private final PrometheusRegistry registry;
    private final Map<String, Timer> pollTimers = new ConcurrentHashMap<>();
    private final Gauge reloadSuccessful;
    private final Gauge reloadSuccessTime;

    public AgentMetrics(MeterRegistry meters, PrometheusRegistry registry, BuildInfo build) {
        this.meters = meters;
        this.registry = registry;
        Gauge info = Gauge.builder()
                .name("workspaces_web_build_info")
                .help("Version, git revision and Java version of the running agent; always 1.")
                .labelNames("version", "revision", "java_version")
                .register(registry);
        info.labelValues(build.version(), build.revision(), build.javaVersion()).set(1);
        reloadSuccessful = Gauge.builder()
                .name("workspaces_web_config_last_reload_successful")
                .help("1 if the last configuration reload succeeded (the start counts as one), 0 while a bad "
                        + "configuration is refused.")
                .register(registry);
        reloadSuccessTime = Gauge.builder()
                .name("workspaces_web_config_last_reload_success_timestamp_seconds")
                .unit(Unit.SECONDS)
                .help("Unix time of the last successful configuration load (start or reload).")
                .register(registry);
    }

    /**
     * {@code workspaces_web_discovery_up{account_id, region}}: 1 when the last discovery of that account and region
     * worked (ListPortals succeeded; with configured portals, the account's credentials could be obtained), else 0.
     * Read from {@code discovery} at each scrape, so a reload's new accounts show without re-registering.
     */
    public void discoveryUp(Supplier<Map<PortalDiscovery.AccountRegion, Boolean>> discovery) {
        GaugeWithCallback.builder()
                .name("workspaces_web_discovery_up")
                .help("1 if the last portal discovery of the account and region worked (ListPortals succeeded; for "
                        + "configured portals, the account's credentials could be obtained), else 0.")
                .labelNames("account_id", "region")
                .callback(callback -> discovery.get().forEach((where, up) ->
                        callback.call(up ? 1 : 0, where.accountId(), where.region())))
                .register(registry);
    }

    /**
     * The outcome of the last configuration (re)load, under the names Prometheus uses for its own:
     * {@code workspaces_web_config_last_reload_successful} and
     * {@code workspaces_web_config_last_reload_success_timestamp_seconds}. The start counts as the first load.
     */
    public void configLoaded(boolean successful, java.time.Instant at) {
        reloadSuccessful.set(successful ? 1 : 0);
        if (successful) {
            reloadSuccessTime.set(at.toEpochMilli() / 1000.0);
        }
    }

    /** {@code workspaces_web_shard_info{index, count} 1}: which share of the portals this replica polls. */
    public void shardInfo(int index, int count) {
        Gauge.builder()
                .name("workspaces_web_shard_info")
                .help("This replica's shard: it polls the portals that rendezvous hashing assigns to index out of count; always 1.")
                .labelNames("index", "count")
                .register(registry)
                .labelValues(String.valueOf(index), String.valueOf(count))
                .set(1);
    }

    /** A portal no longer polled: its poll timer goes, so its series disappear from /metrics. */
    @Override
    public void removed(String portalId) {
        Timer timer = pollTimers.remove(portalId);
        if (timer != null) {
            meters.remove(timer);
        }
    }

    @Override
    public void polled(PortalCycle cycle) {
        pollTimers.computeIfAbsent(cycle.view().portalId(), id -> Timer.builder("workspaces_web.poll.duration")
                        .description("Wall time of one poll of one portal (all its API calls)")
                        .tag("portal_id", id)
                        .serviceLevelObjectives(POLL_BUCKETS)
                        .register(meters))
                .record(cycle.pollDuration());
    }
}
