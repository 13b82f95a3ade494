package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.simulator.Workload;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The API calls of a steady-state cycle are exactly the sum of the algorithm's steps, and do not depend on how many
 * terminated sessions the portal has in its history.
 */
class PollCostTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final int ACTIVE = 150; // two pages of 100
    private static final int STARTS = 5;
    private static final int ENDS = 5;
    private static final int SHORT_LIVED = 3;

    @ParameterizedTest(name = "history of {0} terminated sessions")
    @ValueSource(ints = {0, 100_000})
    void aSteadyStateCycleCostsTheSumOfItsStepsWhateverTheHistory(int history) {
        ManualClock clock = new ManualClock(T0);
        SimulatorSettings scripted = new SimulatorSettings(11, 0, "us-east-1", "123456789012", 1, 10, 0.0,
                Duration.ofMinutes(20), 1.0, 0, 0, 2, 20, 100, SimulatorSettings.Faults.none());
        try (AgentRuntime agent = AgentRuntime.start(TestConfigs.withSimulator(TestConfigs.defaults(), scripted),
                AgentRuntime.Options.forTests(clock))) {
            Workload workload = agent.simulator().workload();
            String portal = agent.simulator().portalIds().get(0);
            workload.preload(portal, 0, history);
            List<String> active = new ArrayList<>();
            for (int i = 0; i < ACTIVE; i++) {
                active.add(workload.startSession(portal, "user" + (i % 40) + "@example.com", List.of("10.0.0." + (i % 200)),
                        T0.minusSeconds(3600 - i)).sessionId());
            }
            agent.scheduler().pollOnce(); // baseline: fetches every IP once
            for (int cycle = 0; cycle < 3; cycle++) {
                Map<String, Long> before = counts(agent);
                Instant cycleStart = clock.instant();
                for (int i = 0; i < STARTS; i++) {
                    active.add(workload.startSession(portal, "new" + i + "@example.com", List.of("192.0.2." + i),
                            cycleStart.plusSeconds(1 + i)).sessionId());
                }
                for (int i = 0; i < ENDS; i++) {
                    workload.endSession(portal, active.remove(0), cycleStart.plusSeconds(10 + i));
                }
                clock.advance(Duration.ofSeconds(30));
                for (int i = 0; i < SHORT_LIVED; i++) {
                    SessionRecord s = workload.startSession(portal, "brief" + i, List.of("198.51.100." + i),
                            cycleStart.plusSeconds(2 + i));
                    workload.endSession(portal, s.sessionId(), cycleStart.plusSeconds(20 + i));
                }
                agent.scheduler().pollOnce();
                Map<String, Long> spent = minus(counts(agent), before);

                long activePages = (ACTIVE + 99) / 100;
                long recentTerminatedPages = 1; // the first page already reaches sessions older than the cutoff
                assertThat(spent).as("cycle %d, outcomes %s", cycle, agent.simulator().requestCounts()).isEqualTo(Map.of(
                        "ListSessions", activePages + recentTerminatedPages,
                        "GetSession", (long) (STARTS + ENDS)));
            }
            var accounting = agent.store().view(portal).orElseThrow().accounting();
            assertThat(accounting.started()).isEqualTo(3L * (STARTS + SHORT_LIVED));
            assertThat(accounting.ended()).isEqualTo(3L * (ENDS + SHORT_LIVED));
        }
    }

    private static Map<String, Long> counts(AgentRuntime agent) {
        Map<String, Long> total = new HashMap<>();
        agent.simulator().requestCounts().forEach((op, byOutcome) ->
                total.put(op, byOutcome.values().stream().mapToLong(Long::longValue).sum()));
        return total;
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> diff = new HashMap<>();
        after.forEach((op, n) -> {
            long d = n - before.getOrDefault(op, 0L);
            if (d != 0) {
                diff.put(op, d);
            }
        });
        return diff;
    }
}
