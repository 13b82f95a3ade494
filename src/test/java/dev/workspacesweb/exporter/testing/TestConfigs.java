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

    public static AgentConfig defaults() {
        return new AgentConfig(
                new AgentConfig.Server("127.0.0.1", 0),
                new AgentConfig.Web(""),
                AgentConfig.Source.SIMULATOR,
                new AgentConfig.Aws(List.of("us-east-1"), "", List.of(), 0, 8, 100, Duration.ofSeconds(30),
                        Duration.ofSeconds(10), 4, "", ""),
                new AgentConfig.Poll(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(2),
                        Duration.ofMinutes(5), Duration.ZERO),
                new AgentConfig.Limits(1000, 1000),
                new AgentConfig.Labels(AgentConfig.UsernameMode.PLAIN, AgentConfig.ClientIpMode.PLAIN, ""),
                new AgentConfig.Metrics(List.of(30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0,
                        43200.0, 86400.0), true),
                new AgentConfig.State(""),
                new AgentConfig.Otlp(false, "", Duration.ofSeconds(60), Map.of()),
                new AgentConfig.Admin(false, ""),
                List.of(),
                new AgentConfig.Shard(1, 0),
                ConfigLoader.defaults().simulator(),
                ConfigLoader.defaults().log());
    }

    public static AgentConfig withLimits(AgentConfig c, AgentConfig.Limits limits) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), limits, c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log());
    }

    public static AgentConfig withLabels(AgentConfig c, AgentConfig.Labels labels) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), labels, c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log());
    }

    public static AgentConfig withPoll(AgentConfig c, AgentConfig.Poll poll) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), poll, c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log());
    }

    /** The embedded simulator with a test's workload (the simulator's own settings, as the config would give them). */
    public static AgentConfig withSimulator(AgentConfig c, SimulatorSettings s) {
        SimulatorSettings.Faults f = s.faults();
        if (!s.accounts().isEmpty() || !f.refusedRoles().isEmpty() || !f.accessDeniedAccounts().isEmpty()) {
            // simulator.* has no keys for these (yet): they would be lost on the way through the config.
            throw new IllegalArgumentException("simulated accounts and STS faults are not simulator.* keys");
        }
        AgentConfig.Simulator simulator = new AgentConfig.Simulator(s.seed(), s.port(), s.region(), s.accountId(),
                s.portals(), s.users(), s.arrivalsPerMinute(), s.medianSessionDuration(), s.durationSigma(),
                s.initialActiveSessions(), s.historySessions(), s.maxIpsPerSession(), s.defaultPageSize(),
                s.maxPageSize(), new AgentConfig.Simulator.Faults(f.throttleProbability(), f.internalErrorProbability(),
                        f.expiredTokenProbability(), f.latency(), f.accessDeniedPortals(), f.retryAfterSeconds()));
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), simulator, c.log());
    }

    /** Polls a real (or proxied) endpoint with {@code source: aws} instead of starting the embedded simulator. */
    public static AgentConfig awsAt(AgentConfig c, String endpoint) {
        AgentConfig pointed = withAws(c, a -> new AgentConfig.Aws(List.of("us-east-1"), endpoint, a.portals(),
                a.maxRequestsPerSecond(), a.maxConcurrency(), a.pageSize(), a.apiCallTimeout(), a.apiCallAttemptTimeout(),
                a.maxAttempts(), "", ""));
        return new AgentConfig(pointed.server(), pointed.web(), AgentConfig.Source.AWS, pointed.aws(), pointed.poll(),
                pointed.limits(), pointed.labels(), pointed.metrics(), pointed.state(), pointed.otlp(), pointed.admin(),
                pointed.policies(), pointed.shard(), pointed.simulator(), pointed.log());
    }

    public static AgentConfig withAws(AgentConfig c, UnaryOperator<AgentConfig.Aws> change) {
        return new AgentConfig(c.server(), c.web(), c.source(), change.apply(c.aws()), c.poll(), c.limits(), c.labels(),
                c.metrics(), c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log());
    }
}
