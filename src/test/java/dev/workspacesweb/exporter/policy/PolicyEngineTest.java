package dev.workspacesweb.exporter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.cli.SimulatedAws;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.Cidr;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.poll.PollSettings;
import dev.workspacesweb.exporter.poll.PortalPoller;
import dev.workspacesweb.exporter.poll.PortalState;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The policy engine behind the real poller, both talking to the simulator through the real SDK, time driven by the
 * simulator's manual clock: what is expired is read back from the simulator's ground truth.
 */
class PolicyEngineTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private SimulatedAws aws;
    private String portal;
    private PortalPoller poller;

    @BeforeEach
    void start() {
        aws = new SimulatedAws(1, 20);
        portal = aws.portal(0);
        poller = new PortalPoller(PortalInfo.ofId(portal, "us-east-1"), aws.gateway, PollSettings.of(TestConfigs.defaults()),
                aws.clock, PortalState.initial());
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private static AgentConfig.Policy maxDuration(boolean dryRun) {
        return new AgentConfig.Policy("max-duration", Duration.ofHours(12), null, null, dryRun);
    }

    private static AgentConfig.Policy blockedNetworks(boolean dryRun) {
        return new AgentConfig.Policy("blocked-networks", null, List.of(Cidr.parse("203.0.113.0/24")), null, dryRun);
    }

    private static AgentConfig.Policy onePerUser(boolean dryRun) {
        return new AgentConfig.Policy("one-session-per-user", null, null, 1, dryRun);
    }

    /** One poll 30 s after the previous one, handed to the engine as the scheduler does. */
    private void pollAndApply(PolicyEngine engine) {
        aws.clock.advance(Duration.ofSeconds(30));
        PortalCycle cycle = poller.poll();
        assertThat(cycle.view().up()).as(cycle.view().lastError()).isTrue();
        engine.apply(cycle.view());
    }

    private double count(String policy, String outcome) {
        return PolicyMetrics.value(registry, policy, outcome);
    }

    private SessionRecord.Status status(SessionRecord s) {
        return aws.status(portal, s.sessionId());
    }

    @Test
    void liveRulesExpireExactlyTheMatchingSessionsOnce() {
        SessionRecord old = aws.start(portal, "olga", Duration.ofHours(13), "198.51.100.1");
        SessionRecord oldAndBlocked = aws.start(portal, "oscar", Duration.ofHours(14), "203.0.113.200");
        SessionRecord blocked = aws.start(portal, "bob", Duration.ofMinutes(5), "198.51.100.2", "203.0.113.5");
        SessionRecord alice1 = aws.start(portal, "alice", Duration.ofHours(3), "198.51.100.3");
        SessionRecord alice2 = aws.start(portal, "alice", Duration.ofHours(2), "198.51.100.4");
        SessionRecord alice3 = aws.start(portal, "alice", Duration.ofHours(1), "198.51.100.5");
        SessionRecord fine = aws.start(portal, "carol", Duration.ofHours(11), "198.51.100.6");
        PolicyEngine engine = new PolicyEngine(List.of(maxDuration(false), blockedNetworks(false), onePerUser(false)),
                new SessionControl(region -> aws.gateway, registry), registry);

        pollAndApply(engine);

        assertThat(List.of(old, oldAndBlocked, blocked, alice1, alice2)).allSatisfy(
                s -> assertThat(status(s)).as(s.username()).isEqualTo(SessionRecord.Status.Terminated));
        assertThat(List.of(alice3, fine)).allSatisfy(s -> assertThat(status(s)).isEqualTo(SessionRecord.Status.Active));
        // The session matching two rules was expired by the first one only.
        assertThat(count("max-duration", "expired")).isEqualTo(2);
        assertThat(count("blocked-networks", "expired")).isEqualTo(1);
        assertThat(count("one-session-per-user", "expired")).isEqualTo(2);
        assertThat(aws.truth().portal(portal).activeSessions()).hasSize(2);

        // Nothing more to do: the next polls decide nothing again.
        pollAndApply(engine);
        pollAndApply(engine);
        assertThat(PolicyMetrics.series(registry)).containsExactlyInAnyOrder(
                "max-duration/expire/expired=2.0", "max-duration/expire/failed=0.0",
                "blocked-networks/expire/expired=1.0", "blocked-networks/expire/failed=0.0",
                "one-session-per-user/expire/expired=2.0", "one-session-per-user/expire/failed=0.0");

        // Alice logs in again: her previous session is now the oldest beyond the limit. Carol crosses 12 h.
        SessionRecord alice4 = aws.start(portal, "alice", Duration.ZERO, "198.51.100.7");
        aws.clock.advance(Duration.ofHours(1));
        pollAndApply(engine);
        assertThat(status(alice3)).isEqualTo(SessionRecord.Status.Terminated);
        assertThat(status(alice4)).isEqualTo(SessionRecord.Status.Active);
        assertThat(status(fine)).isEqualTo(SessionRecord.Status.Terminated);
        assertThat(count("one-session-per-user", "expired")).isEqualTo(3);
        assertThat(count("max-duration", "expired")).isEqualTo(3);
    }

    @Test
    void dryRunOnlyCountsAndTheServiceKeepsEverySession() {
        SessionRecord old = aws.start(portal, "olga", Duration.ofHours(13), "198.51.100.1");
        SessionRecord blocked = aws.start(portal, "bob", Duration.ofMinutes(5), "203.0.113.5");
        SessionRecord alice1 = aws.start(portal, "alice", Duration.ofHours(3), "198.51.100.3");
        SessionRecord alice2 = aws.start(portal, "alice", Duration.ofHours(2), "198.51.100.4");
        PolicyEngine engine = new PolicyEngine(List.of(maxDuration(true), blockedNetworks(true), onePerUser(true)),
                new SessionControl(region -> aws.gateway, registry), registry);

        for (int i = 0; i < 3; i++) {
            pollAndApply(engine);
        }

        assertThat(List.of(old, blocked, alice1, alice2)).allSatisfy(
                s -> assertThat(status(s)).isEqualTo(SessionRecord.Status.Active));
        assertThat(PolicyMetrics.series(registry)).containsExactlyInAnyOrder(
                "max-duration/expire/would_expire=1.0",
                "blocked-networks/expire/would_expire=1.0",
                "one-session-per-user/expire/would_expire=1.0");
        assertThat(aws.simulator.requestCounts()).doesNotContainKey("ExpireSession");
    }

    @Test
    void aFailedExpireIsCountedAndTriedAgainOnTheNextPoll() {
        SessionRecord old = aws.start(portal, "olga", Duration.ofHours(13), "198.51.100.1");
        // A gateway to a port nothing listens on: every ExpireSession fails with an I/O error.
        AgentConfig.Aws dead = TestConfigs.withAws(TestConfigs.defaults(), a -> new AgentConfig.Aws(List.of("us-east-1"),
                "http://127.0.0.1:9", List.of(), 0, 1, 20, Duration.ofSeconds(5), Duration.ofSeconds(2), 1, "", "")).aws();
        try (WorkSpacesWebGateway broken = WorkSpacesWebGateway.create("us-east-1", dead,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x")), new SimpleMeterRegistry(),
                BackoffStrategy.retryImmediately(), true)) {
            Function<String, WorkSpacesWebGateway> gateways = region -> broken;
            PolicyEngine engine = new PolicyEngine(List.of(maxDuration(false)), new SessionControl(gateways, registry), registry);
            pollAndApply(engine);
            pollAndApply(engine);
            assertThat(count("max-duration", "failed")).isEqualTo(2);
            assertThat(count("max-duration", "expired")).isZero();
            assertThat(status(old)).isEqualTo(SessionRecord.Status.Active);
        }
    }
}
