package dev.workspacesweb.exporter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.Cidr;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Dry-run policies never call the API: the gateway lookup itself is counted and must stay at zero. */
class PolicyEngineDryRunTest {
    private static final PortalInfo PORTAL = PortalInfo.ofId("portal-1", "us-east-1");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicInteger gatewayLookups = new AtomicInteger();

    private PolicyEngine engine(AgentConfig.Policy... policies) {
        return new PolicyEngine(List.of(policies), new SessionControl(region -> {
            gatewayLookups.incrementAndGet();
            return null;
        }, registry), registry);
    }

    private static PortalView cycle(Instant polledAt, SessionSnapshot... sessions) {
        PortalSnapshot snap = PortalSnapshot.of(PORTAL, polledAt, List.of(sessions));
        return new PortalView(PORTAL, true, polledAt, polledAt, "", snap, null);
    }

    @Test
    void dryRunCountsEachMatchingSessionOnceAndExpiresNothing() {
        PolicyEngine engine = engine(
                new AgentConfig.Policy("max-duration", Duration.ofHours(12), null, null, true),
                new AgentConfig.Policy("blocked-networks", null, List.of(Cidr.parse("203.0.113.0/24")), null, true));
        Instant t0 = Instant.parse("2026-03-02T09:00:00Z");
        var longOne = new SessionSnapshot("s-long", "alice", t0.minus(Duration.ofHours(13)), List.of("198.51.100.1"));
        var blocked = new SessionSnapshot("s-blocked", "bob", t0.minusSeconds(60), List.of("203.0.113.9"));
        var fine = new SessionSnapshot("s-fine", "carol", t0.minusSeconds(60), List.of("198.51.100.2"));

        engine.apply(cycle(t0, longOne, blocked, fine));
        engine.apply(cycle(t0.plusSeconds(30), longOne, blocked, fine));

        assertThat(PolicyMetrics.value(registry, "max-duration", "would_expire")).isEqualTo(1);
        assertThat(PolicyMetrics.value(registry, "blocked-networks", "would_expire")).isEqualTo(1);
        assertThat(PolicyMetrics.value(registry, "max-duration", "expired")).isZero();
        assertThat(gatewayLookups).hasValue(0);

        // "fine" grows old: one new decision; the old ones are not repeated.
        engine.apply(cycle(t0.plus(Duration.ofHours(13)), longOne, blocked, fine));
        assertThat(PolicyMetrics.value(registry, "max-duration", "would_expire")).isEqualTo(3);
        assertThat(PolicyMetrics.value(registry, "blocked-networks", "would_expire")).isEqualTo(1);
    }

    @Test
    void forgetsASessionOnceItIsGoneAndDecidesAgainIfTheIdComesBack() {
        PolicyEngine engine = engine(new AgentConfig.Policy("one-per-user", null, null, 1, true));
        Instant t0 = Instant.parse("2026-03-02T09:00:00Z");
        var a1 = new SessionSnapshot("a1", "alice", t0.minusSeconds(120), List.of());
        var a2 = new SessionSnapshot("a2", "alice", t0.minusSeconds(60), List.of());
        engine.apply(cycle(t0, a1, a2));
        engine.apply(cycle(t0.plusSeconds(30), a1, a2));
        assertThat(PolicyMetrics.value(registry, "one-per-user", "would_expire")).isEqualTo(1);
        engine.apply(cycle(t0.plusSeconds(60), a2));
        engine.apply(cycle(t0.plusSeconds(90), a1, a2));
        assertThat(PolicyMetrics.value(registry, "one-per-user", "would_expire")).isEqualTo(2);
    }

    @Test
    void aFailedPollDecidesNothing() {
        PolicyEngine engine = engine(new AgentConfig.Policy("max-duration", Duration.ofMinutes(1), null, null, true));
        Instant t0 = Instant.parse("2026-03-02T09:00:00Z");
        PortalSnapshot stale = PortalSnapshot.of(PORTAL, t0,
                List.of(new SessionSnapshot("old", "alice", t0.minus(Duration.ofHours(1)), List.of())));
        engine.apply(new PortalView(PORTAL, false, t0.plusSeconds(30), t0, "ThrottlingException: slow down", stale, null));
        assertThat(PolicyMetrics.value(registry, "max-duration", "would_expire")).isZero();
    }

    @Test
    void exposesEveryPolicysSeriesAtZeroFromTheStart() {
        engine(new AgentConfig.Policy("dry", Duration.ofHours(1), null, null, true),
                new AgentConfig.Policy("live", Duration.ofHours(1), null, null, false));
        assertThat(PolicyMetrics.series(registry)).containsExactlyInAnyOrder(
                "dry/expire/would_expire=0.0", "live/expire/expired=0.0", "live/expire/failed=0.0");
    }

    @Test
    void isExposedAsOneCounterFamilyWithTheTotalSuffix() throws Exception {
        engine(new AgentConfig.Policy("max-duration", Duration.ofHours(12), null, null, true));
        var out = new java.io.ByteArrayOutputStream();
        io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
                .write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.DEFAULT);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("# TYPE workspaces_web_policy_actions_total counter")
                .contains("workspaces_web_policy_actions_total{action=\"expire\",outcome=\"would_expire\",policy=\"max-duration\"} 0.0");
    }

    @Test
    void aBadCidrIsRefusedAtConstruction() {
        assertThatThrownBy(() -> engine(new AgentConfig.Policy("bad", null, List.of(Cidr.parse("example.com/24")), null, true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example.com/24");
    }
}
