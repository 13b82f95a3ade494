package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import java.util.List;

/** Small, explicit rewrites of a validated config (whole records are replaced, never mutated). */
final class Configs {
    private Configs() {}

    /**
     * The same config pointed at the embedded simulator: its endpoint and region, and no client-side rate limit
     * ({@code aws.max_requests_per_second} protects AWS, not a process on the same machine; at 20/s it alone made
     * the first poll of the default simulator take seconds).
     */
    static AgentConfig pointedAt(AgentConfig c, String endpoint, String region) {
        AgentConfig.Aws a = c.aws();
        // The accounts keep their roles (assumed through the simulated STS) and their own regions.
        AgentConfig.Aws aws = new AgentConfig.Aws(List.of(region), endpoint, a.portals(), 0,
                a.maxConcurrency(), a.pageSize(), a.apiCallTimeout(), a.apiCallAttemptTimeout(), a.maxAttempts(),
                a.roleArn(), a.externalId(), a.accounts());
        return new AgentConfig(c.server(), c.web(), c.source(), aws, c.poll(), c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log(), c.geoip());
    }

    /**
     * {@code next} with the keys that cannot change in a running process set back to their {@code running} values:
     * the listener ({@code server.host}, {@code server.port}) and its TLS and auth ({@code web.config_file}), the
     * data source and the embedded simulator, where state is kept ({@code state.path}), the duration histogram's
     * buckets (the exact accounting is kept in them), the OTLP pusher, the admin API, the shard, the log settings and the
     * GeoIP databases' paths (opened at start-up; a replaced file is picked up without a reload). The keys that
     * differed are added to {@code kept}, for the warning.
     */
    static AgentConfig keepRestartOnly(AgentConfig running, AgentConfig next, List<String> kept) {
        AgentConfig.Server server = next.server();
        if (!server.host().equals(running.server().host())) {
            kept.add("server.host");
        }
        if (server.port() != running.server().port()) {
            kept.add("server.port");
        }
        server = running.server();
        keep(kept, "web.config_file", running.web(), next.web());
        keep(kept, "source", running.source(), next.source());
        keep(kept, "state.path", running.state(), next.state());
        keep(kept, "metrics.duration_buckets", running.metrics().durationBuckets(), next.metrics().durationBuckets());
        AgentConfig.Metrics metrics = new AgentConfig.Metrics(running.metrics().durationBuckets(),
                next.metrics().nativeHistograms());
        keep(kept, "otlp", running.otlp(), next.otlp());
        keep(kept, "admin", running.admin(), next.admin());
        keep(kept, "shard", running.shard(), next.shard());
        keep(kept, "simulator", running.simulator(), next.simulator());
        keep(kept, "log", running.log(), next.log());
        keep(kept, "geoip", running.geoip(), next.geoip());
        return new AgentConfig(server, running.web(), running.source(), next.aws(), next.poll(), next.limits(),
                next.labels(), metrics, running.state(), running.otlp(), running.admin(), next.policies(),
                running.shard(), running.simulator(), running.log(), running.geoip());
    }

    private static void keep(List<String> kept, String key, Object running, Object next) {
        if (!running.equals(next)) {
            kept.add(key);
        }
    }
}
