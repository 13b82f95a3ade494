package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.workspacesweb.exporter.testing.Workloads;
import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The agent's clock ten minutes ahead of or behind the service's (the simulator's, which its responses' {@code Date}
 * carries), far more than {@code poll.overlap} (2 min): the real SDK over HTTP, an hour of 30 s polls of a busy
 * workload, and every counter and the histogram equal the ground truth, sessions shorter than a poll included.
 */
class PortalPollerClockSkewTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @ParameterizedTest(name = "agent clock {0} minutes from the service''s")
    @ValueSource(ints = {10, -10})
    void countsAreExactWithTheAgentsClockTenMinutesOff(int minutes) {
        ManualClock service = new ManualClock(T0);
        InstantSource agentClock = () -> service.instant().plus(Duration.ofMinutes(minutes));
        try (SimulatorServer simulator = SimulatorServer.start(Workloads.busy(5), service, "127.0.0.1", 0);
                AgentRuntime agent = AgentRuntime.start(TestConfigs.awsAt(TestConfigs.defaults(), simulator.endpoint().toString()),
                        new AgentRuntime.Options(agentClock, false,
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")),
                                BackoffStrategy.retryImmediately(), true))) {
            Random jitter = new Random(3);
            agent.scheduler().pollOnce(); // the baseline
            for (int cycle = 0; cycle < 120; cycle++) {
                service.advance(Duration.ofMillis(27_000 + jitter.nextInt(6_000)));
                agent.scheduler().pollOnce();
            }

            Samples samples = Samples.of(agent.registry());
            long shortLived = 0;
            long started = 0;
            long endedTotal = 0;
            for (PortalTruth portal : simulator.truth().portals()) {
                String id = portal.portalId();
                List<SessionRecord> ended = portal.endedSessions();
                shortLived += ended.stream().filter(s -> s.startTime().isAfter(T0)
                        && Duration.between(s.startTime(), s.endTime()).toSeconds() < 30).count();
                ExactAccountingTest.assertCountersAndDurations(samples, portal);
                assertThat(samples.value("workspaces_web_active_sessions", "portal_id", id))
                        .contains((double) portal.activeSessions().size());
                // Ages by the service's clock too: its Date header is to the second, the age within that second.
                Instant oldest = portal.activeSessions().stream().map(SessionRecord::startTime).min(Instant::compareTo).orElseThrow();
                assertThat(samples.value("workspaces_web_oldest_active_session_age_seconds", "portal_id", id).orElseThrow())
                        .isCloseTo(Duration.between(oldest, service.instant()).toMillis() / 1000.0, within(1.0));
                started += portal.sessionsStarted();
                endedTotal += ended.size();
            }
            assertThat(shortLived).as("sessions shorter than a poll").isGreaterThan(50);
            System.out.printf("PortalPollerClockSkewTest: agent clock %+d min: 121 polls, %d started, %d ended (%d shorter "
                    + "than a poll), all equal to the ground truth%n", minutes, started, endedTotal, shortLived);
        }
    }
}
