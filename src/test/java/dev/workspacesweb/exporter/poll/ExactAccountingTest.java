package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.workspacesweb.exporter.testing.Workloads;
import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.simulator.Truth;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The agent against the simulator over HTTP with the real SDK, time driven by a manual clock: after thousands of
 * sessions (many shorter than the poll interval, many with several IPs), every counter, the histogram's count, sum
 * and buckets, and every gauge equal the simulator's ground truth exactly.
 */
class ExactAccountingTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final double[] BOUNDS = {30, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400};

    private AgentRuntime agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    static AgentRuntime start(AgentConfig config, ManualClock clock) {
        return AgentRuntime.start(config, AgentRuntime.Options.forTests(clock));
    }

    @Test
    void countersHistogramAndGaugesEqualTheGroundTruth() {
        ManualClock clock = new ManualClock(T0);
        agent = start(TestConfigs.withSimulator(TestConfigs.defaults(), Workloads.busy(7)), clock);
        PollScheduler scheduler = agent.scheduler();
        Random jitter = new Random(1);

        scheduler.pollOnce(); // the baseline, at the simulator's start
        for (int cycle = 0; cycle < 240; cycle++) { // two hours of 30 s polls (+-3 s)
            clock.advance(Duration.ofMillis(27_000 + jitter.nextInt(6_000)));
            scheduler.pollOnce();
        }

        Truth truth = agent.simulator().workload().truth();
        Samples samples = Samples.of(agent.registry());
        long totalEnded = 0;
        long shortLived = 0;
        for (PortalTruth portal : truth.portals()) {
            String id = portal.portalId();
            List<SessionRecord> ended = portal.endedSessions();
            totalEnded += ended.size();
            shortLived += ended.stream().filter(s -> s.startTime().isAfter(T0)
                    && Duration.between(s.startTime(), s.endTime()).toSeconds() < 30).count();

            assertCountersAndDurations(samples, portal);

            assertThat(samples.value("workspaces_web_active_sessions", "portal_id", id))
                    .contains((double) portal.activeSessions().size());
            assertThat(samples.value("workspaces_web_active_users", "portal_id", id))
                    .contains((double) portal.activeSessionsByUser().size());
            assertThat(samples.byLabel("workspaces_web_user_active_sessions", "username", "portal_id", id))
                    .isEqualTo(asDoubles(portal.activeSessionsByUser()));
            assertThat(samples.byLabel("workspaces_web_client_ip_active_sessions", "client_ip", "portal_id", id))
                    .isEqualTo(asDoubles(portal.activeSessionsByClientIp()));
            Map<String, Double> ipsPerUser = new HashMap<>();
            Map<String, java.util.Set<String>> distinct = new HashMap<>();
            portal.activeSessions().forEach(s -> distinct.computeIfAbsent(s.username(), u -> new java.util.HashSet<>()).addAll(s.clientIpAddresses()));
            distinct.forEach((u, ips) -> ipsPerUser.put(u, (double) ips.size()));
            assertThat(samples.byLabel("workspaces_web_user_client_ips", "username", "portal_id", id)).isEqualTo(ipsPerUser);
            assertThat(samples.value("workspaces_web_active_client_ips", "portal_id", id))
                    .contains((double) portal.activeSessionsByClientIp().size());
            Instant oldest = portal.activeSessions().stream().map(SessionRecord::startTime).min(Instant::compareTo).orElseThrow();
            assertThat(samples.value("workspaces_web_oldest_active_session_age_seconds", "portal_id", id))
                    .contains(Duration.between(oldest, truth.now()).toMillis() / 1000.0);
            assertThat(samples.value("workspaces_web_portal_up", "portal_id", id)).contains(1.0);
        }
        // The run must really exercise what it claims to.
        assertThat(totalEnded).as("sessions ended during the run").isGreaterThan(2000);
        assertThat(shortLived).as("sessions shorter than a poll interval").isGreaterThan(100);
    }

    /**
     * The portal's started and ended counters and its duration histogram (count, sum, every bucket) equal the ground
     * truth: every session the simulator started, every end, once.
     */
    static void assertCountersAndDurations(Samples samples, PortalTruth portal) {
        String id = portal.portalId();
        List<SessionRecord> ended = portal.endedSessions();
        assertThat(samples.value("workspaces_web_sessions_started_total", "portal_id", id))
                .as("started, portal %s", id).contains((double) portal.sessionsStarted());
        assertThat(samples.value("workspaces_web_sessions_ended_total", "portal_id", id))
                .as("ended, portal %s", id).contains((double) ended.size());
        HistogramSnapshot.HistogramDataPointSnapshot h =
                samples.histogram("workspaces_web_session_duration_seconds", "portal_id", id).orElseThrow();
        double expectedSum = ended.stream()
                .mapToDouble(s -> Duration.between(s.startTime(), s.endTime()).toMillis() / 1000.0).sum();
        assertThat(h.getCount()).isEqualTo(ended.size());
        assertThat(h.getSum()).isCloseTo(expectedSum, within(1e-6 * Math.max(1, expectedSum)));
        assertThat(Samples.buckets(h)).isEqualTo(expectedBuckets(ended));
    }

    static Map<Double, Long> expectedBuckets(List<SessionRecord> ended) {
        Map<Double, Long> buckets = new LinkedHashMap<>();
        for (double b : BOUNDS) {
            buckets.put(b, 0L);
        }
        buckets.put(Double.POSITIVE_INFINITY, 0L);
        for (SessionRecord s : ended) {
            double seconds = Duration.between(s.startTime(), s.endTime()).toMillis() / 1000.0;
            double bound = Double.POSITIVE_INFINITY;
            for (double b : BOUNDS) {
                if (seconds <= b) {
                    bound = b;
                    break;
                }
            }
            buckets.merge(bound, 1L, Long::sum);
        }
        return buckets;
    }

    static Map<String, Double> asDoubles(Map<String, Integer> counts) {
        return counts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> (double) e.getValue()));
    }

    @Test
    void clientIpChangesAreSeenAfterTheRefreshIntervalSpreadOverCycles() {
        ManualClock clock = new ManualClock(T0);
        SimulatorSettings quiet = new SimulatorSettings(3, 0, "us-east-1", "123456789012", 1, 50, 0.0,
                Duration.ofHours(10), 0.1, 40, 0, 1, 20, 100, SimulatorSettings.Faults.none());
        AgentConfig config = TestConfigs.withPoll(TestConfigs.withSimulator(TestConfigs.defaults(), quiet),
                new AgentConfig.Poll(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(2),
                        Duration.ofMinutes(5), Duration.ZERO));
        agent = start(config, clock);
        String portal = agent.simulator().portalIds().get(0);
        var workload = agent.simulator().workload();

        agent.scheduler().pollOnce();
        long callsBefore = totalGetSessionCalls();
        int endedBefore = workload.truth().portal(portal).endedSessions().size();
        // A quiet portal with no IPs due makes no GetSession calls but one per session that ended.
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(30));
            agent.scheduler().pollOnce();
        }
        int endedInWindow = workload.truth().portal(portal).endedSessions().size() - endedBefore;
        assertThat(totalGetSessionCalls() - callsBefore).isEqualTo(endedInWindow);

        // Every session moves to a new address; the agent sees all of them within the refresh interval plus one
        // full spread (10 cycles), a share of them each cycle rather than all at once.
        List<SessionRecord> active = workload.truth().portal(portal).activeSessions();
        for (int i = 0; i < active.size(); i++) {
            workload.setClientIps(portal, active.get(i).sessionId(), List.of("192.0.2." + (i + 1)));
        }
        Map<Integer, Long> callsPerCycle = new HashMap<>();
        for (int cycle = 0; cycle < 20; cycle++) {
            long calls = totalGetSessionCalls();
            int ended = workload.truth().portal(portal).endedSessions().size();
            clock.advance(Duration.ofSeconds(30));
            agent.scheduler().pollOnce();
            int endedNow = workload.truth().portal(portal).endedSessions().size() - ended;
            callsPerCycle.put(cycle, totalGetSessionCalls() - calls - endedNow);
        }
        // At most ceil(40 sessions x 30 s / 5 min) = 4 refreshes a cycle.
        assertThat(callsPerCycle.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(4));
        assertThat(callsPerCycle.values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(36);
        Samples samples = Samples.of(agent.registry());
        assertThat(samples.byLabel("workspaces_web_client_ip_active_sessions", "client_ip", "portal_id", portal))
                .isEqualTo(asDoubles(workload.truth().portal(portal).activeSessionsByClientIp()));
    }

    private long totalGetSessionCalls() {
        return agent.simulator().requestCounts().getOrDefault("GetSession", Map.of()).values().stream()
                .mapToLong(Long::longValue).sum();
    }
}
