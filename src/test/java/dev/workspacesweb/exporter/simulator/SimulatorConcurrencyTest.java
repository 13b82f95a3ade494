package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;
import software.amazon.awssdk.services.workspacesweb.model.SessionSummary;

/** Parallel clients, a moving clock and test hooks at once: every request answers, every listing stays consistent. */
class SimulatorConcurrencyTest {

    @Test
    void parallelPaginationWhileTheClockMovesAndHooksRun() throws Exception {
        ManualClock clock = new ManualClock();
        SimulatorSettings busy = new SimulatorSettings(13, 0, "us-east-1", "123456789012", 2, 300, 60.0,
                Duration.ofMinutes(5), 1.0, 100, 500, 3, 20, 100, SimulatorSettings.Faults.none());
        try (SimulatorServer simulator = SimulatorServer.start(busy, clock, "127.0.0.1", 0);
                WorkSpacesWebClient client = Sdk.client(simulator);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (String portalId : simulator.portalIds()) {
                for (int reader = 0; reader < 2; reader++) {
                    tasks.add(() -> {
                        int listed = 0;
                        for (int round = 0; round < 5; round++) {
                            List<SessionSummary> seen = new ArrayList<>();
                            client.listSessionsPaginator(r -> r.portalId(portalId).maxResults(25)).sessions()
                                    .forEach(seen::add);
                            Set<String> ids = new HashSet<>();
                            seen.forEach(s -> ids.add(s.sessionId()));
                            assertThat(ids).hasSameSizeAs(seen);
                            listed += seen.size();
                        }
                        return listed;
                    });
                }
            }
            tasks.add(() -> {
                for (int i = 0; i < 200; i++) {
                    clock.advance(Duration.ofSeconds(3));
                    simulator.workload().truth();
                }
                return 0;
            });
            tasks.add(() -> {
                String portalId = simulator.portalIds().get(0);
                for (int i = 0; i < 100; i++) {
                    SessionRecord s = simulator.workload().startSession(portalId, "hook" + i + "@example.com",
                            List.of("192.0.2." + (1 + i)));
                    client.expireSession(r -> r.portalId(portalId).sessionId(s.sessionId()));
                }
                return 0;
            });
            long listed = 0;
            for (Future<Integer> result : threads.invokeAll(tasks)) {
                listed += result.get();
            }

            assertThat(listed).isGreaterThan(0);
            assertThat(simulator.requestCounts().get("ListSessions")).containsOnlyKeys("200");
            assertThat(simulator.requestCounts().get("ExpireSession")).containsEntry("200", 100L);
        }
    }
}
