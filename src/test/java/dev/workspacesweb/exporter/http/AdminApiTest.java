package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.cli.SimulatedAws;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.policy.SessionControl;
import dev.workspacesweb.exporter.poll.PollSettings;
import dev.workspacesweb.exporter.poll.PortalPoller;
import dev.workspacesweb.exporter.poll.PortalState;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP, in front of the agent's real gateway talking to the simulator through the SDK. */
class AdminApiTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> auditLines = new CopyOnWriteArrayList<>();
    private final Handler auditCapture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            auditLines.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private SimulatedAws aws;
    private AgentServer server;
    private String portalId;
    private SessionRecord alice;
    private SessionRecord bob;

    @BeforeEach
    void start() {
        Logger.getLogger("audit").addHandler(auditCapture);
        aws = new SimulatedAws(2, 20);
        portalId = aws.portal(0);
        alice = aws.start(portalId, "alice", Duration.ofMinutes(10), "203.0.113.7");
        bob = aws.start(portalId, "bob", Duration.ofMinutes(5), "198.51.100.1", "2001:db8::1");
        SnapshotStore store = new SnapshotStore();
        PortalPoller poller = new PortalPoller(PortalInfo.ofId(portalId, "us-east-1"), aws.gateway,
                PollSettings.of(TestConfigs.defaults()),
                aws.clock, PortalState.initial());
        store.publish(poller.poll().view());
        AdminApi api = new AdminApi("  " + TOKEN + "\n", store,
                new SessionControl(region -> region.equals("us-east-1") ? aws.gateway : null, new PrometheusRegistry()));
        server = AgentServer.start("127.0.0.1", 0, new PrometheusRegistry(), store, "test", WebConfig.none(), api::register);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("audit").removeHandler(auditCapture);
        if (server != null) {
            server.close();
        }
        aws.close();
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> authed(String method, String path) throws IOException, InterruptedException {
        return send(method, path, "Bearer " + TOKEN);
    }

    @Test
    void refusesRequestsWithoutTheRightBearerToken() throws Exception {
        String sessions = "/api/v1/portals/" + portalId + "/sessions";
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", "Bearer",
            "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes()), TOKEN}) {
            HttpResponse<String> get = send("GET", sessions, authorization);
            assertThat(get.statusCode()).as("GET with %s", authorization).isEqualTo(401);
            assertThat(get.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            HttpResponse<String> delete = send("DELETE", sessions + "/" + alice.sessionId(), authorization);
            assertThat(delete.statusCode()).isEqualTo(401);
        }
        // Nothing was expired by the refused requests, and unknown paths under /api/v1 are hidden behind the gate too.
        assertThat(aws.status(portalId, alice.sessionId())).isEqualTo(SessionRecord.Status.Active);
        assertThat(send("GET", "/api/v1/anything/else", null).statusCode()).isEqualTo(401);
        assertThat(authed("GET", "/api/v1/anything/else").statusCode()).isEqualTo(404);
        // The rest of the server is not behind the token.
        assertThat(send("GET", "/-/healthy", null).statusCode()).isEqualTo(200);
        // The scheme is case-insensitive; the token was trimmed when it was read.
        assertThat(send("GET", sessions, "bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void listsTheAgentsViewOfActiveSessionsWithClientIps() throws Exception {
        HttpResponse<String> res = authed("GET", "/api/v1/portals/" + portalId + "/sessions");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("portalId").asText()).isEqualTo(portalId);
        assertThat(body.get("polledAt").asText()).isEqualTo(SimulatedAws.T0.toString());
        JsonNode sessions = body.get("sessions");
        assertThat(sessions).hasSize(2);
        assertThat(sessions.get(0).get("sessionId").asText()).isEqualTo(alice.sessionId());
        assertThat(sessions.get(0).get("username").asText()).isEqualTo("alice");
        assertThat(sessions.get(0).get("startTime").asText()).isEqualTo(alice.startTime().toString());
        assertThat(sessions.get(1).get("clientIpAddresses").toString()).isEqualTo("[\"198.51.100.1\",\"2001:db8::1\"]");

        assertThat(authed("GET", "/api/v1/portals/" + portalId + "/sessions?status=Active").statusCode()).isEqualTo(200);
        HttpResponse<String> terminated = authed("GET", "/api/v1/portals/" + portalId + "/sessions?status=Terminated");
        assertThat(terminated.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(terminated.body()).get("message").asText()).contains("keeps only active sessions");
        assertThat(authed("GET", "/api/v1/portals/" + portalId + "/sessions?status=Bogus").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPortalsAre404() throws Exception {
        String other = aws.portal(1); // exists in AWS, but this agent does not poll it
        assertThat(authed("GET", "/api/v1/portals/" + other + "/sessions").statusCode()).isEqualTo(404);
        HttpResponse<String> delete = authed("DELETE", "/api/v1/portals/" + other + "/sessions/" + alice.sessionId());
        assertThat(delete.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(delete.body()).get("error").asText()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void expiresASessionInTheServiceAndAuditsIt() throws Exception {
        HttpResponse<String> res = authed("DELETE", "/api/v1/portals/" + portalId + "/sessions/" + alice.sessionId());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(JSON.readTree(res.body()).get("result").asText()).isEqualTo("expired");
        assertThat(aws.status(portalId, alice.sessionId())).isEqualTo(SessionRecord.Status.Terminated);
        assertThat(aws.status(portalId, bob.sessionId())).isEqualTo(SessionRecord.Status.Active);
        assertThat(auditLines).anySatisfy(line -> assertThat(line)
                .contains("action=expire", "portal=" + portalId, "session=" + alice.sessionId(), "result=expired",
                        "remote=127.0.0.1:"));
    }

    @Test
    void mapsTheAwsErrorOfAnUnknownSessionTo404() throws Exception {
        String unknown = alice.sessionId().substring(0, alice.sessionId().length() - 4) + "0000";
        HttpResponse<String> res = authed("DELETE", "/api/v1/portals/" + portalId + "/sessions/" + unknown);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(404);
        assertThat(JSON.readTree(res.body()).get("error").asText()).isEqualTo("ResourceNotFoundException");
        HttpResponse<String> invalid = authed("DELETE", "/api/v1/portals/" + portalId + "/sessions/not_an_id!");
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
    }

    @Test
    void auditsEveryRequestAndNeverTheToken() throws Exception {
        send("GET", "/api/v1/portals/" + portalId + "/sessions", "Bearer " + TOKEN + "-guess");
        authed("GET", "/api/v1/portals/" + portalId + "/sessions");
        authed("DELETE", "/api/v1/portals/" + portalId + "/sessions/" + bob.sessionId());
        assertThat(auditLines).hasSize(3);
        assertThat(auditLines.get(0)).contains("action=authenticate", "result=denied", "status=401");
        assertThat(auditLines.get(1)).contains("action=list", "result=ok");
        assertThat(auditLines.get(2)).contains("action=expire", "result=expired");
        assertThat(auditLines).noneSatisfy(line -> assertThat(line).contains(TOKEN));
    }

    @Test
    void mapsAwsErrorCodesToStatuses() {
        assertThat(AdminApi.statusOf("ResourceNotFoundException").code()).isEqualTo(404);
        assertThat(AdminApi.statusOf("ValidationException").code()).isEqualTo(400);
        assertThat(AdminApi.statusOf("AccessDeniedException").code()).isEqualTo(403);
        assertThat(AdminApi.statusOf("ThrottlingException").code()).isEqualTo(429);
        assertThat(AdminApi.statusOf("InternalServerException").code()).isEqualTo(502);
        assertThat(AdminApi.statusOf("IOError").code()).isEqualTo(502);
    }
}
