package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.workspacesweb.exporter.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The synthetic workload on its own: determinism, statistics, ground-truth definitions and test hooks. */
class WorkloadTest {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern SHORT_IPV6 = Pattern.compile("[0-9a-f:]+::[0-9a-f]{1,4}");

    @Test
    void sameSeedAndClockStepsGiveTheSameSessions() {
        Truth first = run(Settings.busy(99), List.of(7, 30, 1, 600, 45, 3600, 2));
        Truth second = run(Settings.busy(99), List.of(7, 30, 1, 600, 45, 3600, 2));
        Truth otherSeed = run(Settings.busy(100), List.of(7, 30, 1, 600, 45, 3600, 2));

        assertThat(second).isEqualTo(first);
        assertThat(first.portals().get(0).endedSessions()).isNotEmpty();
        assertThat(otherSeed.portals().get(0).activeSessions())
                .isNotEqualTo(first.portals().get(0).activeSessions());
        assertThat(new Workload(Settings.busy(100), new ManualClock()).portalIds())
                .isNotEqualTo(new Workload(Settings.busy(99), new ManualClock()).portalIds());
    }

    @Test
    void generatedSessionsDoNotDependOnHowOftenTheClockIsRead() {
        Truth fine = run(Settings.busy(5), java.util.Collections.nCopies(120, 30));
        Truth coarse = run(Settings.busy(5), List.of(3600));

        assertThat(coarse).isEqualTo(fine);
    }

    @Test
    void workloadStatisticsMatchTheSettingsOverALongRun() {
        SimulatorSettings settings = new SimulatorSettings(3, 0, "us-east-1", "123456789012", 1, 500, 6.0,
                Duration.ofMinutes(20), 1.0, 0, 0, 3, 20, 100, SimulatorSettings.Faults.none());
        ManualClock clock = new ManualClock();
        Workload workload = new Workload(settings, clock);
        Duration run = Duration.ofHours(72);
        // A poller's view: the clock moves in 30 s steps and the workload catches up at each one.
        for (long s = 0; s < run.toSeconds(); s += 30) {
            clock.advance(Duration.ofSeconds(30));
            workload.catchUp();
        }
        PortalTruth truth = workload.truth().portals().get(0);

        double expectedArrivals = 6.0 * run.toMinutes();
        assertThat((double) truth.sessionsStarted()).isCloseTo(expectedArrivals, within(expectedArrivals * 0.04));

        // Sessions that started in the first 48 h have all ended by now (a 24 h session is a 4-sigma event).
        Instant cutoff = workload.startedAt().plus(Duration.ofHours(48));
        List<Long> durations = truth.endedSessions().stream().filter(s -> s.startTime().isBefore(cutoff))
                .map(s -> Duration.between(s.startTime(), s.endTime()).toMillis()).sorted().toList();
        assertThat(truth.activeSessions()).allSatisfy(s -> assertThat(s.startTime()).isAfter(cutoff));
        double medianMinutes = durations.get(durations.size() / 2) / 60_000.0;
        assertThat(medianMinutes).isCloseTo(20.0, within(1.0));
        double shorterThanAPoll = durations.stream().filter(d -> d < 30_000).count() / (double) durations.size();
        assertThat(shorterThanAPoll).isBetween(0.03, 0.07);
        // Log-normal spread: with sigma 1, about 16 % of the sessions last longer than e × the median.
        double long_ = durations.stream().filter(d -> d > Math.E * 20 * 60_000).count() / (double) durations.size();
        assertThat(long_).isBetween(0.12, 0.20);
    }

    @Test
    void initialPopulationIsThereFromTheFirstSecond() {
        ManualClock clock = new ManualClock();
        SimulatorSettings settings = Settings.busy(1);
        Workload workload = new Workload(settings, clock);
        Truth truth = workload.truth(true);

        assertThat(truth.portals()).hasSize(3).allSatisfy(portal -> {
            assertThat(portal.activeSessions()).hasSize(30)
                    .allSatisfy(s -> assertThat(s.startTime()).isBefore(truth.startedAt()));
            assertThat(portal.historySessions()).hasSize(200)
                    .allSatisfy(s -> assertThat(s.endTime()).isBefore(truth.startedAt()));
            assertThat(portal.endedSessions()).isEmpty();
            assertThat(portal.sessionsStarted()).isZero();
        });
        assertThat(workload.truth().portals().get(0).historySessions()).isEmpty();
        List<SessionRecord> all = new ArrayList<>();
        truth.portals().forEach(p -> {
            all.addAll(p.activeSessions());
            all.addAll(p.historySessions());
        });
        assertThat(all).allSatisfy(s -> {
            assertThat(s.sessionId()).matches("[a-zA-Z0-9\\-]{36}");
            assertThat(s.username()).matches(".+@.+\\..+");
            assertThat(s.clientIpAddresses()).hasSizeBetween(1, 3).doesNotHaveDuplicates()
                    .allSatisfy(ip -> assertThat(IPV4.matcher(ip).matches() || SHORT_IPV6.matcher(ip).matches())
                            .as(ip).isTrue())
                    .allSatisfy(ip -> assertThat(ip.length()).isLessThanOrEqualTo(15));
        });
        assertThat(all).anySatisfy(s -> assertThat(s.clientIpAddresses()).hasSizeGreaterThan(1));
        assertThat(all).anySatisfy(s -> assertThat(s.clientIpAddresses()).anyMatch(ip -> ip.contains(":")));
        assertThat(all).anySatisfy(s -> assertThat(s.username()).matches(".*[^\\x00-\\x7F].*"));
        assertThat(workload.portals()).allSatisfy(p -> {
            assertThat(p.portalArn()).endsWith(":portal/" + p.id()).matches(".*/[a-f0-9\\-]{36}");
            assertThat(p.maxConcurrentSessions()).isBetween(30, 5000);
        });
    }

