package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.config.ConfigLoader;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.simulator.Truth;
import dev.workspacesweb.exporter.testing.Await;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code POST /-/reload} against the simulator's ground truth: a good file swaps portals, limits and the poll
 * interval at once while the portals that stay keep counting exactly (no reset, no double count); a removed portal
 * disappears; an added one is polled from the next cycle; {@code server.port} keeps its value with a warning; a bad
 * file is refused with its key and line, the running configuration stays, and the reload gauges say so.
 */
class AgentRuntimeReloadTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();
    private SimulatorServer simulator;
    private AgentRuntime agent;
    private Path file;
    private int port;

    @BeforeEach
    void start() throws Exception {
        SimulatorSettings busy = new SimulatorSettings(31, 0, "us-east-1", "123456789012", 3, 40, 20.0,
                Duration.ofMinutes(4), 1.4, 20, 50, 3, 20, 100, SimulatorSettings.Faults.none());
        simulator = SimulatorServer.start(busy, clock, "127.0.0.1", 0);
        port = Await.freePort();
        file = dir.resolve("config.yaml");
        write(List.of(portal(0), portal(1)), 1000, "30s", port);
        agent = AgentRuntime.start(ConfigLoader.load(file, Map.of()), AgentRuntime.Options.forTests(clock)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASE", "x"))));
        agent.reloadFrom(() -> ConfigLoader.load(file, Map.of()));
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        simulator.close();
        http.close();
    }

    private String portal(int index) {
        return simulator.portalIds().get(index);
    }

    private void write(List<String> portals, int maxUsers, String interval, int serverPort) throws IOException {
        Files.writeString(file, """
                server: { host: 127.0.0.1, port: %d }
                source: aws
                aws:
                  regions: [us-east-1]
                  endpoint: "%s"
                  portals: [%s]
                  max_requests_per_second: 0
                poll:
                  interval: %s
                limits:
                  max_users_per_portal: %d
                """.formatted(serverPort, simulator.endpoint(), String.join(", ", portals), interval, maxUsers));
    }

    private void cycles(int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(Duration.ofSeconds(30));
            agent.scheduler().pollOnce();
        }
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void goodAndBadFilesOverHttpWhileCountersContinueExactly() throws Exception {
        agent.scheduler().pollOnce(); // the baseline, at the simulator's start
        cycles(10);
        Samples before = Samples.of(agent.registry());
        assertThat(before.value("workspaces_web_config_last_reload_successful")).contains(1.0);
        double startedAt = before.value("workspaces_web_config_last_reload_success_timestamp_seconds").orElseThrow();
        assertThat(before.byLabel("workspaces_web_portal_info", "portal_id")).containsOnlyKeys(portal(0), portal(1));
        assertThat(before.byLabel("workspaces_web_user_active_sessions", "username", "portal_id", portal(1)))
                .hasSizeGreaterThan(3);
        assertThat(get("/-/reload").statusCode()).as("GET is not a reload").isEqualTo(405);

        // A good file: portal 0 out, portal 2 in, at most 2 users per portal, another interval and another port.
        write(List.of(portal(1), portal(2)), 2, "1m", Await.freePort());
        HttpResponse<String> ok = post("/-/reload");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        Samples reloaded = Samples.of(agent.registry());
        assertThat(reloaded.value("workspaces_web_config_last_reload_successful")).contains(1.0);
        assertThat(reloaded.value("workspaces_web_config_last_reload_success_timestamp_seconds").orElseThrow())
                .isGreaterThanOrEqualTo(startedAt);
        // The new limit applies at once, to the data already shown.
        assertThat(reloaded.byLabel("workspaces_web_user_active_sessions", "username", "portal_id", portal(1)))
                .hasSize(3).containsKey("__other__");
        assertThat(agent.config().poll().interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(agent.config().server().port()).as("server.port needs a restart").isEqualTo(port);

        agent.scheduler().pollOnce();
        Instant addedAt = clock.instant();
        cycles(10);
        Truth truth = simulator.truth();
        Samples after = Samples.of(agent.registry());
        assertThat(after.byLabel("workspaces_web_portal_info", "portal_id")).containsOnlyKeys(portal(1), portal(2));
        assertThat(after.value("workspaces_web_sessions_started_total", "portal_id", portal(0))).isEmpty();
        assertThat(after.value("workspaces_web_active_sessions", "portal_id", portal(0))).isEmpty();
        assertExact(after, truth.portal(portal(1)), T0);
        assertExact(after, truth.portal(portal(2)), addedAt);

        // A bad file: refused with its key and line; the running configuration stays and the gauge says 0.
        Files.writeString(file, Files.readString(file).replace("interval: 1m", "interval: 30 seconds"));
        HttpResponse<String> bad = post("/-/reload");
        assertThat(bad.statusCode()).isEqualTo(500);
        assertThat(bad.body()).contains("poll.interval (line 9)").contains("30 seconds");
        assertThat(Samples.of(agent.registry()).value("workspaces_web_config_last_reload_successful")).contains(0.0);
        assertThat(agent.config().poll().interval()).isEqualTo(Duration.ofMinutes(1));
        cycles(5);
        truth = simulator.truth();
        Samples stillRunning = Samples.of(agent.registry());
        assertExact(stillRunning, truth.portal(portal(1)), T0);
        assertExact(stillRunning, truth.portal(portal(2)), addedAt);
        assertThat(stillRunning.value("workspaces_web_config_last_reload_successful")).contains(0.0);

        // Fixed: the gauge is 1 again.
        write(List.of(portal(1), portal(2)), 2, "1m", port);
        assertThat(post("/-/reload").statusCode()).isEqualTo(200);
        assertThat(Samples.of(agent.registry()).value("workspaces_web_config_last_reload_successful")).contains(1.0);
        cycles(3);
        truth = simulator.truth();
        assertExact(Samples.of(agent.registry()), truth.portal(portal(1)), T0);
        assertThat(truth.portal(portal(1)).sessionsStarted()).as("the run counts real sessions").isGreaterThan(20);
    }

    /** Counters and the active gauge of one portal equal the ground truth, from the portal's baseline on. */
    static void assertExact(Samples samples, PortalTruth portal, Instant baseline) {
        String id = portal.portalId();
        List<SessionRecord> all = new ArrayList<>(portal.activeSessions());
        all.addAll(portal.endedSessions());
        long started = all.stream().filter(s -> s.startTime().isAfter(baseline)).count();
        long ended = portal.endedSessions().stream().filter(s -> s.endTime().isAfter(baseline)).count();
        assertThat(samples.value("workspaces_web_sessions_started_total", "portal_id", id)).as("started %s", id)
                .contains((double) started);
        assertThat(samples.value("workspaces_web_sessions_ended_total", "portal_id", id)).as("ended %s", id)
                .contains((double) ended);
        assertThat(samples.value("workspaces_web_active_sessions", "portal_id", id)).as("active %s", id)
                .contains((double) portal.activeSessions().size());
    }
}
