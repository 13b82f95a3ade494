package dev.workspacesweb.exporter.testing;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.ConfigLoader;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Configurations for tests: the documented defaults, with the parts a test changes replaced. */
public final class TestConfigs {
    private TestConfigs() {}

    /**
     * The built-in defaults ({@code defaults.yaml}, the one place they are set) on the embedded simulator, listening
     * on an ephemeral loopback port, without a client-side rate limit.
     */
    public static AgentConfig defaults() {
        AgentConfig d = ConfigLoader.defaults();
        AgentConfig.Aws a = d.aws();
        AgentConfig.Aws unlimited = new AgentConfig.Aws(a.regions(), a.endpoint(), a.portals(), 0, a.maxConcurrency(),
                a.pageSize(), a.apiCallTimeout(), a.apiCallAttemptTimeout(), a.maxAttempts(), a.roleArn(), a.externalId());
        return new AgentConfig(new AgentConfig.Server("127.0.0.1", 0), d.web(), AgentConfig.Source.SIMULATOR, unlimited,
                d.poll(), d.limits(), d.labels(), d.metrics(), d.state(), d.otlp(), d.admin(), d.policies(), d.shard(),
                d.simulator(), d.log(), d.geoip());
    }

    public static AgentConfig withLimits(AgentConfig c, AgentConfig.Limits limits) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), limits, c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log(), c.geoip());
    }

    public static AgentConfig withLabels(AgentConfig c, AgentConfig.Labels labels) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), labels, c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log(), c.geoip());
    }

    public static AgentConfig withPoll(AgentConfig c, AgentConfig.Poll poll) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), poll, c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log(), c.geoip());
    }

    /** The poll state persisted to {@code path}. */
    public static AgentConfig withState(AgentConfig c, java.nio.file.Path path) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), c.labels(), c.metrics(),
                new AgentConfig.State(path.toString()), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log(),
                c.geoip());
    }

    /** The embedded simulator with a test's workload (the simulator's own settings, as the config would give them). */
    public static AgentConfig withSimulator(AgentConfig c, SimulatorSettings s) {
        SimulatorSettings.Faults f = s.faults();
        AgentConfig.Simulator simulator = new AgentConfig.Simulator(s.seed(), s.port(), s.region(), s.accountId(),
                s.portals(), s.users(), s.arrivalsPerMinute(), s.medianSessionDuration(), s.durationSigma(),
                s.initialActiveSessions(), s.historySessions(), s.maxIpsPerSession(), s.defaultPageSize(),
                s.maxPageSize(), new AgentConfig.Simulator.Faults(f.throttleProbability(), f.internalErrorProbability(),
                        f.expiredTokenProbability(), f.latency(), f.accessDeniedPortals(), f.retryAfterSeconds(),
                        f.refusedRoles(), f.accessDeniedAccounts()),
                s.accounts().stream().map(a -> new AgentConfig.Simulator.Account(a.accountId(), a.region(), a.portals(),
                        a.externalId())).toList(),
                s.clientNetworks().stream().map(dev.workspacesweb.exporter.config.Cidr::parse).toList());
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), simulator, c.log(), c.geoip());
    }

    /** Polls a real (or proxied) endpoint with {@code source: aws} instead of starting the embedded simulator. */
    public static AgentConfig awsAt(AgentConfig c, String endpoint) {
        AgentConfig pointed = withAws(c, a -> new AgentConfig.Aws(List.of("us-east-1"), endpoint, a.portals(),
                a.maxRequestsPerSecond(), a.maxConcurrency(), a.pageSize(), a.apiCallTimeout(), a.apiCallAttemptTimeout(),
                a.maxAttempts(), "", ""));
        return new AgentConfig(pointed.server(), pointed.web(), AgentConfig.Source.AWS, pointed.aws(), pointed.poll(),
                pointed.limits(), pointed.labels(), pointed.metrics(), pointed.state(), pointed.otlp(), pointed.admin(),
                pointed.policies(), pointed.shard(), pointed.simulator(), pointed.log(), pointed.geoip());
    }

    public static AgentConfig withAws(AgentConfig c, UnaryOperator<AgentConfig.Aws> change) {
        return new AgentConfig(c.server(), c.web(), c.source(), change.apply(c.aws()), c.poll(), c.limits(), c.labels(),
                c.metrics(), c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log(), c.geoip());
    }
}
