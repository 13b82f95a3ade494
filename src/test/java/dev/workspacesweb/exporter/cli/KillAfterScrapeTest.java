package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.testing.Workloads;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.testing.AgentProcess;
import dev.workspacesweb.exporter.testing.AgentProcesses;
import dev.workspacesweb.exporter.testing.Await;
import dev.workspacesweb.exporter.testing.FreezableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State before it is shown: the agent as a real process on a state file, the simulator busy in real time; again and
 * again, a scrape that shows new counts, SIGKILL right after it, a restart on the same file. The first scrape of the
 * restarted agent (restored state, shown from start-up) never shows a counter lower than the last scrape before the
 * kill, no scrape ever steps back, and in the end every counter equals the simulator's ground truth.
 */
class KillAfterScrapeTest {
    private static final int KILLS = 20;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> COUNTERS = List.of("workspaces_web_sessions_started_total",
            "workspaces_web_sessions_ended_total", "workspaces_web_session_duration_seconds_count");
    private static final Pattern SAMPLE = Pattern.compile(
            "^(workspaces_web_sessions_started_total|workspaces_web_sessions_ended_total|workspaces_web_session_duration_seconds_count)"
                    + "\\{portal_id=\"([^\"]+)\"\\} (\\S+)$", Pattern.MULTILINE);

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
    void noScrapeAfterAKillShowsACounterLowerThanBefore() throws Exception {
        simulator = SimulatorServer.start(Workloads.busyInRealTime(23), clock, "127.0.0.1", 0);
        Path state = dir.resolve("state.json");
        int port = Await.freePort();
        Path config = AgentProcess.writeConfig(dir, port, simulator.endpoint(), state, "300ms");
        List<String> portals = simulator.portalIds();

        Instant baseline = clock.freeze();
        Process agent = agents.start(config, dir.resolve("agent-0.log"));
        awaitValue("first agent ready", () -> AgentProcess.ready(port) ? true : null);
        clock.unfreeze();

        Map<String, Double> shown = new HashMap<>(); // the highest value any scrape showed, per counter and portal
        int restoredScrapes = 0;
        long comparisons = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            // A scrape that shows new counts; no counter lower than any shown before.
            Map<String, Double> before = Map.copyOf(shown);
            Map<String, Double> scraped = awaitValue("new counts after kill " + (kill - 1), () -> {
                Map<String, Double> s = counters(port);
                return s != null && complete(s, portals) && s.entrySet().stream().anyMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), -1.0)) ? s : null;
            });
            comparisons += assertNotLower(scraped, before, "scrape before kill " + kill);
            shown.putAll(scraped);

            agent.destroyForcibly(); // SIGKILL right after the scrape: no shutdown hook, no last write
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();

            agent = agents.start(config, dir.resolve("agent-" + kill + ".log"));
            // The restarted agent's first scrape that shows the portals: the restored state, before any poll of it.
            Map<String, Double> restored = awaitValue("restarted agent shows its portals", () -> {
                Map<String, Double> s = counters(port);
                return s != null && complete(s, portals) ? s : null;
            });
            comparisons += assertNotLower(restored, shown, "first scrape after kill " + kill);
            restoredScrapes++;
            shown.putAll(restored);
        }

        // The world stops; a poll that began after it sees the final state; the counts are exact.
        awaitValue("last agent ready", () -> AgentProcess.ready(port) ? true : null);
        clock.freeze();
        Instant frozenWall = Instant.now();
        awaitValue("last agent polled the frozen world", () -> AgentProcess.savedAfter(state, frozenWall.plusMillis(100), 2) ? true : null);
        Map<String, Double> last = counters(port);
        assertNotLower(last, shown, "final scrape");
        for (PortalTruth portal : simulator.truth().portals()) {
            String id = portal.portalId();
            long started = Stream.concat(portal.activeSessions().stream(), portal.endedSessions().stream())
                    .filter(s -> s.startTime().isAfter(baseline)).count();
            List<SessionRecord> ended = portal.endedSessions().stream().filter(s -> s.endTime().isAfter(baseline)).toList();
            assertThat(last.get(key("workspaces_web_sessions_started_total", id))).as("started %s", id).isEqualTo((double) started);
            assertThat(last.get(key("workspaces_web_sessions_ended_total", id))).as("ended %s", id).isEqualTo((double) ended.size());
            assertThat(last.get(key("workspaces_web_session_duration_seconds_count", id))).isEqualTo((double) ended.size());
        }
        System.out.printf("KillAfterScrapeTest: %d kills and restarts, %d first scrapes of a restored state, %d counter "
                + "comparisons, none lower; final counts equal the ground truth (%s)%n", KILLS, restoredScrapes, comparisons, last);
    }

    private static long assertNotLower(Map<String, Double> scraped, Map<String, Double> shown, String when) {
        long n = 0;
        for (Map.Entry<String, Double> e : shown.entrySet()) {
            assertThat(scraped.get(e.getKey())).as("%s: %s (shown before: %s)", when, e.getKey(), e.getValue())
                    .isNotNull().isGreaterThanOrEqualTo(e.getValue());
            n++;
        }
        return n;
    }

    private static boolean complete(Map<String, Double> scraped, List<String> portals) {
        return portals.stream().allMatch(p -> COUNTERS.stream().allMatch(c -> scraped.containsKey(key(c, p))));
    }

    private static String key(String counter, String portal) {
        return counter + "{" + portal + "}";
    }

    /** The counters of a scrape, or null when the agent does not answer (yet). */
    private Map<String, Double> counters(int port) {
        HttpResponse<String> res = AgentProcess.get(port, "/metrics");
        if (res == null || res.statusCode() != 200) {
            return null;
        }
        Map<String, Double> values = new HashMap<>();
        Matcher m = SAMPLE.matcher(res.body());
        while (m.find()) {
            values.put(key(m.group(1), m.group(2)), Double.parseDouble(m.group(3)));
        }
        return values;
    }


    private static <T> T awaitValue(String what, Supplier<T> probe) {
        return Await.value(what, WAIT, probe);
    }
}
