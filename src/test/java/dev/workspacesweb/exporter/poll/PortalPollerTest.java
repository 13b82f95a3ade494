package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.SessionEnd;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of one poll cycle against an in-memory service (pages of 2): the baseline, sessions that vanish, a
 * lagging Active list, sessions shorter than a poll, failed GetSession calls, failed cycles, and the service's clock
 * apart from the agent's.
 */
class PortalPollerTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final Duration POLL = Duration.ofSeconds(30);

    /** The service's clock; the agent's runs {@code skew} apart from it. */
    private final ManualClock service = new ManualClock(T0);
    private final InMemoryWorkSpacesWeb api = new InMemoryWorkSpacesWeb(service, 2);

    private PortalPoller poller(Duration skew) {
        InstantSource agent = () -> service.instant().plus(skew);
        return new PortalPoller(PortalInfo.ofId(InMemoryWorkSpacesWeb.PORTAL, "us-east-1"), api,
                PollSettings.of(TestConfigs.defaults()), agent, PortalState.initial());
    }

    private PortalPoller poller() {
        return poller(Duration.ZERO);
    }

    private Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private PortalCycle pollAt(PortalPoller poller, int seconds) {
        service.set(at(seconds));
        return poller.poll();
    }

    private static List<String> ids(PortalCycle cycle) {
        return cycle.ended().stream().map(SessionEnd::sessionId).toList();
    }

    private static List<String> active(PortalCycle cycle) {
        return cycle.view().lastGood().sessions().stream().map(SessionSnapshot::sessionId).toList();
    }

    @Test
    void theBaselineCountsNothingThatWasAlreadyThere() {
        api.start("old-ended", "ana", T0.minusSeconds(100));
        api.end("old-ended", T0.minusSeconds(10));
        api.start("a1", "ana", T0.minusSeconds(600), "198.51.100.1");
        api.start("a2", "bob", T0.minusSeconds(60), "198.51.100.2");
        api.start("a3", "eve", T0.minusSeconds(5), "198.51.100.3");
        PortalPoller poller = poller();

        PortalCycle baseline = pollAt(poller, 0);
        assertThat(baseline.baseline()).isTrue();
        assertThat(baseline.started()).isZero();
        assertThat(baseline.ended()).isEmpty();
        assertThat(active(baseline)).containsExactly("a1", "a2", "a3");
        assertThat(baseline.view().lastGood().sessionsPerIp()).containsOnlyKeys("198.51.100.1", "198.51.100.2", "198.51.100.3");
        assertThat(baseline.view().accounting().started()).isZero();

        // The history seen at the baseline is never counted later either.
        PortalCycle next = pollAt(poller, 30);
        assertThat(next.started()).isZero();
        assertThat(next.ended()).isEmpty();
    }

    @Test
    void aSessionThatVanishesIsCountedOnceWithItsTrueEnd() {
        PortalPoller poller = poller();
        pollAt(poller, 0);
        api.start("s1", "ana", at(10), "198.51.100.1");
        PortalCycle seen = pollAt(poller, 30);
        assertThat(seen.started()).isEqualTo(1);
        assertThat(active(seen)).containsExactly("s1");

        api.end("s1", at(50));
        PortalCycle ended = pollAt(poller, 60);
        assertThat(ended.ended()).singleElement().satisfies(e -> {
            assertThat(e.sessionId()).isEqualTo("s1");
            assertThat(e.duration()).isEqualTo(Duration.ofSeconds(40));
        });
        assertThat(active(ended)).isEmpty();
        assertThat(pollAt(poller, 90).ended()).isEmpty();
        assertThat(poller.state().accounting().started()).isEqualTo(1);
        assertThat(poller.state().accounting().ended()).isEqualTo(1);
    }

    @Test
    void aLaggingActiveListNeitherEndsNorRestartsASession() {
        PortalPoller poller = poller();
        pollAt(poller, 0);
        api.start("s1", "ana", at(5));
        pollAt(poller, 30);

        // Ended at 40, but the Active list still shows it at 60: GetSession says it ended; counted once, at 40.
        api.end("s1", at(40));
        api.lagOn("s1");
        PortalCycle lagging = pollAt(poller, 60);
        assertThat(ids(lagging)).isEmpty(); // still listed: nothing vanished yet
        api.catchUp();
        PortalCycle caughtUp = pollAt(poller, 90);
        assertThat(ids(caughtUp)).containsExactly("s1");
        assertThat(caughtUp.ended().get(0).endTime()).isEqualTo(at(40));

        // A short session counted from the Terminated list, then shown again by a lagging Active list: ignored.
        api.start("short", "bob", at(95));
        api.end("short", at(100));
        PortalCycle shortOne = pollAt(poller, 120);
        assertThat(ids(shortOne)).containsExactly("short");
        api.lagOn("short");
        PortalCycle ghost = pollAt(poller, 150);
        assertThat(ghost.started()).isZero();
        assertThat(active(ghost)).isEmpty();
        api.catchUp();
        assertThat(pollAt(poller, 180).ended()).isEmpty();
        assertThat(poller.state().accounting().started()).isEqualTo(2);
        assertThat(poller.state().accounting().ended()).isEqualTo(2);
    }

    @Test
    void sessionsShorterThanAPollAreCountedOnceAcrossOverlappingListings() {
        PortalPoller poller = poller();
        pollAt(poller, 0);
        for (int i = 0; i < 5; i++) {
            api.start("short-" + i, "user" + i, at(3 + i));
            api.end("short-" + i, at(10 + i));
        }
        PortalCycle first = pollAt(poller, 30);
        assertThat(first.started()).isEqualTo(5);
        assertThat(ids(first)).containsExactlyInAnyOrder("short-0", "short-1", "short-2", "short-3", "short-4");
        assertThat(first.ended()).allSatisfy(e -> assertThat(e.duration()).isEqualTo(Duration.ofSeconds(7)));
        // The next listings reach back over them (overlap 2 min): nothing is counted twice.
        for (int t = 60; t <= 300; t += 30) {
            PortalCycle again = pollAt(poller, t);
            assertThat(again.started()).isZero();
            assertThat(again.ended()).isEmpty();
        }
        assertThat(poller.state().accounting().ended()).isEqualTo(5);
    }

    @Test
    void aFailedGetSessionDelaysTheCountNeverDoublesIt() {
        PortalPoller poller = poller();
        pollAt(poller, 0);
        api.start("s1", "ana", at(5), "198.51.100.1");
        api.start("s2", "bob", at(6), "198.51.100.2");
        api.failGetSession("s2", true);
        PortalCycle seen = pollAt(poller, 30);
        assertThat(seen.view().up()).isTrue();
        assertThat(seen.started()).isEqualTo(2);
        // s2's IPs could not be fetched: it is shown, without IPs, and asked for again next cycle.
        assertThat(seen.view().lastGood().sessionsPerIp()).containsOnlyKeys("198.51.100.1");

        api.failGetSession("s2", false);
        api.end("s1", at(40));
        api.failGetSession("s1", true);
        PortalCycle endUnconfirmed = pollAt(poller, 60);
        assertThat(endUnconfirmed.ended()).isEmpty();
        assertThat(endUnconfirmed.view().lastGood().sessionsPerIp()).containsOnlyKeys("198.51.100.2");

        api.failGetSession("s1", false);
        PortalCycle confirmed = pollAt(poller, 90);
        assertThat(ids(confirmed)).containsExactly("s1");
        assertThat(confirmed.ended().get(0).endTime()).isEqualTo(at(40));
        assertThat(pollAt(poller, 120).ended()).isEmpty();
        assertThat(poller.state().accounting().ended()).isEqualTo(1);
    }

    @Test
    void aFailedCycleChangesNothingAndTheNextOneCountsEverything() {
        PortalPoller poller = poller();
        pollAt(poller, 0);
        PortalState before = poller.state();
        api.start("s1", "ana", at(10));
        api.start("short", "bob", at(12));
        api.end("short", at(20));
        api.failLists(true);
        PortalCycle failed = pollAt(poller, 30);
        assertThat(failed.view().up()).isFalse();
        assertThat(failed.view().lastError()).contains("injected");
        assertThat(poller.state()).isSameAs(before);

        api.failLists(false);
        PortalCycle next = pollAt(poller, 60);
        assertThat(next.view().up()).isTrue();
        assertThat(next.started()).isEqualTo(2);
        assertThat(ids(next)).containsExactly("short");
    }

    @Nested
    class TheServicesClock {
        /** Short sessions between polls, with the agent's clock {@code skew} apart from the service's. */
        private void countsShortSessionsExactly(Duration skew) {
            PortalPoller poller = poller(skew);
            pollAt(poller, 0);
            int expected = 0;
            for (int cycle = 1; cycle <= 20; cycle++) {
                int t = cycle * 30;
                api.start("short-" + cycle, "u" + cycle, at(t - 20));
                api.end("short-" + cycle, at(t - 12));
                api.start("long-" + cycle, "v" + cycle, at(t - 25));
                expected += 2;
                PortalCycle c = pollAt(poller, t);
                assertThat(c.view().up()).isTrue();
                assertThat(ids(c)).as("cycle %d", cycle).containsExactly("short-" + cycle);
            }
            assertThat(poller.state().accounting().started()).isEqualTo(expected);
            assertThat(poller.state().accounting().ended()).isEqualTo(20);
            // The cutoff's reference is the service's time, the poll's own time the agent's.
            assertThat(poller.state().serviceTime()).isEqualTo(at(600));
            assertThat(poller.state().lastSuccess()).isEqualTo(at(600).plus(skew));
            // Ages (the oldest-session gauge, max-duration policies) are the service's time minus its start times:
            // the long session of cycle 1 started at 5 s and has run 595 s, whatever the agent's clock says.
            PortalSnapshot snap = poller.view().lastGood();
            assertThat(snap.oldestStart()).isEqualTo(at(5));
            assertThat(snap.ageOf(snap.oldestStart())).isEqualTo(Duration.ofSeconds(595));
        }

        @Test
        void aDateHeaderWithinItsSecondOfTheAgentsClockIsReadByTheFinerClock() {
            Instant agent = Instant.parse("2026-03-02T09:00:00.742Z");
            assertThat(PortalPoller.serviceTime(Instant.parse("2026-03-02T09:00:00Z"), agent)).isEqualTo(agent);
            assertThat(PortalPoller.serviceTime(Instant.parse("2026-03-02T09:00:01Z"), agent)).isEqualTo(agent);
            Instant behind = Instant.parse("2026-03-02T08:51:00Z");
            assertThat(PortalPoller.serviceTime(behind, agent)).isEqualTo(behind);
        }

        @Test
        void anAgentClockTenMinutesAheadLosesNothing() {
            countsShortSessionsExactly(Duration.ofMinutes(10));
        }

        @Test
        void anAgentClockTenMinutesBehindLosesNothing() {
            countsShortSessionsExactly(Duration.ofMinutes(-10));
        }
    }
}
