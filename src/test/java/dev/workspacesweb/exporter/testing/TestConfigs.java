package dev.workspacesweb.exporter.testing;

import dev.workspacesweb.exporter.config.AgentConfig;
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
                SimulatorSettings.defaults());
    }

    public static AgentConfig withLimits(AgentConfig c, AgentConfig.Limits limits) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), limits, c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator());
    }

    public static AgentConfig withLabels(AgentConfig c, AgentConfig.Labels labels) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), labels, c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator());
    }

    public static AgentConfig withPoll(AgentConfig c, AgentConfig.Poll poll) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), poll, c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator());
    }

    public static AgentConfig withSimulator(AgentConfig c, SimulatorSettings simulator) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), simulator);
    }

    public static AgentConfig withAws(AgentConfig c, UnaryOperator<AgentConfig.Aws> change) {
        return new AgentConfig(c.server(), c.web(), c.source(), change.apply(c.aws()), c.poll(), c.limits(), c.labels(),
                c.metrics(), c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator());
    }
}
