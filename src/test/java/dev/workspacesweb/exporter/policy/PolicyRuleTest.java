package dev.workspacesweb.exporter.policy;

import dev.workspacesweb.exporter.config.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyRuleTest {
    private static final Instant NOW = Instant.parse("2026-03-02T21:00:00Z");

    private static SessionSnapshot session(String id, String user, Duration age, String... ips) {
        return new SessionSnapshot(id, user, NOW.minus(age), List.of(ips));
    }

    private static PortalSnapshot snapshot(SessionSnapshot... sessions) {
        return PortalSnapshot.of(PortalInfo.ofId("p", "us-east-1"), NOW, List.of(sessions));
    }

    private static List<String> ids(List<PolicyRule.Match> matches) {
        return matches.stream().map(m -> m.session().sessionId()).toList();
    }

    @Test
    void maxDurationMatchesOnlySessionsStrictlyOlderThanTheLimit() {
        var rule = new PolicyRule.MaxDuration(Duration.ofHours(12));
        var snap = snapshot(
                session("young", "a", Duration.ofHours(1)),
                session("exact", "b", Duration.ofHours(12)),
                session("old", "c", Duration.ofHours(12).plusSeconds(1)));
        assertThat(ids(rule.matches(snap, Set.of()))).containsExactly("old");
    }

    @Test
    void denyCidrsMatchesAnyOfASessionsAddressesOnce() {
        var rule = new PolicyRule.DenyCidrs(List.of(Cidr.parse("203.0.113.0/24"), Cidr.parse("2001:db8::/32")));
        var snap = snapshot(
                session("v4", "a", Duration.ofMinutes(1), "198.51.100.1", "203.0.113.77"),
                session("v6", "b", Duration.ofMinutes(2), "2001:db8::5"),
                session("both", "c", Duration.ofMinutes(3), "203.0.113.1", "2001:db8::1"),
                session("clean", "d", Duration.ofMinutes(4), "198.51.100.2", "2001:db9::1"),
                session("unfetched", "e", Duration.ofMinutes(5)),
                session("garbage", "f", Duration.ofMinutes(6), "not-an-ip", "203.0.113"));
        var matches = rule.matches(snap, Set.of());
        assertThat(ids(matches)).containsExactlyInAnyOrder("v4", "v6", "both");
        assertThat(matches).filteredOn(m -> m.session().sessionId().equals("v4"))
                .singleElement().extracting(PolicyRule.Match::reason).isEqualTo("a client IP in 203.0.113.0/24");
    }

    @Test
    void maxPerUserExpiresTheOldestBeyondTheLimitAndIgnoresSessionsOnTheirWayOut() {
        var rule = new PolicyRule.MaxPerUser(1);
        var snap = snapshot(
                session("alice-1", "alice", Duration.ofHours(3)),
                session("alice-2", "alice", Duration.ofHours(2)),
                session("alice-3", "alice", Duration.ofHours(1)),
                session("bob-1", "bob", Duration.ofHours(5)),
                session("anon-1", "", Duration.ofHours(5)),
                session("anon-2", "", Duration.ofHours(4)));
        assertThat(ids(rule.matches(snap, Set.of()))).containsExactly("alice-1", "alice-2");
        // Once the two oldest are being expired, the newest alone is within the limit.
        assertThat(ids(rule.matches(snap, Set.of("alice-1", "alice-2")))).isEmpty();
        // If the newest went away instead, the older of the remaining two is still one too many.
        assertThat(ids(rule.matches(snap, Set.of("alice-3")))).containsExactly("alice-1");
    }
}