    @Test
    void truthDefinitionsOfActiveEndedAndStarted() {
        ManualClock clock = new ManualClock();
        Workload workload = new Workload(Settings.scripted(1), clock);
        String portal = workload.portalIds().get(0);
        Instant start = workload.startedAt();
        SessionRecord before = workload.startSession(portal, "early@example.com", List.of("192.0.2.1"),
                start.minusSeconds(600));
        SessionRecord history = workload.startSession(portal, "old@example.com", List.of("192.0.2.2"),
                start.minusSeconds(900));
        workload.endSession(portal, history.sessionId(), start.minusSeconds(300));
        clock.advance(Duration.ofSeconds(10));
        SessionRecord during = workload.startSession(portal, "early@example.com", List.of("192.0.2.1",
                "2001:db8::7"));
        SessionRecord flash = workload.startSession(portal, "flash@example.com", List.of("192.0.2.3"));
        workload.endSession(portal, flash.sessionId(), clock.instant().plusSeconds(5));
        clock.advance(Duration.ofSeconds(20));
        workload.endSession(portal, before.sessionId());

        PortalTruth truth = workload.truth(true).portal(portal);

        assertThat(truth.activeSessions()).extracting(SessionRecord::sessionId).containsExactly(during.sessionId());
        assertThat(truth.endedSessions()).extracting(SessionRecord::sessionId)
                .containsExactly(flash.sessionId(), before.sessionId());
        assertThat(truth.endedSessions().get(0).endTime()).isEqualTo(start.plusSeconds(15));
        assertThat(truth.historySessions()).extracting(SessionRecord::sessionId).containsExactly(history.sessionId());
        assertThat(truth.sessionsStarted()).isEqualTo(2);
        assertThat(truth.activeSessionsByUser()).isEqualTo(Map.of("early@example.com", 1));
        assertThat(truth.activeSessionsByClientIp()).isEqualTo(Map.of("192.0.2.1", 1, "2001:db8::7", 1));
    }

    @Test
    void countsPerUserAndClientIpMatchTheActiveSessions() {
        ManualClock clock = new ManualClock();
        Workload workload = new Workload(Settings.busy(8), clock);
        clock.advance(Duration.ofMinutes(90));
        for (PortalTruth portal : workload.truth().portals()) {
            Map<String, Integer> byUser = new HashMap<>();
            Map<String, Integer> byIp = new HashMap<>();
            for (SessionRecord s : portal.activeSessions()) {
                byUser.merge(s.username(), 1, Integer::sum);
                new LinkedHashSet<>(s.clientIpAddresses()).forEach(ip -> byIp.merge(ip, 1, Integer::sum));
            }
            assertThat(portal.activeSessionsByUser()).isEqualTo(byUser);
            assertThat(portal.activeSessionsByClientIp()).isEqualTo(byIp);
            // Office NATs are shared by several users.
            assertThat(byIp.values()).anySatisfy(n -> assertThat(n).isGreaterThan(1));
        }
    }

    @Test
    void hooksRejectWhatTheServiceCouldNotHold() {
        Workload workload = new Workload(Settings.scripted(1), new ManualClock());
        String portal = workload.portalIds().get(0);
        assertThatThrownBy(() -> workload.startSession(portal, "a@example.com", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> workload.startSession(portal, "a@example.com", List.of("2001:db8:1:2:3:4:5:6")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> workload.startSession("nope", "a@example.com", List.of("192.0.2.1")))
                .isInstanceOf(IllegalArgumentException.class);
        SessionRecord session = workload.startSession(portal, "a@example.com", List.of("192.0.2.1"));
        assertThatThrownBy(() -> workload.endSession(portal, session.sessionId(),
                session.startTime().minusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClockAtTheEpochWorksForScriptedSimulatorsOnly() {
        ManualClock epoch = new ManualClock(Instant.EPOCH);
        assertThatThrownBy(() -> new Workload(Settings.busy(1), epoch))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clock");
        Workload scripted = new Workload(Settings.scripted(1), epoch);
        SessionRecord session = scripted.startSession(scripted.portalIds().get(0), "a@example.com",
                List.of("192.0.2.1"));
        assertThat(session.startTime()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void plannedEndsOfScriptedSessionsHappenWhenTheClockGetsThere() {
        ManualClock clock = new ManualClock();
        Workload workload = new Workload(Settings.scripted(1), clock);
        String portal = workload.portalIds().get(0);
        SessionRecord session = workload.startSession(portal, "a@example.com", List.of("192.0.2.1"));
        workload.endSession(portal, session.sessionId(), clock.instant().plusSeconds(60));

        clock.advance(Duration.ofSeconds(59));
        assertThat(workload.session(portal, session.sessionId()).orElseThrow().status())
                .isEqualTo(SessionRecord.Status.Active);
        clock.advance(Duration.ofSeconds(1));
        SessionRecord ended = workload.session(portal, session.sessionId()).orElseThrow();
        assertThat(ended.status()).isEqualTo(SessionRecord.Status.Terminated);
        assertThat(ended.endTime()).isEqualTo(session.startTime().plusSeconds(60));
    }

    private static Truth run(SimulatorSettings settings, List<Integer> stepsSeconds) {
        ManualClock clock = new ManualClock();
        Workload workload = new Workload(settings, clock);
        for (int step : stepsSeconds) {
            clock.advance(Duration.ofSeconds(step));
            workload.catchUp();
        }
        return workload.truth(true);
    }
}
