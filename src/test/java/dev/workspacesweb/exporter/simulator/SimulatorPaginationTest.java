package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;
import software.amazon.awssdk.services.workspacesweb.model.ListSessionsResponse;
import software.amazon.awssdk.services.workspacesweb.model.SessionSortBy;
import software.amazon.awssdk.services.workspacesweb.model.SessionStatus;
import software.amazon.awssdk.services.workspacesweb.model.SessionSummary;

/** The SDK's paginator to the last page while the workload changes between pages: nothing repeated or skipped. */
class SimulatorPaginationTest {

    private static final Comparator<SessionSummary> ASCENDING =
            Comparator.comparing(SessionSummary::startTime).thenComparing(SessionSummary::sessionId);

    private final ManualClock clock = new ManualClock();

    @Test
    void scriptedChangesBetweenPagesNeitherRepeatNorSkip() {
        for (SessionSortBy order : List.of(SessionSortBy.START_TIME_DESCENDING, SessionSortBy.START_TIME_ASCENDING)) {
            try (SimulatorServer simulator = SimulatorServer.start(Settings.scripted(1), clock, "127.0.0.1", 0);
                    WorkSpacesWebClient client = Sdk.client(simulator)) {
                Workload workload = simulator.workload();
                String portalId = simulator.portalIds().get(0);
                Instant base = clock.instant().minus(Duration.ofHours(2));
                List<String> before = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    // Pairs of sessions share a start millisecond: the id breaks the tie.
                    Instant start = base.plusSeconds(60L * (i / 2));
                    before.add(workload.startSession(portalId, "user" + (i % 7) + "@example.com",
                            List.of("192.0.2." + (i + 1)), start).sessionId());
                }
                for (int i = 0; i < 60; i += 5) {
                    workload.endSession(portalId, before.get(i), base.plusSeconds(60L * (i / 2) + 30));
                }

                List<SessionSummary> seen = new ArrayList<>();
                int pages = 0;
                int added = 0;
                for (ListSessionsResponse page : client.listSessionsPaginator(r -> r.portalId(portalId)
                        .sortBy(order).maxResults(7))) {
                    pages++;
                    seen.addAll(page.sessions());
                    clock.advance(Duration.ofSeconds(20));
                    // A brand new session, one inserted in the middle of the range, and one ending: the cursor
                    // keeps the order, so none of them can shift the pages.
                    workload.startSession(portalId, "late@example.com", List.of("198.51.100.1"));
                    workload.startSession(portalId, "backfill@example.com", List.of("198.51.100.2"),
                            base.plusSeconds(60L * (added++ % 30) + 1));
                    String unseen = before.get(order == SessionSortBy.START_TIME_ASCENDING ? 59 - pages : pages);
                    workload.endSession(portalId, unseen);
                }

                assertThat(pages).isGreaterThan(8);
                assertThat(seen).extracting(SessionSummary::sessionId).doesNotHaveDuplicates()
                        .containsAll(before);
                assertThat(seen).isSortedAccordingTo(order == SessionSortBy.START_TIME_ASCENDING
                        ? ASCENDING : ASCENDING.reversed());
            }
        }
    }

    @Test
    void randomArrivalsAndEndsBetweenPagesOfActiveSessions() {
        SimulatorSettings busy = new SimulatorSettings(21, 0, "us-east-1", "123456789012", 1, 300, 30.0,
                Duration.ofMinutes(10), 1.0, 150, 0, 3, 20, 100, SimulatorSettings.Faults.none());
        try (SimulatorServer simulator = SimulatorServer.start(busy, clock, "127.0.0.1", 0);
                WorkSpacesWebClient client = Sdk.client(simulator)) {
            String portalId = simulator.portalIds().get(0);
            for (SessionSortBy order : SessionSortBy.knownValues()) {
                Set<String> activeAtStart = ids(simulator.truth().portal(portalId).activeSessions());
                List<SessionSummary> seen = new ArrayList<>();
                for (ListSessionsResponse page : client.listSessionsPaginator(r -> r.portalId(portalId)
                        .status(SessionStatus.ACTIVE).sortBy(order).maxResults(10))) {
                    seen.addAll(page.sessions());
                    clock.advance(Duration.ofSeconds(15));
                }
                Set<String> activeAtEnd = ids(simulator.truth().portal(portalId).activeSessions());
                Set<String> stillActive = new HashSet<>(activeAtStart);
                stillActive.retainAll(activeAtEnd);

                assertThat(seen).extracting(SessionSummary::sessionId).doesNotHaveDuplicates()
                        .containsAll(stillActive);
                assertThat(stillActive.size()).isLessThan(activeAtStart.size());
                assertThat(seen).allSatisfy(s -> assertThat(s.status()).isEqualTo(SessionStatus.ACTIVE))
                        .isSortedAccordingTo(order == SessionSortBy.START_TIME_ASCENDING
                                ? ASCENDING : ASCENDING.reversed());
            }
        }
    }

    @Test
    void usernameFilterPagesThroughHistory() {
        try (SimulatorServer simulator = SimulatorServer.start(Settings.busy(9), clock, "127.0.0.1", 0);
                WorkSpacesWebClient client = Sdk.client(simulator)) {
            String portalId = simulator.portalIds().get(0);
            List<SessionRecord> history = simulator.workload().truth(true).portal(portalId).historySessions();
            String username = history.get(0).username();
            long expected = history.stream().filter(s -> s.username().equals(username)).count()
                    + simulator.truth().portal(portalId).activeSessions().stream()
                            .filter(s -> s.username().equals(username)).count();

            List<SessionSummary> seen = new ArrayList<>();
            client.listSessionsPaginator(r -> r.portalId(portalId).username(username).maxResults(1)).sessions()
                    .forEach(seen::add);

            assertThat(seen).hasSize((int) expected).extracting(SessionSummary::sessionId).doesNotHaveDuplicates();
            assertThat(seen).allSatisfy(s -> assertThat(s.username()).isEqualTo(username));
        }
    }

    private static Set<String> ids(List<SessionRecord> records) {
        Set<String> out = new HashSet<>();
        records.forEach(r -> out.add(r.sessionId()));
        return out;
    }
}
