package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.simulator.Truth;
import dev.workspacesweb.exporter.simulator.Workload;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * A scripted simulator (no random sessions: every session comes from the test) on 127.0.0.1:0 with a manual clock,
 * and the agent's real gateway pointed at it. Shared by the cli, http and policy tests.
 */
public final class SimulatedAws implements AutoCloseable {
    public static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    public final ManualClock clock = new ManualClock(T0);
    public final SimulatorServer simulator;
    public final WorkSpacesWebGateway gateway;

    /** @param pageSize the simulator's page size and the gateway's maxResults, small to force many pages */
    public SimulatedAws(int portals, int pageSize) {
        SimulatorSettings settings = new SimulatorSettings(11, 0, "us-east-1", "123456789012", portals, 50, 0,
                Duration.ofMinutes(20), 1.0, 0, 0, 3, pageSize, pageSize, SimulatorSettings.Faults.none());
        simulator = SimulatorServer.start(settings, clock, "127.0.0.1", 0);
        AgentConfig.Aws aws = TestConfigs.withAws(TestConfigs.defaults(), a -> new AgentConfig.Aws(List.of("us-east-1"),
                simulator.endpoint().toString(), List.of(), 0, 4, pageSize, Duration.ofSeconds(10), Duration.ofSeconds(5), 2,
                "", "")).aws();
        gateway = WorkSpacesWebGateway.create("us-east-1", aws,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")),
                new SimpleMeterRegistry(), BackoffStrategy.retryImmediately());
    }

    public Workload workload() {
        return simulator.workload();
    }

    public String portal(int index) {
        return simulator.portalIds().get(index);
    }

    public String endpoint() {
        return simulator.endpoint().toString();
    }

    /** Starts a session {@code ago} before the clock's now. */
    public SessionRecord start(String portalId, String username, Duration ago, String... ips) {
        return workload().startSession(portalId, username, List.of(ips), clock.instant().minus(ago));
    }

    public Truth truth() {
        return simulator.truth();
    }

    public SessionRecord.Status status(String portalId, String sessionId) {
        return workload().session(portalId, sessionId).orElseThrow().status();
    }

    @Override
    public void close() {
        gateway.close();
        simulator.close();
    }
}
