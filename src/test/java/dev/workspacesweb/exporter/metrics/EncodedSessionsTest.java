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
import static dev.workspacesweb.exporter.testing.Expositions.protobufFamilies;
import static dev.workspacesweb.exporter.testing.Expositions.textFamilies;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The bytes {@link SessionMetrics#encoded()} keeps equal what client_java's writers render afresh from
 * {@link SessionMetrics#collect()}, in every format, plain and gzipped, after every kind of change: exactly with one
 * portal, and as the same families (header once) with the same samples with several.
 */
class EncodedSessionsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final PortalInfo P1 = new PortalInfo("p-1", "us-east-1",
            "arn:aws:workspaces-web:us-east-1:123456789012:portal/p-1", "Sales \"EU\"\n", "Active", "standard.regular", 25);
    private static final PortalInfo P2 = new PortalInfo("p-0", "us-east-1",
            "arn:aws:workspaces-web:us-east-1:123456789012:portal/p-0", "Ops", "Active", "standard.large", null);
    private static final ExpositionFormats FORMATS = ExpositionFormats.init(PrometheusProperties.get());

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final InstantSource clock = now::get;
    private final SnapshotStore store = new SnapshotStore();
    private final SyntheticPolls polls1 = new SyntheticPolls(P1);
    private final SyntheticPolls polls2 = new SyntheticPolls(P2);

    private static SessionSnapshot session(String id, String user, Instant start, String... ips) {
        return new SessionSnapshot(id, user, start, List.of(ips));
    }

    private static final SessionSnapshot A = session("s1", "ana@example.com", T0.minusSeconds(600), "198.51.100.7");
    private static final SessionSnapshot B = session("s2", "ana@example.com", T0.minusSeconds(60), "198.51.100.7", "2001:db8::1a");
    private static final SessionSnapshot C = session("s3", "bob \"the\" \\ builder\n", T0.minusSeconds(30), "203.0.113.9");
    private static final SessionSnapshot D = session("s4", "carol", T0.minusSeconds(5), "203.0.113.10", "198.51.100.7");

    @Test
    void emptyBeforeAnyPoll() throws IOException {
        SessionMetrics metrics = new SessionMetrics(TestConfigs.defaults(), clock, store);
        assertSameAsFreshRender(metrics, true);
        assertThat(metrics.encoded().length(ScrapeFormat.TEXT)).isZero();
    }

    @Test
    void bytesEncodedOnThePollsThreadAreTheFreshRenderToo() throws IOException {
        SessionMetrics metrics = new SessionMetrics(TestConfigs.defaults(), clock, store);
        for (PortalCycle cycle : List.of(polls1.poll(T0, true, 0, List.of(), A, B, C), polls2.poll(T0, true, 0, List.of(), D))) {
            store.publish(cycle);
            metrics.published(cycle.view()); // as the runtime's subscriber does, before any scrape
        }
        assertSameAsFreshRender(metrics, false);
        // A view already replaced by a newer poll is not encoded over it.
        PortalCycle older = polls1.poll(T0.plusSeconds(30), false, 1, List.of(), A, B, C, D);
        PortalCycle newer = polls1.poll(T0.plusSeconds(60), false, 0, List.of(), A, B);
        store.publish(older);
        store.publish(newer);
        metrics.published(older.view());
        metrics.published(newer.view());
        assertSameAsFreshRender(metrics, false);
        assertThat(text(metrics)).contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 2.0");
    }

    @Test
    void encodedIfBuiltIsNullUntilAPollsBytesAreBuiltThenTheBytesEveryScrapeSends() {
        SessionMetrics metrics = new SessionMetrics(TestConfigs.defaults(), clock, store);
        store.publish(polls1.poll(T0, true, 0, List.of(), A, B, C));
        assertThat(metrics.encodedIfBuilt()).as("a poll landed: something to build").isNull();
        EncodedScrape built = metrics.encoded();
        assertThat(metrics.encodedIfBuilt()).isSameAs(built);
        store.publish(polls1.poll(T0.plusSeconds(30), false, 1, List.of(), A, B, C, D));
        assertThat(metrics.encodedIfBuilt()).as("the next poll").isNull();
        assertThat(metrics.encoded()).isNotSameAs(built);
    }

    @Test
    void onePortalThroughNewEndedDownStaleAndRemoved() throws IOException {
        SessionMetrics metrics = new SessionMetrics(TestConfigs.defaults(), clock, store);
        store.publish(polls1.poll(T0, true, 0, List.of(), A, B, C));
        assertSameAsFreshRender(metrics, true);
        assertThat(text(metrics)).contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 3.0");

        // a new session
        now.set(T0.plusSeconds(30));
        store.publish(polls1.poll(now.get(), false, 1, List.of(), A, B, C, D));
        assertSameAsFreshRender(metrics, true);
        assertThat(text(metrics)).contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 4.0")
                .contains("workspaces_web_sessions_started_total{portal_id=\"p-1\"} 1.0");

        // ended sessions: the counters and the duration histogram move
        now.set(T0.plusSeconds(60));
        store.publish(polls1.poll(now.get(), false, 0, List.of(
                new SessionEnd("s1", "ana@example.com", A.startTime(), T0.plusSeconds(40)),
                new SessionEnd("s3", C.username(), C.startTime(), T0.plusSeconds(50))), B, D));
        assertSameAsFreshRender(metrics, true);
        assertThat(text(metrics)).contains("workspaces_web_sessions_ended_total{portal_id=\"p-1\"} 2.0")
                .contains("workspaces_web_session_duration_seconds_count{portal_id=\"p-1\"} 2");

        // the portal goes down: up=0, its last data still shown until poll.stale_after (3 intervals)
        now.set(T0.plusSeconds(90));
        PortalView last = polls1.poll(T0.plusSeconds(60), false, 0, List.of(), B, D).view();
        store.publish(new PortalCycle(new PortalView(P1, false, now.get(), last.lastSuccess(), "ThrottlingException: slow",
                last.lastGood(), polls1.accounting()), false, 0, List.of(), Duration.ofMillis(10)));
        assertSameAsFreshRender(metrics, true);
        assertThat(text(metrics)).contains("workspaces_web_portal_up{portal_id=\"p-1\"} 0.0")
                .contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 2.0");

        // ... and once stale, no session data, with no poll in between: the clock alone changes the scrape
        now.set(T0.plusSeconds(60 + 90));
        assertSameAsFreshRender(metrics, true);
        assertThat(text(metrics)).doesNotContain("workspaces_web_active_sessions{")
                .contains("workspaces_web_portal_up{portal_id=\"p-1\"} 0.0");

        // removed: nothing left
        store.remove("p-1");
        assertSameAsFreshRender(metrics, true);
        assertThat(metrics.encoded().length(ScrapeFormat.TEXT)).isZero();
    }

    @Test
    void severalPortalsShareEachFamilysHeader() throws IOException {
        SessionMetrics metrics = new SessionMetrics(TestConfigs.defaults(), clock, store);
        store.publish(polls1.poll(T0, true, 0, List.of(), A, B, C));
        store.publish(polls2.poll(T0, true, 0, List.of(), D, session("s9", "ana@example.com", T0.minusSeconds(9), "192.0.2.1")));
        assertSameAsFreshRender(metrics, false);

        now.set(T0.plusSeconds(30));
        store.publish(polls2.poll(now.get(), false, 1, List.of(new SessionEnd("s9", "ana@example.com", T0.minusSeconds(9),
                T0.plusSeconds(20))), D, session("s10", "dan", T0.plusSeconds(10), "192.0.2.2")));
        assertSameAsFreshRender(metrics, false);

        store.remove("p-0");
        assertSameAsFreshRender(metrics, true);
    }

    @Test
    void aConfigWithOtherLabelsAndLimitsRendersTheSameViewsTheSame() throws IOException {
        // What a reload does to the metrics: a new config, the portals' views rendered again under it.
        List<PortalCycle> cycles = List.of(polls1.poll(T0, true, 0, List.of(), A, B, C),
                polls2.poll(T0, true, 0, List.of(), D));
        AgentConfig base = TestConfigs.defaults();
        List<AgentConfig> configs = List.of(base,
                TestConfigs.withLimits(base, new AgentConfig.Limits(1, 1)),
                TestConfigs.withLabels(base, new AgentConfig.Labels(AgentConfig.UsernameMode.HASH, AgentConfig.ClientIpMode.PREFIX, "k")),
                TestConfigs.withLabels(base, new AgentConfig.Labels(AgentConfig.UsernameMode.DROP, AgentConfig.ClientIpMode.DROP, "")),
                new AgentConfig(base.server(), base.web(), base.source(), base.aws(), base.poll(), base.limits(), base.labels(),
                        new AgentConfig.Metrics(List.of(10.0, 100.0), false), base.state(), base.otlp(), base.admin(),
                        base.policies(), base.shard(), base.simulator(), base.log(), base.geoip()));
        for (AgentConfig config : configs) {
            SessionMetrics metrics = new SessionMetrics(config, clock, store);
            cycles.forEach(store::publish);
            assertSameAsFreshRender(metrics, false);
        }
    }

    @Test
    void aReloadsNewMetricsShowTheStoresViewsWithTheirOwnSettings() throws IOException {
        List.of(polls1.poll(T0, true, 0, List.of(), A, B, C), polls2.poll(T0, true, 0, List.of(), D)).forEach(store::publish);
        SessionMetrics before = new SessionMetrics(TestConfigs.defaults(), clock, store);
        assertSameAsFreshRender(before, false);
        // A reload builds new metrics over the same store: the views shown so far, at once, under the new limits.
        SessionMetrics reloaded = new SessionMetrics(TestConfigs.withLimits(TestConfigs.defaults(), new AgentConfig.Limits(1, 1)),
                clock, store);
        assertThat(text(reloaded)).contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 3.0")
                .contains("workspaces_web_user_active_sessions{portal_id=\"p-1\",username=\"__other__\"} 1.0");
        assertSameAsFreshRender(reloaded, false);
        // A poll published afterwards reaches the new metrics, bytes included.
        store.publish(polls1.poll(T0.plusSeconds(30), false, 1, List.of(), A, B, C, D));
        assertThat(text(reloaded)).contains("workspaces_web_active_sessions{portal_id=\"p-1\"} 4.0");
        assertSameAsFreshRender(reloaded, false);
    }

    @Test
    void namesOfEveryEscapingSchemeAreTheEncodedOnes() throws IOException {
        SessionMetrics metrics = new SessionMetrics(TestConfigs.defaults(), clock, store);
        store.publish(polls1.poll(T0, true, 0, List.of(), A, B, C));
        for (EscapingScheme escaping : EscapingScheme.values()) {
            for (ScrapeFormat format : ScrapeFormat.values()) {
                if (ScrapeFormat.encodedUnder(escaping)) {
                    assertThat(body(metrics, format, false)).as("%s %s", format, escaping)
                            .isEqualTo(fresh(metrics, format, escaping));
                } else if (format != ScrapeFormat.PROTOBUF) {
                    // Why such a scrape is rendered live: the names differ.
                    assertThat(body(metrics, format, false)).as("%s %s", format, escaping)
                            .isNotEqualTo(fresh(metrics, format, escaping));
                }
            }
        }
    }

    // ---- comparison

    private static String text(SessionMetrics metrics) {
        return new String(metrics.encoded().bytes(ScrapeFormat.TEXT, false), StandardCharsets.UTF_8);
    }

    /** The encoded bytes as a scrape sends them: OpenMetrics closed with # EOF (the live part writes it). */
    private static byte[] body(SessionMetrics metrics, ScrapeFormat format, boolean gzipped) throws IOException {
        byte[] b = metrics.encoded().bytes(format, gzipped);
        if (gzipped && b.length > 0) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                b = in.readAllBytes();
            }
        }
        if (format == ScrapeFormat.OPENMETRICS) {
            b = Arrays.copyOf(b, b.length + 6);
            System.arraycopy("# EOF\n".getBytes(StandardCharsets.US_ASCII), 0, b, b.length - 6, 6);
        }
        return b;
    }

    private static byte[] fresh(SessionMetrics metrics, ScrapeFormat format, EscapingScheme escaping) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricSnapshots snapshots = metrics.collect();
        format.writer(FORMATS).write(out, snapshots, escaping);
        return out.toByteArray();
    }

    private static void assertSameAsFreshRender(SessionMetrics metrics, boolean exact) throws IOException {
        for (ScrapeFormat format : ScrapeFormat.values()) {
            byte[] fresh = fresh(metrics, format, EscapingScheme.DEFAULT);
            byte[] cached = body(metrics, format, false);
            assertThat(body(metrics, format, true)).as("gunzipped %s", format).isEqualTo(cached);
            if (exact) {
                assertThat(cached).as(format.name()).isEqualTo(fresh);
            }
            if (format == ScrapeFormat.PROTOBUF) {
                assertThat(protobufFamilies(cached)).isEqualTo(protobufFamilies(fresh));
            } else {
                assertThat(textFamilies(cached)).as(format.name()).isEqualTo(textFamilies(fresh));
            }
        }
    }
}
