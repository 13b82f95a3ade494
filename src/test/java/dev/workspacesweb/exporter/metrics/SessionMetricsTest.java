package dev.workspacesweb.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionEnd;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import dev.workspacesweb.exporter.testing.SyntheticPolls;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionMetricsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final PortalInfo PORTAL = new PortalInfo("p-1", "us-east-1",
            "arn:aws:workspaces-web:us-east-1:123456789012:portal/p-1", "Sales \"EU\"", "Active", "standard.regular", 25);

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final InstantSource clock = now::get;

    private PrometheusRegistry registry(AgentConfig config) {
        PrometheusRegistry registry = new PrometheusRegistry();
        metrics = new SessionMetrics(config, clock, store).register(registry);
        return registry;
    }

    private SessionMetrics metrics;
    private final SnapshotStore store = new SnapshotStore();

    private static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private final SyntheticPolls polls = new SyntheticPolls(PORTAL);

    private PortalCycle up(Instant at, boolean baseline, int started, List<SessionEnd> ended, SessionSnapshot... sessions) {
        return polls.poll(at, baseline, started, ended, sessions);
    }

    @Test
    void rendersTheSnapshotAndTheEvents() throws IOException {
        PrometheusRegistry registry = registry(TestConfigs.defaults());
        store.publish(up(T0, true, 0, List.of(),
                new SessionSnapshot("s1", "ana@example.com", T0.minusSeconds(600), List.of("198.51.100.7")),
                new SessionSnapshot("s2", "ana@example.com", T0.minusSeconds(60), List.of("198.51.100.7", "2001:db8::1a")),
                new SessionSnapshot("s3", "bob@example.com", T0.minusSeconds(30), List.of("203.0.113.9"))));
        String text = scrape(registry);
        assertThat(text)
                .contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 3.0")
                .contains("workspaces_web_active_users{portal_id=\"p-1\"} 2.0")
                .contains("workspaces_web_user_active_sessions{portal_id=\"p-1\",username=\"ana@example.com\"} 2.0")
                .contains("workspaces_web_active_client_ips{portal_id=\"p-1\"} 3.0")
                .contains("workspaces_web_user_client_ips{portal_id=\"p-1\",username=\"ana@example.com\"} 2.0")
                .contains("workspaces_web_user_client_ips{portal_id=\"p-1\",username=\"bob@example.com\"} 1.0")
                .contains("workspaces_web_client_ip_active_sessions{client_ip=\"198.51.100.7\",portal_id=\"p-1\"} 2.0")
                .contains("workspaces_web_oldest_active_session_age_seconds{portal_id=\"p-1\"} 600.0")
                .contains("workspaces_web_portal_max_concurrent_sessions{portal_id=\"p-1\"} 25.0")
                .contains("display_name=\"Sales \\\"EU\\\"\"")
                .contains("workspaces_web_portal_up{portal_id=\"p-1\"} 1.0")
                .contains("workspaces_web_sessions_started_total{portal_id=\"p-1\"} 0.0")
                .contains("workspaces_web_sessions_ended_total{portal_id=\"p-1\"} 0.0")
                .contains("workspaces_web_session_duration_seconds_count{portal_id=\"p-1\"} 0");

        now.set(T0.plusSeconds(30));
        store.publish(up(T0.plusSeconds(30), false, 2, List.of(
                        new SessionEnd("s1", "ana@example.com", T0.minusSeconds(600), T0.plusSeconds(10)),
                        new SessionEnd("s9", "eve", T0.plusSeconds(1), T0.plusSeconds(21))),
                new SessionSnapshot("s2", "ana@example.com", T0.minusSeconds(60), List.of("198.51.100.7"))));
        text = scrape(registry);
        assertThat(text)
                .contains("workspaces_web_sessions_started_total{portal_id=\"p-1\"} 2.0")
                .contains("workspaces_web_sessions_ended_total{portal_id=\"p-1\"} 2.0")
                .contains("workspaces_web_session_duration_seconds_count{portal_id=\"p-1\"} 2")
                .contains("workspaces_web_session_duration_seconds_sum{portal_id=\"p-1\"} 630.0")
                .contains("workspaces_web_session_duration_seconds_bucket{portal_id=\"p-1\",le=\"30.0\"} 1")
                .contains("workspaces_web_session_duration_seconds_bucket{portal_id=\"p-1\",le=\"900.0\"} 2")
                .as("a user with no active session any more has no series, not a 0")
                .doesNotContain("username=\"bob@example.com\"");
    }

    @Test
    void hostileUsernamesStayInsideTheirLabel() throws IOException {
        PrometheusRegistry registry = registry(TestConfigs.defaults());
        String hostile = "x\"} 1\nworkspaces_web_active_sessions{portal_id=\"evil\"} 99 \\ ,}{ é ✓ \u0007";
        store.publish(up(T0, true, 0, List.of(), new SessionSnapshot("s1", hostile, T0, List.of("10.0.0.1"))));
        String text = scrape(registry);
        assertThat(text).doesNotContain("portal_id=\"evil\"} 99");
        assertThat(text.lines().filter(l -> l.startsWith("workspaces_web_active_sessions{"))).hasSize(1);
        assertThat(text).contains("username=\"x\\\"} 1\\nworkspaces_web_active_sessions{portal_id=\\\"evil\\\"} 99 \\\\ ,}{ é ✓");
    }

    @Nested
    class Caps {
        @Test
        void foldsUsersAndIpsBeyondTheLimitAndReportsThem() throws IOException {
            PrometheusRegistry registry = registry(TestConfigs.withLimits(TestConfigs.defaults(), new AgentConfig.Limits(1, 2)));
            store.publish(up(T0, true, 0, List.of(),
                    new SessionSnapshot("s1", "ana", T0, List.of("10.0.0.1")),
                    new SessionSnapshot("s2", "ana", T0, List.of("10.0.0.2")),
                    new SessionSnapshot("s3", "bob", T0, List.of("10.0.0.3")),
                    new SessionSnapshot("s4", "cy", T0, List.of("10.0.0.3"))));
            String text = scrape(registry);
            assertThat(text)
                    .contains("workspaces_web_user_active_sessions{portal_id=\"p-1\",username=\"ana\"} 2.0")
                    .contains("workspaces_web_user_active_sessions{portal_id=\"p-1\",username=\"__other__\"} 2.0")
                    .contains("workspaces_web_series_dropped{metric=\"workspaces_web_user_active_sessions\",portal_id=\"p-1\"} 2.0")
                    .contains("workspaces_web_series_dropped{metric=\"workspaces_web_client_ip_active_sessions\",portal_id=\"p-1\"} 1.0")
                    .contains("workspaces_web_active_users{portal_id=\"p-1\"} 3.0")
                    .as("ana keeps her series with her two IPs; bob and cy are folded, their one shared IP counted once")
                    .contains("workspaces_web_user_client_ips{portal_id=\"p-1\",username=\"ana\"} 2.0")
                    .contains("workspaces_web_user_client_ips{portal_id=\"p-1\",username=\"__other__\"} 1.0");
        }
    }

    @Nested
    class LabelModes {
        @Test
        void dropRemovesTheFamiliesAndPrefixCountsSessionsOncePerNetwork() throws IOException {
            PrometheusRegistry registry = registry(TestConfigs.withLabels(TestConfigs.defaults(),
                    new AgentConfig.Labels(AgentConfig.UsernameMode.DROP, AgentConfig.ClientIpMode.PREFIX, "")));
            store.publish(up(T0, true, 0, List.of(),
                    new SessionSnapshot("s1", "ana", T0, List.of("10.0.0.1", "10.0.0.2")),
                    new SessionSnapshot("s2", "bob", T0, List.of("10.0.0.3"))));
            String text = scrape(registry);
            assertThat(text).doesNotContain("workspaces_web_user_active_sessions");
            assertThat(text).contains("workspaces_web_client_ip_active_sessions{client_ip=\"10.0.0.0/24\",portal_id=\"p-1\"} 2.0");
            assertThat(text).contains("workspaces_web_active_users{portal_id=\"p-1\"} 2.0");
        }
    }

    @Nested
    class Failures {
        @Test
        void aSlowPollDoesNotWithdrawTheDataOfAPortalThatIsUp() throws IOException {
            PrometheusRegistry registry = registry(TestConfigs.defaults()); // stale after 3 x 30s
            store.publish(up(T0, true, 0, List.of(), new SessionSnapshot("s1", "ana", T0, List.of("10.0.0.1"))));
            now.set(T0.plusSeconds(300)); // the next poll is still running, long after stale_after
            assertThat(scrape(registry)).contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 1.0")
                    .contains("workspaces_web_last_successful_poll_timestamp_seconds{portal_id=\"p-1\"}");
        }

        @Test
        void aFailingPortalKeepsItsDataUntilStaleThenShowsOnlyItsHealth() throws IOException {
            PrometheusRegistry registry = registry(TestConfigs.defaults()); // stale after 3 x 30s
            store.publish(up(T0, true, 0, List.of(), new SessionSnapshot("s1", "ana", T0, List.of("10.0.0.1"))));
            PortalSnapshot snap = PortalSnapshot.of(PORTAL, T0, List.of(new SessionSnapshot("s1", "ana", T0, List.of("10.0.0.1"))));
            PortalView down = new PortalView(PORTAL, false, T0.plusSeconds(30), T0, "AccessDeniedException: no", snap, polls.accounting());
            now.set(T0.plusSeconds(30));
            store.publish(new PortalCycle(down, false, 0, List.of(), Duration.ofMillis(1)));
            String text = scrape(registry);
            assertThat(text).contains("workspaces_web_portal_up{portal_id=\"p-1\"} 0.0")
                    .contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 1.0");

            now.set(T0.plusSeconds(91));
            text = scrape(registry);
            assertThat(text).contains("workspaces_web_portal_up{portal_id=\"p-1\"} 0.0")
                    .doesNotContain("workspaces_web_active_sessions{")
                    .doesNotContain("workspaces_web_user_active_sessions{")
                    .as("the counters stay: they are cumulative")
                    .contains("workspaces_web_sessions_started_total{portal_id=\"p-1\"} 0.0");
        }
    }
}
