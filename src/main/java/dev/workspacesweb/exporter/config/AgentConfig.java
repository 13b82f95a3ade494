package dev.workspacesweb.exporter.config;

import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole, validated, immutable configuration of the agent. Built in one place ({@link ConfigLoader}) from
 * {@code config.yaml} plus environment overrides, and swapped whole, never mutated.
 */
public record AgentConfig(
        Server server,
        Web web,
        Source source,
        Aws aws,
        Poll poll,
        Limits limits,
        Labels labels,
        Metrics metrics,
        State state,
        Otlp otlp,
        Admin admin,
        List<Policy> policies,
        Shard shard,
        SimulatorSettings simulator) {

    public AgentConfig {
        policies = List.copyOf(policies);
    }

    public enum Source { SIMULATOR, AWS }

    /** {@code server.host}, {@code server.port}. */
    public record Server(String host, int port) {}

    /** {@code web.config_file}: exporter-toolkit web config (TLS, basic auth); empty = plain HTTP, no auth. */
    public record Web(String configFile) {}

    /**
     * {@code aws.*}. {@code portals} holds portal IDs or portal ARNs; empty means discover every portal with
     * ListPortals in every region.
     */
    public record Aws(
            List<String> regions,
            String endpoint,
            List<String> portals,
            double maxRequestsPerSecond,
            int maxConcurrency,
            int pageSize,
            Duration apiCallTimeout,
            Duration apiCallAttemptTimeout,
            int maxAttempts,
            String roleArn,
            String externalId) {
        public Aws {
            regions = List.copyOf(regions);
            portals = List.copyOf(portals);
        }
    }

    /**
     * {@code poll.*}. A zero {@code ipRefreshInterval} never refreshes client IPs after the first fetch.
     * {@code staleAfter} is always positive: the loader turns {@code stale_after: 0s} into 3 x {@code interval}.
     */
    public record Poll(
            Duration interval,
            Duration ipRefreshInterval,
            Duration overlap,
            Duration discoveryInterval,
            Duration staleAfter) {}

    /** {@code limits.*}: caps on per-user and per-IP series per portal; the rest is folded into {@code __other__}. */
    public record Limits(int maxUsersPerPortal, int maxClientIpsPerPortal) {}

    public enum UsernameMode { PLAIN, HASH, DROP }

    public enum ClientIpMode { PLAIN, HASH, PREFIX, DROP }

    /** {@code labels.*}: how usernames and client IPs appear as label values. */
    public record Labels(UsernameMode username, ClientIpMode clientIp, String hashKey) {}

    /** {@code metrics.*}: classic bucket bounds of the duration histogram, in seconds. */
    public record Metrics(List<Double> durationBuckets, boolean nativeHistograms) {
        public Metrics {
            durationBuckets = List.copyOf(durationBuckets);
        }
    }

    /** {@code state.path}: where poll state is persisted; empty = in memory only. */
    public record State(String path) {}

    /** {@code otlp.*}: optional OTLP/HTTP push. */
    public record Otlp(boolean enabled, String endpoint, Duration interval, Map<String, String> headers) {
        public Otlp {
            headers = Map.copyOf(headers);
        }
    }

    /** {@code admin.*}: the session-control HTTP API, off by default. */
    public record Admin(boolean enabled, String tokenFile) {}

    /**
     * One entry of {@code policies}. Exactly one of the rule fields is set; the others are null.
     * {@code dryRun} defaults to true.
     */
    public record Policy(
            String name,
            Duration maxSessionDuration,
            List<String> denyClientCidrs,
            Integer maxSessionsPerUser,
            boolean dryRun) {
        public Policy {
            denyClientCidrs = denyClientCidrs == null ? null : List.copyOf(denyClientCidrs);
        }
    }

    /** {@code shard.*}: {@code index} is -1 when configured as {@code auto} and resolved at start-up. */
    public record Shard(int count, int index) {}
}
