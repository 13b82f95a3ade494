package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.ConfigLoader;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.simulator.Truth;
import dev.workspacesweb.exporter.testing.Await;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Several AWS accounts in one agent, through the simulator's STS endpoint found the standard way (the SDK's
 * {@code aws.endpointUrlSts} setting, the system-property twin of {@code AWS_ENDPOINT_URL_STS}): each account's
 * portals are reached with its assumed role and labelled with its account and region; an account whose role is
 * refused is down on its own while the others are counted exactly (ground truth), and comes up when the role works.
 */
class AgentRuntimeAccountsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String DEFAULT = "123456789012";
    private static final String BLUE = "210987654321";
    private static final String GREEN = "333333333333";
    private static final String BLUE_ROLE = "arn:aws:iam::" + BLUE + ":role/WorkSpacesWebExporter";
    private static final String GREEN_ROLE = "arn:aws:iam::" + GREEN + ":role/WorkSpacesWebExporter";

    private final ManualClock clock = new ManualClock(T0);
    private SimulatorServer simulator;
    private AgentRuntime agent;
    private String previousStsEndpoint;

    @BeforeEach
    void start() {
        SimulatorSettings settings = new SimulatorSettings(23, 0, "us-east-1", DEFAULT, 1, 200, 20.0,
                Duration.ofMinutes(4), 1.4, 15, 50, 3, 20, 100, SimulatorSettings.Faults.none()
                        .withRefusedRoles(List.of(GREEN_ROLE)))
                .withAccounts(List.of(new SimulatorSettings.Account(BLUE, "us-east-1", 2, ""),
                        new SimulatorSettings.Account(GREEN, "eu-west-1", 1, "green-external-id")));
        simulator = SimulatorServer.start(settings, clock, "127.0.0.1", 0);
        previousStsEndpoint = System.setProperty("aws.endpointUrlSts", simulator.endpoint().toString());
        AgentConfig config = TestConfigs.withAws(TestConfigs.awsAt(TestConfigs.defaults(), simulator.endpoint().toString()),
                a -> new AgentConfig.Aws(a.regions(), a.endpoint(), List.of(), a.maxRequestsPerSecond(),
                        a.maxConcurrency(), a.pageSize(), a.apiCallTimeout(), a.apiCallAttemptTimeout(),
                        a.maxAttempts(), "", "", List.of(
                                new AgentConfig.Account(BLUE_ROLE, "", List.of("us-east-1"), List.of()),
                                new AgentConfig.Account(GREEN_ROLE, "green-external-id", List.of("eu-west-1"),
                                        List.of()))));
        agent = AgentRuntime.start(config, AgentRuntime.Options.forTests(clock).withCredentials(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASE", "base-secret"))));
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        simulator.close();
        if (previousStsEndpoint == null) {
            System.clearProperty("aws.endpointUrlSts");
        } else {
            System.setProperty("aws.endpointUrlSts", previousStsEndpoint);
        }
    }

    private void cycles(int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(Duration.ofSeconds(30));
            agent.scheduler().pollOnce();
        }
    }

    @Test
    void aRefusedAccountIsDownAloneAndTheOthersAreCountedExactly() {
        agent.scheduler().pollOnce(); // the baseline, at the simulator's start
        cycles(20);

        Truth truth = simulator.truth();
        Samples samples = Samples.of(agent.registry());
        Map<String, String> accountOfPortal = truth.portalsOf(BLUE).stream()
                .collect(Collectors.toMap(PortalTruth::portalId, p -> BLUE));
        assertThat(samples.byLabel("workspaces_web_portal_info", "portal_id")).containsOnlyKeys(accountOfPortal.keySet());
        for (PortalTruth portal : truth.portalsOf(BLUE)) {
            assertThat(samples.value("workspaces_web_portal_info", "portal_id", portal.portalId(), "account_id", BLUE,
                    "region", "us-east-1", "portal_arn", portal.portalArn())).contains(1.0);
            assertExact(samples, portal, T0);
        }
        assertThat(samples.value("workspaces_web_discovery_up", "account_id", BLUE, "region", "us-east-1")).contains(1.0);
        assertThat(samples.value("workspaces_web_discovery_up", "account_id", GREEN, "region", "eu-west-1")).contains(0.0);
        assertThat(truth.portalsOf(BLUE).stream().mapToLong(PortalTruth::sessionsStarted).sum())
                .as("the run counts real sessions").isGreaterThan(50);

        // The role is allowed again: the next discovery finds the account's portals, which are polled from then on.
        simulator.faults(SimulatorSettings.Faults.none());
        clock.advance(Duration.ofMinutes(5));
        agent.scheduler().pollOnce();
        Instant greenBaseline = clock.instant();
        cycles(20);

        truth = simulator.truth();
        samples = Samples.of(agent.registry());
        assertThat(samples.value("workspaces_web_discovery_up", "account_id", GREEN, "region", "eu-west-1")).contains(1.0);
        PortalTruth green = truth.portalsOf(GREEN).get(0);
        assertThat(samples.value("workspaces_web_portal_info", "portal_id", green.portalId(), "account_id", GREEN,
                "region", "eu-west-1")).contains(1.0);
        assertExact(samples, green, greenBaseline);
        for (PortalTruth portal : truth.portalsOf(BLUE)) {
            assertExact(samples, portal, T0);
        }
        // The base credentials' own account was never configured, so its portal is not polled.
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", truth.portalsOf(DEFAULT).get(0).portalId()))
                .isEmpty();
        assertThat(simulator.requestCounts().get("AssumeRole")).containsKey("AccessDenied").containsKey("200");
    }

    @Test
    void aReloadAddsAndRemovesAccountsWhileTheKeptOnesCountOn(@TempDir Path dir) throws Exception {
        agent.close();
        simulator.faults(SimulatorSettings.Faults.none());
        Path file = dir.resolve("config.yaml");
        String head = """
                server: { host: 127.0.0.1, port: %d }
                source: aws
                aws:
                  regions: [us-east-1]
                  endpoint: "%s"
                  max_requests_per_second: 0
                  accounts:
                """.formatted(Await.freePort(), simulator.endpoint());
        String blue = "    - role_arn: " + BLUE_ROLE + "\n";
        String green = "    - role_arn: " + GREEN_ROLE + "\n      external_id: green-external-id\n"
                + "      regions: [eu-west-1]\n";
        Files.writeString(file, head + blue);
        agent = AgentRuntime.start(ConfigLoader.load(file, Map.of()), AgentRuntime.Options.forTests(clock)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASE", "base-secret"))));
        agent.reloadFrom(() -> ConfigLoader.load(file, Map.of()));
        agent.scheduler().pollOnce();
        cycles(10);
        assertThat(Samples.of(agent.registry()).byLabel("workspaces_web_portal_info", "portal_id"))
                .containsOnlyKeys(simulator.truth().portalsOf(BLUE).stream().map(PortalTruth::portalId).toArray(String[]::new));

        // Green added: polled from the next cycle; blue keeps counting exactly.
        Files.writeString(file, head + blue + green);
        agent.reloadFromSource();
        agent.scheduler().pollOnce();
        Instant greenBaseline = clock.instant();
        cycles(10);
        Truth truth = simulator.truth();
        Samples samples = Samples.of(agent.registry());
        assertThat(samples.value("workspaces_web_discovery_up", "account_id", GREEN, "region", "eu-west-1")).contains(1.0);
        assertExact(samples, truth.portalsOf(GREEN).get(0), greenBaseline);
        for (PortalTruth portal : truth.portalsOf(BLUE)) {
            assertExact(samples, portal, T0);
        }

        // Blue removed: its portals and its discovery series disappear; green counts on.
        Files.writeString(file, head + green);
        agent.reloadFromSource();
        cycles(3);
        truth = simulator.truth();
        samples = Samples.of(agent.registry());
        assertThat(samples.byLabel("workspaces_web_portal_info", "portal_id"))
                .containsOnlyKeys(truth.portalsOf(GREEN).get(0).portalId());
        assertThat(samples.value("workspaces_web_discovery_up", "account_id", BLUE, "region", "us-east-1")).isEmpty();
        assertExact(samples, truth.portalsOf(GREEN).get(0), greenBaseline);
    }

    @Test
    void theEmbeddedSimulatorServesConfiguredAccountsThroughItsOwnSts(@TempDir Path dir) throws Exception {
        agent.close();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                server: { host: 127.0.0.1, port: %d }
                source: simulator
                aws:
                  accounts:
                    - role_arn: %s
                simulator:
                  portals: 1
                  accounts:
                    - account_id: "%s"
                      portals: 2
                """.formatted(Await.freePort(), BLUE_ROLE, BLUE));
        agent = AgentRuntime.start(ConfigLoader.load(file, Map.of()), AgentRuntime.Options.forTests(clock));
        agent.scheduler().pollOnce();
        Truth truth = agent.simulator().truth();
        Samples samples = Samples.of(agent.registry());
        assertThat(truth.portalsOf(BLUE)).hasSize(2);
        assertThat(samples.byLabel("workspaces_web_portal_info", "portal_id", "account_id", BLUE))
                .containsOnlyKeys(truth.portalsOf(BLUE).stream().map(PortalTruth::portalId).toArray(String[]::new));
        assertThat(samples.byLabel("workspaces_web_portal_info", "portal_id")).hasSize(2);
        assertThat(agent.simulator().requestCounts().get("AssumeRole")).containsEntry("200", 1L);
    }

    /** Counters and gauges of one portal equal the ground truth (as in the reload test), and the portal is up. */
    private static void assertExact(Samples samples, PortalTruth portal, Instant baseline) {
        AgentRuntimeReloadTest.assertExact(samples, portal, baseline);
        assertThat(samples.value("workspaces_web_portal_up", "portal_id", portal.portalId())).contains(1.0);
    }
}
