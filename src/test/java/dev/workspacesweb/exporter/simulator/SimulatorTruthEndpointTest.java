package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.testing.ManualClock;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;

/** {@code /_simulator/truth} and {@code /_simulator/requests} say what the Java API says, without Authorization. */
class SimulatorTruthEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final ManualClock clock = new ManualClock();

    @Test
    void truthJsonEqualsTheJavaTruth() throws Exception {
        try (SimulatorServer simulator = SimulatorServer.start(Settings.busy(17), clock, "127.0.0.1", 0);
                WorkSpacesWebClient client = Sdk.client(simulator)) {
            clock.advance(Duration.ofMinutes(40));
            String portalId = simulator.portalIds().get(0);
            String victim = simulator.truth().portal(portalId).activeSessions().get(0).sessionId();
            client.expireSession(r -> r.portalId(portalId).sessionId(victim));

            HttpResponse<String> response = Sdk.get(simulator, "/_simulator/truth", null);
            Truth truth = simulator.truth();

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode json = JSON.readTree(response.body());
            assertThat(instant(json.get("startedAt"))).isEqualTo(truth.startedAt());
            assertThat(instant(json.get("now"))).isEqualTo(truth.now()).isEqualTo(clock.instant());
            assertThat(json.get("portals")).hasSize(truth.portals().size());
            for (int i = 0; i < truth.portals().size(); i++) {
                PortalTruth expected = truth.portals().get(i);
                JsonNode portal = json.get("portals").get(i);
                assertThat(portal.get("portalId").asText()).isEqualTo(expected.portalId());
                assertThat(portal.get("portalArn").asText()).isEqualTo(expected.portalArn());
                assertThat(records(portal.get("activeSessions"), expected.portalId()))
                        .isEqualTo(expected.activeSessions());
                assertThat(records(portal.get("endedSessions"), expected.portalId()))
                        .isEqualTo(expected.endedSessions()).isNotEmpty();
                assertThat(portal.get("sessionsStarted").asLong()).isEqualTo(expected.sessionsStarted()).isPositive();
                assertThat(counts(portal.get("activeSessionsByUser"))).isEqualTo(expected.activeSessionsByUser());
                assertThat(counts(portal.get("activeSessionsByClientIp")))
                        .isEqualTo(expected.activeSessionsByClientIp());
                assertThat(portal.get("historySessions")).isEmpty();
            }
            assertThat(truth.portal(portalId).endedSessions())
                    .anySatisfy(s -> assertThat(s.sessionId()).isEqualTo(victim));

            JsonNode withHistory = JSON.readTree(Sdk.get(simulator, "/_simulator/truth?history=true", null).body());
            assertThat(records(withHistory.get("portals").get(0).get("historySessions"), portalId))
                    .isEqualTo(simulator.workload().truth(true).portal(portalId).historySessions()).hasSize(200);
        }
    }

    @Test
    void requestCountsPerOperationAndOutcome() throws Exception {
        try (SimulatorServer simulator = SimulatorServer.start(Settings.busy(17), clock, "127.0.0.1", 0);
                WorkSpacesWebClient client = Sdk.client(simulator)) {
            String portalId = simulator.portalIds().get(0);
            client.listPortals(r -> { });
            client.listSessions(r -> r.portalId(portalId));
            client.listSessions(r -> r.portalId(portalId));
            Sdk.get(simulator, "/portals/" + portalId + "/sessions?status=Nope");
            Sdk.get(simulator, "/portals", null);
            simulator.faults(new SimulatorSettings.Faults(1, 0, 0, Duration.ZERO, List.of(), 1));
            Sdk.get(simulator, "/portals/" + portalId + "/sessions");
            simulator.faults(SimulatorSettings.Faults.none());
            Sdk.delete(simulator, "/portals/" + portalId + "/sessions/00000000-0000-7000-8000-000000000000");

            HttpResponse<String> response = Sdk.get(simulator, "/_simulator/requests", null);
            Map<String, Map<String, Long>> expected = Map.of(
                    "ListPortals", Map.of("200", 1L, "AccessDeniedException", 1L),
                    "ListSessions", Map.of("200", 2L, "ValidationException", 1L, "ThrottlingException", 1L),
                    "ExpireSession", Map.of("ResourceNotFoundException", 1L));
            assertThat(simulator.requestCounts()).isEqualTo(expected);
            Map<String, Map<String, Long>> fromJson = new TreeMap<>();
            JSON.readTree(response.body()).properties().forEach(op -> {
                Map<String, Long> outcomes = new TreeMap<>();
                op.getValue().properties().forEach(o -> outcomes.put(o.getKey(), o.getValue().asLong()));
                fromJson.put(op.getKey(), outcomes);
            });
            assertThat(fromJson).isEqualTo(expected);
        }
    }

    private static List<SessionRecord> records(JsonNode array, String portalId) {
        List<SessionRecord> out = new ArrayList<>();
        for (JsonNode node : array) {
            List<String> ips = new ArrayList<>();
            node.get("clientIpAddresses").forEach(ip -> ips.add(ip.asText()));
            out.add(new SessionRecord(portalId, node.get("sessionId").asText(), node.get("username").asText(),
                    SessionRecord.Status.valueOf(node.get("status").asText()), instant(node.get("startTime")),
                    node.has("endTime") ? instant(node.get("endTime")) : null, ips));
        }
        return out;
    }

    private static Map<String, Integer> counts(JsonNode object) {
        Map<String, Integer> out = new TreeMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asInt()));
        return out;
    }

    private static Instant instant(JsonNode epochSeconds) {
        BigDecimal millis = epochSeconds.decimalValue().movePointRight(3);
        return Instant.ofEpochMilli(millis.longValueExact());
    }
}
