package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionAccounting;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.simulator.Truth;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The numbers stay exact while the API misbehaves: throttling, internal errors, latency and expired pagination
 * tokens over a long run; and one portal that denies access never blanks or stalls the others.
 */
class FaultToleranceTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private AgentRuntime agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private static SimulatorSettings workload(SimulatorSettings.Faults faults) {
        return new SimulatorSettings(21, 0, "us-east-1", "123456789012", 2, 200, 20.0, Duration.ofMinutes(5), 1.4,
                20, 200, 3, 20, 100, faults);
    }

    @Test
    void countsStayExactUnderThrottlingErrorsLatencyAndExpiredTokens() {
        ManualClock clock = new ManualClock(T0);
        // Retry-After 0 keeps the SDK's retries fast; the faults themselves are as the issue names them.
        SimulatorSettings.Faults faults = new SimulatorSettings.Faults(0.20, 0.05, 0.05, Duration.ofMillis(1), List.of(), 0);
        AgentConfig config = TestConfigs.withSimulator(TestConfigs.defaults(), workload(SimulatorSettings.Faults.none()));
        // The SDK's adaptive strategy would answer 20 % throttling by slowing the client to a crawl, in real time;
        // the standard strategy retries the same way without that, so simulated hours stay seconds.
        agent = AgentRuntime.start(config, AgentRuntime.Options.forTests(clock).withStandardRetries());
        agent.scheduler().pollOnce(); // a clean baseline at the simulator's start
        agent.simulator().faults(faults);

        Map<String, SessionAccounting> last = new HashMap<>();
        int failedPolls = 0;
        for (int cycle = 0; cycle < 120; cycle++) {
            clock.advance(Duration.ofSeconds(30));
            for (var c : agent.scheduler().pollOnce()) {
                if (!c.view().up()) {
                    failedPolls++;
                }
                SessionAccounting acc = c.view().accounting();
                SessionAccounting before = last.put(c.view().portalId(), acc);
                if (before != null) {
                    assertThat(acc.started()).as("started never goes down").isGreaterThanOrEqualTo(before.started());
                    assertThat(acc.ended()).as("ended never goes down").isGreaterThanOrEqualTo(before.ended());
                }
            }
        }
        // The faults did bite: some polls failed as a whole and were simply done again by the next cycle.
        assertThat(failedPolls).as("polls that failed after the SDK's retries").isPositive();
        Map<String, Map<String, Long>> requests = agent.simulator().requestCounts();
        assertThat(requests.get("ListSessions")).containsKeys("ThrottlingException", "InternalServerException", "ValidationException");

        agent.simulator().faults(SimulatorSettings.Faults.none());
        agent.scheduler().pollOnce(); // same instant: catches up whatever the last failed cycles left

        Truth truth = agent.simulator().workload().truth();
        Samples samples = Samples.of(agent.registry());
        for (PortalTruth portal : truth.portals()) {
            ExactAccountingTest.assertCountersAndDurations(samples, portal);
            assertThat(samples.value("workspaces_web_active_sessions", "portal_id", portal.portalId()))
                    .contains((double) portal.activeSessions().size());
        }
        // The agent's own API metrics agree with what the endpoint received, request for request.
        requests = agent.simulator().requestCounts();
        for (String op : List.of("ListPortals", "ListSessions", "GetSession")) {
            long total = requests.getOrDefault(op, Map.of()).values().stream().mapToLong(Long::longValue).sum();
            assertThat(samples.value("workspaces_web_api_requests_total", "operation", op)).as(op).contains((double) total);
            requests.getOrDefault(op, Map.of()).forEach((outcome, n) -> {
                if (!outcome.equals("200")) {
                    assertThat(samples.value("workspaces_web_api_request_errors_total", "operation", op, "error", outcome))
                            .as("%s %s", op, outcome).contains((double) n);
                }
            });
        }
    }

    @Test
    void aPortalThatDeniesAccessIsDownWithoutTouchingTheOthersAndGoesStale() {
        ManualClock clock = new ManualClock(T0);
        AgentConfig config = TestConfigs.withSimulator(TestConfigs.defaults(), workload(SimulatorSettings.Faults.none()));
        agent = AgentRuntime.start(config, AgentRuntime.Options.forTests(clock));
        String denied = agent.simulator().portalIds().get(1);
        String healthy = agent.simulator().portalIds().get(0);
        agent.scheduler().pollOnce();
        agent.simulator().faults(new SimulatorSettings.Faults(0, 0, 0, Duration.ZERO, List.of(1), 0));

        clock.advance(Duration.ofSeconds(30));
        agent.scheduler().pollOnce();
        PortalView down = agent.store().view(denied).orElseThrow();
        assertThat(down.up()).isFalse();
        assertThat(down.lastError()).startsWith("AccessDeniedException");
        Samples samples = Samples.of(agent.registry());
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", denied)).contains(0.0);
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", healthy)).contains(1.0);
        assertThat(samples.value("workspaces_web_active_sessions", "portal_id", denied))
                .as("last good data kept until stale").isPresent();
        assertThat(samples.value("workspaces_web_api_request_errors_total", "operation", "ListSessions", "error", "AccessDeniedException"))
                .contains(1.0);

        // stale_after defaults to 3 x 30 s: after that the denied portal shows its health, not old sessions.
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(30));
            agent.scheduler().pollOnce();
        }
        samples = Samples.of(agent.registry());
        assertThat(samples.value("workspaces_web_active_sessions", "portal_id", denied)).isEmpty();
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", denied)).contains(0.0);
        assertThat(samples.value("workspaces_web_sessions_started_total", "portal_id", denied))
                .as("counters are cumulative and stay").isPresent();
        assertThat(samples.value("workspaces_web_active_sessions", "portal_id", healthy))
                .contains((double) agent.simulator().truth().portal(healthy).activeSessions().size());

        // Access comes back: the portal resumes from its last good state and catches up exactly.
        agent.simulator().faults(SimulatorSettings.Faults.none());
        clock.advance(Duration.ofSeconds(30));
        agent.scheduler().pollOnce();
        PortalTruth truth = agent.simulator().truth().portal(denied);
        samples = Samples.of(agent.registry());
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", denied)).contains(1.0);
        assertThat(samples.value("workspaces_web_sessions_started_total", "portal_id", denied)).contains((double) truth.sessionsStarted());
        assertThat(samples.value("workspaces_web_sessions_ended_total", "portal_id", denied)).contains((double) truth.endedSessions().size());
    }
}
