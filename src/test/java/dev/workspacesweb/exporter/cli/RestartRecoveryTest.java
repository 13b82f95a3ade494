package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.testing.FreezableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();
    private SimulatorServer simulator;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void killedAndRestartedOnItsStateFileItCountsEverySessionOnce() throws Exception {
        // Busy in real time: about 4 arrivals a second per portal, most sessions a few seconds long.
        SimulatorSettings busy = new SimulatorSettings(17, 0, "us-east-1", "123456789012", 2, 300, 240.0,
                Duration.ofSeconds(6), 1.0, 20, 20, 2, 20, 100, SimulatorSettings.Faults.none());
        simulator = SimulatorServer.start(busy, clock, "127.0.0.1", 0);
        Path state = dir.resolve("state.json");
        int port = Await.freePort();
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                server: { host: 127.0.0.1, port: %d }
                source: aws
                aws:
                  regions: [us-east-1]
                  endpoint: "%s"
                  max_requests_per_second: 0
                  max_attempts: 2
                poll: { interval: 500ms, overlap: 2m }
                state: { path: "%s" }
                """.formatted(port, simulator.endpoint(), state));

        // The baseline is taken while the simulated world stands still, so it is one well-defined instant.
        Instant baseline = clock.freeze();
        Process first = startAgent(config, "first.log");
        Await.until("first agent ready", WAIT, () -> ready(port));
        clock.unfreeze();
        Instant resumedAt = Instant.now();
        Await.until("first agent saved several cycles", WAIT, () -> savedAfter(state, resumedAt.plusSeconds(2)));

        first.destroyForcibly(); // SIGKILL: no shutdown hook, no last write
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Instant killedAt = clock.instant();
        Await.until("sessions end while the agent is down", WAIT, () -> simulator.truth().portals().stream()
                .mapToLong(p -> p.endedSessions().stream().filter(s -> s.endTime().isAfter(killedAt)).count()).sum() >= 40);

        startAgent(config, "second.log");
        Await.until("second agent ready", WAIT, () -> ready(port));
        Instant frozen = clock.freeze();
        Instant frozenWall = Instant.now();
        // Wait for a cycle of every portal that began after the world stopped: it sees the final state.
        Await.until("second agent polled the frozen world", WAIT, () -> savedAfter(state, frozenWall.plusMillis(100)));

        String metrics = get(port, "/metrics");
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

    private Process startAgent(Path config, String log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", classpath, Main.class.getName(), "run", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test-secret");
        pb.environment().put("AWS_REGION", "us-east-1");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private boolean ready(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether every portal in the state file had a successful cycle that started after {@code after}. */
    private boolean savedAfter(Path state, Instant after) {
        try {
            JsonNode portals = json.readTree(Files.readAllBytes(state)).get("portals");
            if (portals == null || portals.size() < 2) {
                return false;
            }
            for (JsonNode p : portals) {
                JsonNode last = p.get("lastSuccess");
                if (last == null || last.isNull() || !Instant.parse(last.asText()).isAfter(after)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // not written yet
        }
    }

    private String get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
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
