package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.testing.ManualClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;
import software.amazon.awssdk.services.workspacesweb.model.AccessDeniedException;
import software.amazon.awssdk.services.workspacesweb.model.InternalServerException;
import software.amazon.awssdk.services.workspacesweb.model.ListSessionsResponse;
import software.amazon.awssdk.services.workspacesweb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.workspacesweb.model.SessionSortBy;
import software.amazon.awssdk.services.workspacesweb.model.SessionStatus;
import software.amazon.awssdk.services.workspacesweb.model.ThrottlingException;
import software.amazon.awssdk.services.workspacesweb.model.ValidationException;
import software.amazon.awssdk.services.workspacesweb.model.ValidationExceptionReason;

/** Every error the four operations can answer, as the SDK maps it, and the fault injection behind them. */
class SimulatorErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

    private final ManualClock clock = new ManualClock();
    private SimulatorServer simulator;
    private WorkSpacesWebClient client;
    private String portalId;

    @BeforeEach
    void start() {
        simulator = SimulatorServer.start(Settings.busy(5), clock, "127.0.0.1", 0);
        client = Sdk.client(simulator);
        portalId = simulator.portalIds().get(0);
    }

    @AfterEach
    void stop() {
        client.close();
        simulator.close();
    }

    @Test
    void malformedIdsAreValidationErrorsWithTheFieldList() {
        ValidationException tooShort = catchThrowableOfType(ValidationException.class,
                () -> client.getSession(r -> r.portalId("short").sessionId(UNKNOWN_ID)));
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(tooShort.reason()).isEqualTo(ValidationExceptionReason.FIELD_VALIDATION_FAILED);
        assertThat(tooShort.fieldList()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("portalId");
            assertThat(f.message()).contains("length greater than or equal to 36");
        });
        assertThat(tooShort.getMessage()).startsWith("1 validation error detected");

        String badChars = "0000000_-0000-4000-8000-000000000000";
        ValidationException pattern = catchThrowableOfType(ValidationException.class,
                () -> client.expireSession(r -> r.portalId(portalId).sessionId(badChars)));
        assertThat(pattern.fieldList()).singleElement().satisfies(f -> assertThat(f.name()).isEqualTo("sessionId"));

        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(portalId).sessionId("x".repeat(37))))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void badEnumsAndMaxResultsAreValidationErrors() {
        ValidationException badStatus = catchThrowableOfType(ValidationException.class,
                () -> client.listSessions(r -> r.portalId(portalId).status("Running").sortBy("Newest")));
        assertThat(badStatus.fieldList()).extracting(f -> f.name()).containsExactlyInAnyOrder("status", "sortBy");
        assertThat(badStatus.getMessage()).startsWith("2 validation errors detected");

        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(portalId).maxResults(0)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("maxResults");
        assertThatThrownBy(() -> client.listPortals(r -> r.maxResults(-3)))
                .isInstanceOf(ValidationException.class);

        HttpResponse<String> notAnInteger = Sdk.get(simulator, "/portals/" + portalId + "/sessions?maxResults=2.5");
        assertThat(notAnInteger.statusCode()).isEqualTo(400);
        assertThat(notAnInteger.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
        assertThat(json(notAnInteger).get("reason").asText()).isEqualTo("cannotParse");
        assertThat(Sdk.get(simulator, "/portals?maxResults=abc").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPortalsAndSessionsAreNotFound() {
        ResourceNotFoundException portal = catchThrowableOfType(ResourceNotFoundException.class,
                () -> client.listSessions(r -> r.portalId(UNKNOWN_ID)));
        assertThat(portal.statusCode()).isEqualTo(404);
        assertThat(portal.resourceId()).isEqualTo(UNKNOWN_ID);
        assertThat(portal.resourceType()).isEqualTo("portal");

        ResourceNotFoundException session = catchThrowableOfType(ResourceNotFoundException.class,
                () -> client.getSession(r -> r.portalId(portalId).sessionId(UNKNOWN_ID)));
        assertThat(session.resourceId()).isEqualTo(UNKNOWN_ID);
        assertThat(session.resourceType()).isEqualTo("session");
        // A well-formed id in another case is another id.
        String active = simulator.truth().portal(portalId).activeSessions().get(0).sessionId();
        assertThatThrownBy(() -> client.getSession(r -> r.portalId(portalId).sessionId(active.toUpperCase())))
                .isInstanceOf(ResourceNotFoundException.class);
        // A session of another portal is not found in this one.
        assertThatThrownBy(() -> client.getSession(r -> r.portalId(simulator.portalIds().get(1)).sessionId(active)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void requestsWithoutSigV4ForWorkspacesWebAreAccessDenied() {
        HttpResponse<String> anonymous = Sdk.get(simulator, "/portals", null);
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
        assertThat(json(anonymous).get("message").asText()).isNotBlank();

        String otherService = Sdk.FAKE_AUTHORIZATION.replace("/workspaces-web/", "/s3/");
        assertThat(Sdk.get(simulator, "/portals/" + portalId + "/sessions", otherService).statusCode())
                .isEqualTo(403);
        assertThat(Sdk.get(simulator, "/portals", "Basic dXNlcjpwYXNz").statusCode()).isEqualTo(403);
        assertThat(Sdk.get(simulator, "/portals", Sdk.FAKE_AUTHORIZATION).statusCode()).isEqualTo(200);
    }

    @Test
    void accessDeniedPortalsAnswerAccessDeniedException() {
        simulator.faults(new SimulatorSettings.Faults(0, 0, 0, Duration.ZERO, List.of(1), 1));
        String denied = simulator.portalIds().get(1);

        AccessDeniedException error = catchThrowableOfType(AccessDeniedException.class,
                () -> client.listSessions(r -> r.portalId(denied)));
        assertThat(error.statusCode()).isEqualTo(403);
        assertThatThrownBy(() -> client.getSession(r -> r.portalId(denied).sessionId(UNKNOWN_ID)))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(client.listSessions(r -> r.portalId(portalId)).sessions()).isNotEmpty();
        assertThat(client.listPortals(r -> { }).portals()).hasSize(3);

        simulator.faults(SimulatorSettings.Faults.none());
        assertThat(client.listSessions(r -> r.portalId(denied)).sessions()).isNotEmpty();
    }

    @Test
    void throttlingCarriesRetryAfterAndCanBeSwitchedOff() {
        simulator.faults(new SimulatorSettings.Faults(1.0, 0, 0, Duration.ZERO, List.of(), 3));

        ThrottlingException throttled = catchThrowableOfType(ThrottlingException.class,
                () -> client.listSessions(r -> r.portalId(portalId)));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.retryAfterSeconds()).isEqualTo(3);
        assertThat(throttled.isThrottlingException()).isTrue();
        assertThatThrownBy(() -> client.listPortals(r -> { })).isInstanceOf(ThrottlingException.class);

        simulator.faults(SimulatorSettings.Faults.none());
        assertThat(client.listSessions(r -> r.portalId(portalId)).sessions()).isNotEmpty();
        Map<String, Map<String, Long>> counts = simulator.requestCounts();
        assertThat(counts.get("ListSessions")).containsEntry("ThrottlingException", 1L).containsEntry("200", 1L);
        assertThat(counts.get("ListPortals")).containsEntry("ThrottlingException", 1L);
    }

    @Test
    void internalErrorsAre500WithRetryAfter() {
        simulator.faults(new SimulatorSettings.Faults(0, 1.0, 0, Duration.ZERO, List.of(), 2));

        InternalServerException error = catchThrowableOfType(InternalServerException.class,
                () -> client.getSession(r -> r.portalId(portalId).sessionId(UNKNOWN_ID)));
        assertThat(error.statusCode()).isEqualTo(500);
        assertThat(error.retryAfterSeconds()).isEqualTo(2);
        HttpResponse<String> raw = Sdk.get(simulator, "/portals");
        assertThat(raw.headers().firstValue("x-amzn-ErrorType")).hasValue("InternalServerException");
        assertThat(raw.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    void faultProbabilitiesApplyToTheirShareOfRequests() {
        simulator.faults(new SimulatorSettings.Faults(0.3, 0, 0, Duration.ZERO, List.of(), 1));
        int throttled = 0;
        for (int i = 0; i < 200; i++) {
            if (Sdk.get(simulator, "/portals").statusCode() == 429) {
                throttled++;
            }
        }
        assertThat(throttled).isBetween(35, 85);
    }

    @Test
    void addedLatencyDelaysResponses() {
        simulator.faults(new SimulatorSettings.Faults(0, 0, 0, Duration.ofMillis(150), List.of(), 1));
        long started = System.nanoTime();
        client.listPortals(r -> { });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void forgedAlteredAndForeignTokensAreRejected() {
        ListSessionsResponse first = client.listSessions(r -> r.portalId(portalId).maxResults(5));
        String token = first.nextToken();
        assertThat(token).isNotNull();

        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(portalId).nextToken("forged")))
                .isInstanceOf(ValidationException.class);
        char last = token.charAt(10);
        String altered = token.substring(0, 10) + (last == 'A' ? 'B' : 'A') + token.substring(11);
        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(portalId).nextToken(altered)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("pagination token");
        // Issued for other filters, another portal or another operation.
        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(portalId).status(SessionStatus.ACTIVE)
                .nextToken(token))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(portalId)
                .sortBy(SessionSortBy.START_TIME_ASCENDING).nextToken(token)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(simulator.portalIds().get(1)).nextToken(token)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> client.listPortals(r -> r.nextToken(token))).isInstanceOf(ValidationException.class);
        // The default order and an explicit StartTimeDescending are the same request; maxResults may change.
        assertThat(client.listSessions(r -> r.portalId(portalId).sortBy(SessionSortBy.START_TIME_DESCENDING)
                .maxResults(3).nextToken(token)).sessions()).hasSize(3);

        try (SimulatorServer other = SimulatorServer.start(Settings.busy(5), clock, "127.0.0.1", 0);
                WorkSpacesWebClient otherClient = Sdk.client(other)) {
            assertThatThrownBy(() -> otherClient.listSessions(r -> r.portalId(portalId).nextToken(token)))
                    .isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void staleTokensExpire() {
        String token = client.listSessions(r -> r.portalId(portalId).maxResults(5)).nextToken();
        clock.advance(Duration.ofHours(25));
        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(portalId).nextToken(token)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("expired");
    }

    @Test
    void expiredTokenFaultRejectsOnlyRequestsWithATokenUntilSwitchedOff() {
        String token = client.listSessions(r -> r.portalId(portalId).maxResults(5)).nextToken();
        simulator.faults(new SimulatorSettings.Faults(0, 0, 1.0, Duration.ZERO, List.of(), 1));

        assertThatThrownBy(() -> client.listSessions(r -> r.portalId(portalId).maxResults(5).nextToken(token)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("expired");
        assertThat(client.listSessions(r -> r.portalId(portalId).maxResults(5)).sessions()).hasSize(5);

        simulator.faults(SimulatorSettings.Faults.none());
        assertThat(client.listSessions(r -> r.portalId(portalId).maxResults(5).nextToken(token)).sessions())
                .hasSize(5);
    }

    @Test
    void unknownRoutesAreUnknownOperations() {
        HttpResponse<String> response = Sdk.get(simulator, "/portals/" + portalId + "/nothing");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
        assertThat(Sdk.delete(simulator, "/portals").statusCode()).isEqualTo(404);
        assertThat(Sdk.get(simulator, "/nothing", null).statusCode()).isEqualTo(403);
        assertThat(simulator.requestCounts().get("UnknownOperation"))
                .containsEntry("UnknownOperationException", 2L).containsEntry("AccessDeniedException", 1L);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(response.body(), e);
        }
    }
}
