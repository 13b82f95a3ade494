package dev.workspacesweb.exporter.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortalSnapshotTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void derivesPerUserAndPerIpCountsOnce() {
        PortalSnapshot s = PortalSnapshot.of(PortalInfo.ofId("p", "us-east-1"), T, List.of(
                new SessionSnapshot("s2", "ana", T.minusSeconds(10), List.of("10.0.0.1", "10.0.0.2")),
                new SessionSnapshot("s1", "ana", T.minusSeconds(60), List.of("10.0.0.1", "10.0.0.1")),
                new SessionSnapshot("s3", "bob", T.minusSeconds(5), List.of())));
        assertThat(s.activeSessions()).isEqualTo(3);
        assertThat(s.activeUsers()).isEqualTo(2);
        assertThat(s.sessionsPerUser()).isEqualTo(Map.of("ana", 2, "bob", 1));
        assertThat(s.sessionsPerIp()).as("an IP listed twice by one session counts once")
                .isEqualTo(Map.of("10.0.0.1", 2, "10.0.0.2", 1));
        assertThat(s.activeClientIps()).isEqualTo(2);
        assertThat(s.oldestStart()).isEqualTo(T.minusSeconds(60));
        assertThat(s.sessions()).extracting(SessionSnapshot::sessionId).containsExactly("s1", "s2", "s3");
    }

    @Test
    void emptyPortal() {
        PortalSnapshot s = PortalSnapshot.of(PortalInfo.ofId("p", "us-east-1"), T, List.of());
        assertThat(s.activeSessions()).isZero();
        assertThat(s.oldestStart()).isNull();
    }
}
