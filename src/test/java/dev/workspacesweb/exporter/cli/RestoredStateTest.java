package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.testing.Workloads;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import dev.workspacesweb.exporter.config.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One source of truth from start-up: an agent restarted on its state file shows the restored counters in the store
 * (landing page, admin API, policies) and on /metrics (and so OTLP) before its first poll, the same values, no lower
 * than the last ones the stopped agent showed; the first poll then only moves them up.
 */
class RestoredStateTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aRestoredStateIsShownTheSameEverywhereBeforeTheFirstPoll() throws Exception {
        ManualClock clock = new ManualClock(T0);
        AgentConfig config = TestConfigs.withState(
                TestConfigs.withSimulator(TestConfigs.defaults(), Workloads.busyInRealTime(11)), dir.resolve("state.json"));
        Map<String, Double> shownBefore = new HashMap<>();
        try (AgentRuntime first = AgentRuntime.start(config, AgentRuntime.Options.forTests(clock))) {
            first.scheduler().pollOnce();
            for (int i = 0; i < 20; i++) {
                clock.advance(Duration.ofSeconds(30));
                first.scheduler().pollOnce();
            }
            for (PortalView v : first.store().views()) {
                shownBefore.put(v.portalId(), started(first, v.portalId()));
            }
        }
        assertThat(shownBefore).isNotEmpty().allSatisfy((id, started) -> assertThat(started).isPositive());

        try (AgentRuntime second = AgentRuntime.start(config, AgentRuntime.Options.forTests(clock))) {
            // Discovery, without any poll: ListPortals only (the restored views are published as discovery finds them).
            second.scheduler().discoverNow();
            assertThat(second.store().views()).hasSameSizeAs(shownBefore.keySet());
            for (PortalView v : second.store().views()) {
                assertThat(v.polled()).as("not polled yet").isFalse();
                double inStore = v.accounting().started();
                assertThat(started(second, v.portalId())).as("/metrics = store, %s", v.portalId()).isEqualTo(inStore);
                assertThat(inStore).as("restored, %s", v.portalId()).isEqualTo(shownBefore.get(v.portalId()));
            }
            clock.advance(Duration.ofSeconds(30));
            second.scheduler().pollOnce();
            for (PortalView v : second.store().views()) {
                assertThat(started(second, v.portalId())).isGreaterThanOrEqualTo(shownBefore.get(v.portalId()));
            }
        }
    }

    private static double started(AgentRuntime agent, String portalId) {
        return Samples.of(agent.registry()).value("workspaces_web_sessions_started_total", "portal_id", portalId).orElseThrow();
    }
}
