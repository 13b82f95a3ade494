package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** Several agents, one simulator with many portals: each portal is polled by exactly one agent, before and after
 * the number of shards changes, and a change of count moves few portals. */
class ShardedAgentsTest {
    private static final int PORTALS = 40;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T08:00:00Z"));
    private final List<AgentRuntime> agents = new ArrayList<>();
    private SimulatorServer simulator;

    @AfterEach
    void stop() {
        agents.forEach(AgentRuntime::close);
        if (simulator != null) {
            simulator.close();
        }
    }

    private List<AgentRuntime> startShards(int count) {
        agents.forEach(AgentRuntime::close);
        agents.clear();
        for (int index = 0; index < count; index++) {
            AgentConfig base = TestConfigs.awsAt(TestConfigs.defaults(), simulator.endpoint().toString());
            AgentConfig sharded = new AgentConfig(base.server(), base.web(), base.source(), base.aws(), base.poll(),
                    base.limits(), base.labels(), base.metrics(), base.state(), base.otlp(), base.admin(), base.policies(),
                    new AgentConfig.Shard(count, index), base.simulator(), base.log(), base.geoip());
            agents.add(AgentRuntime.start(sharded, new AgentRuntime.Options(clock, false,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")),
                    BackoffStrategy.retryImmediately(), true)));
        }
        return agents;
    }

    /** portal id -> the indexes of the agents that polled it. */
    private Map<String, List<Integer>> pollers() {
        Map<String, List<Integer>> owners = new HashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            agents.get(i).scheduler().pollOnce();
            for (PortalView v : agents.get(i).store().views()) {
                if (v.up()) {
                    owners.computeIfAbsent(v.portalId(), k -> new ArrayList<>()).add(i);
                }
            }
            assertThat(Samples.of(agents.get(i).registry()).value("workspaces_web_shard_info",
                    "index", String.valueOf(i), "count", String.valueOf(agents.size()))).contains(1.0);
        }
        return owners;
    }

    @Test
    void everyPortalIsPolledByExactlyOneAgentAcrossACountChange() {
        SimulatorSettings many = new SimulatorSettings(4, 0, "us-east-1", "123456789012", PORTALS, 50, 0.0,
                Duration.ofMinutes(20), 1.0, 2, 0, 1, 20, 100, SimulatorSettings.Faults.none());
        simulator = SimulatorServer.start(many, clock, "127.0.0.1", 0);

        startShards(3);
        Map<String, List<Integer>> three = pollers();
        assertThat(three.keySet()).containsExactlyInAnyOrderElementsOf(simulator.portalIds());
        assertThat(three.values()).allSatisfy(owners -> assertThat(owners).hasSize(1));
        assertThat(three.values().stream().map(o -> o.get(0)).distinct()).hasSize(3);

        startShards(4);
        Map<String, List<Integer>> four = pollers();
        assertThat(four.keySet()).containsExactlyInAnyOrderElementsOf(simulator.portalIds());
        assertThat(four.values()).allSatisfy(owners -> assertThat(owners).hasSize(1));
        // Rendezvous hashing: a portal either stays with its shard or moves to the new one, never between old ones.
        long moved = 0;
        for (String portal : simulator.portalIds()) {
            int before = three.get(portal).get(0);
            int after = four.get(portal).get(0);
            if (before != after) {
                moved++;
                assertThat(after).as("portal %s moved from %d", portal, before).isEqualTo(3);
            }
        }
        assertThat(moved).as("portals moved to the new shard").isBetween(1L, (long) PORTALS / 2);
    }
}
