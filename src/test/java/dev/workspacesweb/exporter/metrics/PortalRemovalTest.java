package dev.workspacesweb.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.testing.SyntheticPolls;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A portal that is no longer polled disappears from the scrape, counters included. */
class PortalRemovalTest {
    @Test
    void aRemovedPortalIsNoLongerRendered() {
        Instant t = Instant.parse("2026-11-25T08:00:00Z");
        SnapshotStore store = new SnapshotStore();
        SessionMetrics metrics = new SessionMetrics(TestConfigs.defaults(), () -> t, store);
        PrometheusRegistry registry = new PrometheusRegistry();
        metrics.register(registry);
        store.publish(new SyntheticPolls(PortalInfo.ofId("gone", "us-east-1")).poll(t, true, 0, List.of()));
        store.publish(new SyntheticPolls(PortalInfo.ofId("kept", "us-east-1")).poll(t, true, 0, List.of()));
        assertThat(portalsIn(registry)).containsExactlyInAnyOrder("gone", "kept");

        store.remove("gone");
        assertThat(portalsIn(registry)).containsExactly("kept");
    }

    private static List<String> portalsIn(PrometheusRegistry registry) {
        return registry.scrape().stream()
                .flatMap(s -> s.getDataPoints().stream())
                .map(p -> p.getLabels().get("portal_id"))
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
    }
}
