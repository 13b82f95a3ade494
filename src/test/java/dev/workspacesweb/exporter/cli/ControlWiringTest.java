package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.http.AgentServer;
import dev.workspacesweb.exporter.http.WebConfig;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.poll.PollSettings;
import dev.workspacesweb.exporter.poll.PortalPoller;
import dev.workspacesweb.exporter.poll.PortalState;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.policy.PolicyEngine;
import dev.workspacesweb.exporter.policy.SessionControl;
import java.util.function.Function;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the runtime gets from ControlWiring: nothing when off, a working admin API and policy engine when on. */
class ControlWiringTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static AgentConfig with(AgentConfig.Admin admin, List<AgentConfig.Policy> policies) {
        AgentConfig c = TestConfigs.defaults();
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), admin, policies, c.shard(), c.simulator(), c.log(), c.geoip());
    }

    private HttpResponse<String> delete(AgentServer server, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).DELETE();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SessionControl control(Function<String, WorkSpacesWebApi> gatewayOfRegion) {
        return new SessionControl(gatewayOfRegion, new PrometheusRegistry());
    }

    @Test
    void offByDefault() throws Exception {
        AgentConfig config = TestConfigs.defaults();
        assertThat(ControlWiring.policyEngines(config, control(region -> null), new PrometheusRegistry())).isEmpty();
        Consumer<HttpRouting.Builder> routes = ControlWiring.adminRoutes(config, new SnapshotStore(), control(region -> null));
        try (AgentServer server = AgentServer.start("127.0.0.1", 0, new PrometheusRegistry(), new SnapshotStore(), "test", WebConfig.none(), routes)) {
            assertThat(delete(server, "/api/v1/portals/p/sessions/s", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theAdminApiExpiresThroughTheGatewayOfThePortalsRegion() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "\n  file-token-1234567890  \n");
        try (SimulatedAws aws = new SimulatedAws(1, 20)) {
            String portal = aws.portal(0);
            SessionRecord s = aws.start(portal, "alice", Duration.ofMinutes(1), "198.51.100.1");
            SnapshotStore store = new SnapshotStore();
            store.publish(new PortalPoller(PortalInfo.ofId(portal, "eu-west-1"), aws.gateway,
                    PollSettings.of(TestConfigs.defaults()), aws.clock, PortalState.initial()).poll().view());
            AgentConfig config = with(new AgentConfig.Admin(true, tokenFile.toString()), List.of());
            Consumer<HttpRouting.Builder> routes = ControlWiring.adminRoutes(config, store,
                    control(region -> region.equals("eu-west-1") ? aws.gateway : null));
            try (AgentServer server = AgentServer.start("127.0.0.1", 0, new PrometheusRegistry(), store, "test", WebConfig.none(), routes)) {
                String path = "/api/v1/portals/" + portal + "/sessions/" + s.sessionId();
                assertThat(delete(server, path, null).statusCode()).isEqualTo(401);
                assertThat(delete(server, path, "file-token-1234567890").statusCode()).isEqualTo(200);
                assertThat(aws.status(portal, s.sessionId())).isEqualTo(SessionRecord.Status.Terminated);
            }
        }
    }

    @Test
    void refusesToStartWithoutAUsableToken() throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, " \n");
        assertThatThrownBy(() -> ControlWiring.adminRoutes(with(new AgentConfig.Admin(true, empty.toString()), List.of()),
                new SnapshotStore(), control(region -> null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("admin.token_file").hasMessageContaining("empty");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ControlWiring.adminRoutes(with(new AgentConfig.Admin(true, missing.toString()), List.of()),
                new SnapshotStore(), control(region -> null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot read");
    }

    @Test
    void configuredPoliciesBecomeOneEngine() {
        AgentConfig config = with(new AgentConfig.Admin(false, ""), List.of(
                new AgentConfig.Policy("max-duration", Duration.ofHours(12), null, null, true),
                new AgentConfig.Policy("one-session-per-user", null, null, 1, false)));
        PrometheusRegistry registry = new PrometheusRegistry();
        var listeners = ControlWiring.policyEngines(config, control(region -> null), registry);
        assertThat(listeners).singleElement().isInstanceOf(PolicyEngine.class);
        // The engine's counter starts with the series of every configured policy.
        List<String> policies = registry.scrape().stream()
                .filter(m -> m.getMetadata().getName().equals(PolicyEngine.METRIC))
                .flatMap(m -> m.getDataPoints().stream())
                .map(p -> p.getLabels().get("policy")).distinct().sorted().toList();
        assertThat(policies).containsExactly("max-duration", "one-session-per-user");
    }
}
