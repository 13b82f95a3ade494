package dev.workspacesweb.exporter.simulator;

import dev.workspacesweb.exporter.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;
import software.amazon.awssdk.services.workspacesweb.model.ListSessionsResponse;
import software.amazon.awssdk.services.workspacesweb.model.SessionSortBy;
import software.amazon.awssdk.services.workspacesweb.model.SessionStatus;

/**
 * Benchmark, not a test: 100k active and 1M terminated sessions, how long the preload takes and what a page costs
 * deep in the history. {@code scripts/bench.sh preload} (BENCHMARKS.md); it lives in the simulator's package for the
 * workload's package-private cursor.
 */
public final class PreloadBench {
    private PreloadBench() {}

    public static void main(String[] args) {
        SimulatorSettings large = new SimulatorSettings(1, 0, "us-east-1", "123456789012", 10, 5_000, 6.0,
                Duration.ofMinutes(20), 1.0, 10_000, 100_000, 3, 100, 1000, SimulatorSettings.Faults.none());
        ManualClock clock = new ManualClock();
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long heapBefore = runtime.totalMemory() - runtime.freeMemory();
        long started = System.nanoTime();
        try (SimulatorServer simulator = SimulatorServer.start(large, clock, "127.0.0.1", 0);
                WorkSpacesWebClient client = Sdk.client(simulator)) {
            Duration preload = Duration.ofNanos(System.nanoTime() - started);
            System.gc();
            long heapMb = (runtime.totalMemory() - runtime.freeMemory() - heapBefore) >> 20;
            String portalId = simulator.portalIds().get(4);

            // Warm up the HTTP path, then time pages at the start, deep in the history and through filters.
            for (int i = 0; i < 20; i++) {
                client.listSessions(r -> r.portalId(portalId).maxResults(100));
            }
            List<Long> pageMicros = new ArrayList<>();
            String token = null;
            int pages = 0;
            for (int i = 0; i < 200; i++) {
                String next = token;
                long t = System.nanoTime();
                ListSessionsResponse page = client.listSessions(r -> r.portalId(portalId).maxResults(100)
                        .status(SessionStatus.TERMINATED).sortBy(SessionSortBy.START_TIME_ASCENDING)
                        .nextToken(next));
                pageMicros.add((System.nanoTime() - t) / 1000);
                if (page.sessions().size() != 100) {
                    throw new IllegalStateException("a page of " + page.sessions().size() + " sessions, expected 100");
                }
                token = page.nextToken();
                pages++;
            }
            String user = simulator.truth().portal(portalId).activeSessions().get(0).username();
            long t = System.nanoTime();
            int userSessions = client.listSessions(r -> r.portalId(portalId).username(user).maxResults(100))
                    .sessions().size();
            long userPageMicros = (System.nanoTime() - t) / 1000;
            pageMicros.sort(null);
            long medianPage = pageMicros.get(pageMicros.size() / 2);

            // The workload alone, deep in the terminated history: a cursor in the middle, O(log n + page).
            Workload workload = simulator.workload();
            int index = workload.portalIndex(portalId);
            Workload.SessionFilter terminated =
                    new Workload.SessionFilter(SessionRecord.Status.Terminated, false, null, null);
            Workload.Cursor middle = workload.listSessions(index, terminated, null, 50_000).next();
            long direct = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                workload.listSessions(index, terminated, middle, 100);
            }
            long directMicros = (System.nanoTime() - direct) / 1_000 / 1_000;

            System.out.printf("preload of 100k active + 1M terminated sessions (10 portals): %d ms, ~%d MB heap%n",
                    preload.toMillis(), heapMb);
            System.out.printf("ListSessions page of 100 over HTTP: median %d us, max %d us over %d pages; "
                    + "username page (%d sessions) %d us%n", medianPage, pageMicros.getLast(), pages,
                    userSessions, userPageMicros);
            System.out.printf("Workload page of 100 from the middle of 100k terminated sessions: %d us%n",
                    directMicros);

            int active = simulator.truth().portals().stream().mapToInt(p -> p.activeSessions().size()).sum();
            System.out.printf("active sessions after the preload: %d%n", active);
        }
    }
}
