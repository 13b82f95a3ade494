package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.testing.CorruptingProxy;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** An endpoint that answers garbage for one portal: that portal is down and counted, the others carry on. */
class MalformedResponseTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T08:00:00Z"));
    private SimulatorServer simulator;
    private CorruptingProxy proxy;
    private AgentRuntime agent;
    private String broken;
    private String healthy;

    @BeforeEach
    void start() throws Exception {
        SimulatorSettings settings = new SimulatorSettings(9, 0, "us-east-1", "123456789012", 2, 100, 10.0,
                Duration.ofMinutes(10), 1.0, 30, 50, 2, 20, 100, SimulatorSettings.Faults.none());
        simulator = SimulatorServer.start(settings, clock, "127.0.0.1", 0);
        proxy = new CorruptingProxy(simulator.endpoint());
        AgentRuntime.Options options = new AgentRuntime.Options(clock, false,
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDTEST", "secret")),
                software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately(), true);
        agent = AgentRuntime.start(TestConfigs.awsAt(TestConfigs.defaults(), proxy.endpoint().toString()), options);
        broken = simulator.portalIds().get(0);
        healthy = simulator.portalIds().get(1);
        agent.scheduler().pollOnce();
    }

    @AfterEach
    void stop() {
        agent.close();
        proxy.close();
        simulator.close();
    }

    static Stream<Arguments> garbage() {
        return Stream.of(
                Arguments.of("truncated JSON", (UnaryOperator<String>) body -> body.substring(0, body.length() / 2)),
                Arguments.of("wrong types", (UnaryOperator<String>) body -> body.replaceFirst("\"sessions\":\\[", "\"sessions\":\"oops\",\"x\":[")),
                Arguments.of("timestamps as strings", (UnaryOperator<String>) body -> body.replaceAll("\"startTime\":([0-9.]+)", "\"startTime\":\"yesterday\"")),
                Arguments.of("not JSON at all", (UnaryOperator<String>) body -> "<html>502 Bad Gateway</html>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageForOnePortalIsAnErrorOfThatPortalOnly(String name, UnaryOperator<String> rewrite) throws Exception {
        proxy.corrupt(broken, rewrite);
        clock.advance(Duration.ofSeconds(30));
        agent.scheduler().pollOnce();

        PortalView down = agent.store().view(broken).orElseThrow();
        assertThat(down.up()).isFalse();
        assertThat(down.lastError()).startsWith("InvalidResponse");
        Samples samples = Samples.of(agent.registry());
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", broken)).contains(0.0);
        assertThat(samples.value("workspaces_web_api_request_errors_total", "operation", "ListSessions", "error", "InvalidResponse"))
                .hasValueSatisfying(v -> assertThat(v).isPositive());
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", healthy)).contains(1.0);
        assertThat(samples.value("workspaces_web_active_sessions", "portal_id", healthy))
                .contains((double) simulator.truth().portal(healthy).activeSessions().size());

        // The endpoint heals: the portal catches up exactly, nothing was counted from the garbage.
        proxy.corrupt(broken, UnaryOperator.identity());
        clock.advance(Duration.ofSeconds(30));
        agent.scheduler().pollOnce();
        samples = Samples.of(agent.registry());
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", broken)).contains(1.0);
        var truth = simulator.truth().portal(broken);
        assertThat(samples.value("workspaces_web_sessions_started_total", "portal_id", broken)).contains((double) truth.sessionsStarted());
        assertThat(samples.value("workspaces_web_sessions_ended_total", "portal_id", broken)).contains((double) truth.endedSessions().size());
    }

    @Test
    void unknownFieldsAreIgnoredAndHugePagesWork() {
        proxy.corrupt(broken, body -> body.replaceFirst("\\{", "{\"surprise\":{\"nested\":[1,2,{\"deep\":true}]},"));
        for (int i = 0; i < 2000; i++) {
            simulator.workload().startSession(broken, "bulk" + i + "@example.com", java.util.List.of("10.1." + (i / 250) + "." + (i % 250)));
        }
        clock.advance(Duration.ofSeconds(30));
        agent.scheduler().pollOnce();
        assertThat(agent.store().view(broken).orElseThrow().up()).isTrue();
        Samples samples = Samples.of(agent.registry());
        assertThat(samples.value("workspaces_web_active_sessions", "portal_id", broken))
                .contains((double) simulator.truth().portal(broken).activeSessions().size());
    }
}
