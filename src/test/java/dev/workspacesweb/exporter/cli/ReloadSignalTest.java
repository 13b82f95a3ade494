package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.testing.FreezableClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.workspacesweb.exporter.testing.AgentProcess;
import dev.workspacesweb.exporter.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a real process: its account's role is assumed through the STS endpoint named by the standard
 * {@code AWS_ENDPOINT_URL_STS} variable; {@code kill -HUP} reloads the file (a good one applies a new limit, a bad
 * one is refused with its key and line and the gauge says 0, a good one again sets it back to 1), and the counters
 * continue across the reloads exactly as the simulator's ground truth says.
 */
class ReloadSignalTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String BLUE = "210987654321";
    private static final String BLUE_ROLE = "arn:aws:iam::" + BLUE + ":role/WorkSpacesWebExporter";

    @TempDir
    Path dir;

    private final FreezableClock clock = new FreezableClock();
    private SimulatorServer simulator;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    private String config(int port, Path state, int maxUsers, String interval) {
        return """
                server: { host: 127.0.0.1, port: %d }
                source: aws
                aws:
                  regions: [us-east-1]
                  endpoint: "%s"
                  role_arn: "%s"
                  max_requests_per_second: 0
                  max_attempts: 2
                poll:
                  interval: %s
                  overlap: 2m
                limits:
                  max_users_per_portal: %d
                state: { path: "%s" }
                """.formatted(port, simulator.endpoint(), BLUE_ROLE, interval, maxUsers, state);
    }

    @Test
    void sighupReloadsGoodAndRefusesBadFilesWhileCountersContinue() throws Exception {
        // About 2 arrivals a second per portal, sessions of a few seconds; a default account beside the role's.
        SimulatorSettings busy = new SimulatorSettings(29, 0, "us-east-1", "123456789012", 1, 60, 120.0,
                Duration.ofSeconds(8), 1.0, 15, 20, 2, 20, 100, SimulatorSettings.Faults.none())
                .withAccounts(List.of(new SimulatorSettings.Account(BLUE, "us-east-1", 2, "")));
        simulator = SimulatorServer.start(busy, clock, "127.0.0.1", 0);
        int port = Await.freePort();
        Path state = dir.resolve("state.json");
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, config(port, state, 1000, "500ms"));

        Instant baseline = clock.freeze();
        agent = start(file);
        Await.until("agent ready", WAIT, () -> AgentProcess.ready(port));
        clock.unfreeze();
        List<String> blue = simulator.truth().portalsOf(BLUE).stream().map(PortalTruth::portalId).toList();
        String metrics = get(port, "/metrics");
        for (String id : blue) {
            assertThat(value(metrics, "workspaces_web_portal_info", "portal_id", id, "account_id", BLUE))
                    .hasValue(1.0);
        }
        String defaultPortal = simulator.truth().portalsOf("123456789012").get(0).portalId();
        assertThat(value(metrics, "workspaces_web_portal_up", "portal_id", defaultPortal)).isEmpty();
        assertThat(value(metrics, "workspaces_web_discovery_up", "account_id", BLUE, "region", "us-east-1"))
                .hasValue(1.0);
        double loadedAt = value(metrics, "workspaces_web_config_last_reload_success_timestamp_seconds").orElseThrow();

        // A good file: one user per portal, the rest folded into __other__.
        Files.writeString(file, config(port, state, 1, "500ms"));
        hangUp();
        Await.until("reloaded with the new limit", WAIT, () -> {
            String m = get(port, "/metrics");
            return value(m, "workspaces_web_config_last_reload_success_timestamp_seconds").orElse(0) > loadedAt
                    && value(m, "workspaces_web_series_dropped", "portal_id", blue.get(0)).orElse(-1) >= 0
                    && count(m, "workspaces_web_user_active_sessions", "portal_id", blue.get(0)) <= 2;
        });
        assertThat(value(get(port, "/metrics"), "workspaces_web_config_last_reload_successful")).hasValue(1.0);

        // A bad file: refused, named by key and line in the log; the gauge is 0 and polling goes on.
        Files.writeString(file, config(port, state, 1, "half a second"));
        hangUp();
        Await.until("bad reload refused", WAIT, () ->
                value(get(port, "/metrics"), "workspaces_web_config_last_reload_successful").orElse(-1) == 0.0);
        assertThat(Files.readString(dir.resolve("agent.log"))).contains("poll.interval (line 10)")
                .contains("the running configuration stays");

        // Good again.
        Files.writeString(file, config(port, state, 1, "500ms"));
        hangUp();
        Await.until("good reload", WAIT, () ->
                value(get(port, "/metrics"), "workspaces_web_config_last_reload_successful").orElse(-1) == 1.0);

        // Let enough of the simulated world happen that the comparison means something (a condition, not a
        // sleep: on a fast machine the reloads above take less time than a dozen arrivals).
        Await.until("more than 10 sessions started in every portal", WAIT, () -> blue.stream()
                .allMatch(id -> startedSince(simulator.truth().portal(id), baseline) > 10));
        // Stop the simulated world, wait for a cycle of every portal that saw it, compare with the ground truth.
        clock.freeze();
        Instant frozenWall = Instant.now();
        Await.until("polled the frozen world", WAIT, () -> AgentProcess.savedAfter(state, frozenWall.plusMillis(100), blue.size()));
        String last = get(port, "/metrics");
        for (String id : blue) {
            PortalTruth portal = simulator.truth().portal(id);
            long started = startedSince(portal, baseline);
            List<SessionRecord> ended = portal.endedSessions().stream()
                    .filter(s -> s.endTime().isAfter(baseline)).toList();
            assertThat(started).as("sessions started during the run").isGreaterThan(10);
            assertThat(value(last, "workspaces_web_sessions_started_total", "portal_id", id)).as("started %s", id)
                    .hasValue((double) started);
            assertThat(value(last, "workspaces_web_sessions_ended_total", "portal_id", id)).as("ended %s", id)
                    .hasValue((double) ended.size());
            assertThat(value(last, "workspaces_web_active_sessions", "portal_id", id))
                    .hasValue((double) portal.activeSessions().size());
        }
        assertThat(simulator.requestCounts().get("AssumeRole")).containsKey("200");
    }

    private Process start(Path config) throws IOException {
        Map<String, String> env = new HashMap<>(AgentProcess.TEST_AWS);
        env.put("AWS_ACCESS_KEY_ID", "AKIDBASE");
        env.put("AWS_SECRET_ACCESS_KEY", "base-secret");
        // The standard variable: without it STS would be the real regional endpoint and the role never assumed.
        env.put("AWS_ENDPOINT_URL_STS", simulator.endpoint().toString());
        return AgentProcess.start(config, dir.resolve("agent.log"), env);
    }

    private void hangUp() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static String get(int port, String path) {
        HttpResponse<String> res = AgentProcess.get(port, path);
        return res == null ? "" : res.body();
    }

    private static Pattern line(String name) {
        return Pattern.compile("^" + name + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
    }

    private static boolean hasLabels(String labels, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (labels == null || !labels.contains(pairs[i] + "=\"" + pairs[i + 1] + "\"")) {
                return false;
            }
        }
        return true;
    }

    /** The value of the first sample of {@code name} with these labels in a text exposition. */
    static OptionalDouble value(String metrics, String name, String... labelPairs) {
        Matcher m = line(name).matcher(metrics);
        while (m.find()) {
            if (labelPairs.length == 0 || hasLabels(m.group(1), labelPairs)) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }

    private static long count(String metrics, String name, String... labelPairs) {
        Matcher m = line(name).matcher(metrics);
        long n = 0;
        while (m.find()) {
            if (hasLabels(m.group(1), labelPairs)) {
                n++;
            }
        }
        return n;
    }

    private static long startedSince(PortalTruth portal, Instant baseline) {
        return Stream.concat(portal.activeSessions().stream(), portal.endedSessions().stream())
                .filter(s -> s.startTime().isAfter(baseline)).count();
    }


}
