package dev.workspacesweb.exporter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.aws.SessionQuery;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.ServiceSession;
import dev.workspacesweb.exporter.model.SessionPage;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The policies act off the publishing (poll) thread: a publication returns at once while an ExpireSession hangs, and
 * the expiry happens when the service answers.
 */
class PolicyEngineOffThreadTest {
    private static final PortalInfo PORTAL = PortalInfo.ofId("portal-1", "us-east-1");

    /** ExpireSession blocks until the test lets it go; if that never happens in 30 s it says so. */
    private static final class HangingService implements WorkSpacesWebApi {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean gaveUp = new AtomicBoolean();

        @Override
        public void expireSession(String portalId, String sessionId) {
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    gaveUp.set(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String region() {
            return "us-east-1";
        }

        @Override
        public List<PortalInfo> listPortals() {
            return List.of(PORTAL);
        }

        @Override
        public int listSessions(String portalId, SessionQuery query, Predicate<SessionPage> onPage) {
            return 0;
        }

        @Override
        public Optional<ServiceSession> getSession(String portalId, String sessionId) {
            return Optional.empty();
        }
    }

    @Test
    void aHangingExpireSessionDoesNotHoldThePublication() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        HangingService service = new HangingService();
        Instant t0 = Instant.parse("2026-03-02T09:00:00Z");
        var old = new SessionSnapshot("s-old", "alice", t0.minus(Duration.ofHours(13)), List.of("198.51.100.1"));
        PortalView view = new PortalView(PORTAL, true, t0, t0, "", PortalSnapshot.of(PORTAL, t0, List.of(old)), null);
        try (PolicyEngine engine = new PolicyEngine(List.of(new AgentConfig.Policy("max-duration", Duration.ofHours(12),
                null, null, false)), new SessionControl(region -> service, registry), registry)) {
            engine.published(view); // returns at once: the poll that published goes on

            assertThat(service.entered.await(30, TimeUnit.SECONDS)).as("ExpireSession called on the engine's thread").isTrue();
            assertThat(PolicyMetrics.value(registry, "max-duration", "expired")).isZero();
            service.release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (PolicyMetrics.value(registry, "max-duration", "expired") == 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertThat(PolicyMetrics.value(registry, "max-duration", "expired")).isEqualTo(1);
            assertThat(service.gaveUp).as("the publication waited for ExpireSession").isFalse();
        }
    }
}
