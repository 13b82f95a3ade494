package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.workspacesweb.exporter.testing.Workloads;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.testing.FreezableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.workspacesweb.exporter.testing.AgentProcess;
import dev.workspacesweb.exporter.testing.AgentProcesses;
import dev.workspacesweb.exporter.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a real process, killed with SIGKILL while sessions keep starting and ending, restarted on the same
 * state file: its counters and histogram account for every session, including those that ended while it was down,
 * exactly once, as the simulator's ground truth says.
 */
class RestartRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final FreezableClock clock = new FreezableClock();
    private final AgentProcesses agents = new AgentProcesses();
    private SimulatorServer simulator;

    @AfterEach
    void stop() {
        agents.close();
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void killedAndRestartedOnItsStateFileItCountsEverySessionOnce() throws Exception {
        simulator = SimulatorServer.start(Workloads.busyInRealTime(17), clock, "127.0.0.1", 0);
        Path state = dir.resolve("state.json");
        int port = Await.freePort();
        Path config = AgentProcess.writeConfig(dir, port, simulator.endpoint(), state, "500ms");

        // The baseline is taken while the simulated world stands still, so it is one well-defined instant.
        Instant baseline = clock.freeze();
        Process first = agents.start(config, dir.resolve("first.log"));
        Await.until("first agent ready", WAIT, () -> AgentProcess.ready(port));
        clock.unfreeze();
        Instant resumedAt = Instant.now();
        Await.until("first agent saved several cycles", WAIT, () -> AgentProcess.savedAfter(state, resumedAt.plusSeconds(2), 2));

        first.destroyForcibly(); // SIGKILL: no shutdown hook, no last write
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Instant killedAt = clock.instant();
        Await.until("sessions end while the agent is down", WAIT, () -> simulator.truth().portals().stream()
                .mapToLong(p -> p.endedSessions().stream().filter(s -> s.endTime().isAfter(killedAt)).count()).sum() >= 40);

        agents.start(config, dir.resolve("second.log"));
        Await.until("second agent ready", WAIT, () -> AgentProcess.ready(port));
        Instant frozen = clock.freeze();
        Instant frozenWall = Instant.now();
        // Wait for a cycle of every portal that began after the world stopped: it sees the final state.
        Await.until("second agent polled the frozen world", WAIT, () -> AgentProcess.savedAfter(state, frozenWall.plusMillis(100), 2));

        String metrics = AgentProcess.get(port, "/metrics").body();
        for (PortalTruth portal : simulator.truth().portals()) {
            String id = portal.portalId();
            long started = Stream.concat(portal.activeSessions().stream(), portal.endedSessions().stream())
                    .filter(s -> s.startTime().isAfter(baseline)).count();
            List<SessionRecord> ended = portal.endedSessions().stream().filter(s -> s.endTime().isAfter(baseline)).toList();
            long endedWhileDown = ended.stream().filter(s -> s.endTime().isAfter(killedAt)).count();
            assertThat(endedWhileDown).as("sessions that ended while the agent was down, portal %s", id).isPositive();
            assertThat(sample(metrics, "workspaces_web_sessions_started_total", id)).as("started %s", id).isEqualTo(started);
            assertThat(sample(metrics, "workspaces_web_sessions_ended_total", id)).as("ended %s", id).isEqualTo(ended.size());
            assertThat(sample(metrics, "workspaces_web_session_duration_seconds_count", id)).isEqualTo(ended.size());
            double sum = ended.stream().mapToDouble(s -> Duration.between(s.startTime(), s.endTime()).toMillis() / 1000.0).sum();
            assertThat(sampleValue(metrics, "workspaces_web_session_duration_seconds_sum", id)).isCloseTo(sum, within(1e-6 * Math.max(1, sum)));
            assertThat(sample(metrics, "workspaces_web_active_sessions", id)).isEqualTo(portal.activeSessions().size());
        }
        assertThat(frozen).isAfter(killedAt);
    }


    private static long sample(String metrics, String name, String portal) {
        return (long) sampleValue(metrics, name, portal);
    }

    private static double sampleValue(String metrics, String name, String portal) {
        Matcher m = Pattern.compile("^" + name + "\\{portal_id=\"" + portal + "\"\\} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as(name + " of " + portal).isTrue();
        return Double.parseDouble(m.group(1));
    }


}
