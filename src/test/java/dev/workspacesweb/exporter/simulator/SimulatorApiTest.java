package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.testing.ManualClock;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;
import software.amazon.awssdk.services.workspacesweb.model.AuthenticationType;
import software.amazon.awssdk.services.workspacesweb.model.BrowserType;
import software.amazon.awssdk.services.workspacesweb.model.ExpireSessionResponse;
import software.amazon.awssdk.services.workspacesweb.model.GetSessionResponse;
import software.amazon.awssdk.services.workspacesweb.model.ListPortalsResponse;
import software.amazon.awssdk.services.workspacesweb.model.ListSessionsResponse;
import software.amazon.awssdk.services.workspacesweb.model.PortalStatus;
import software.amazon.awssdk.services.workspacesweb.model.PortalSummary;
import software.amazon.awssdk.services.workspacesweb.model.RendererType;
import software.amazon.awssdk.services.workspacesweb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.workspacesweb.model.Session;
import software.amazon.awssdk.services.workspacesweb.model.SessionSortBy;
import software.amazon.awssdk.services.workspacesweb.model.SessionStatus;
import software.amazon.awssdk.services.workspacesweb.model.SessionSummary;

/** Every operation and filter through the real AWS SDK over HTTP. */
class SimulatorApiTest {

    private static final Pattern PORTAL_ARN =
            Pattern.compile("arn:aws:workspaces-web:us-east-1:123456789012:portal/[a-f0-9\\-]{36}");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9\\-]{36}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock();
    private SimulatorServer simulator;
    private WorkSpacesWebClient client;

    @BeforeEach
    void start() {
        simulator = SimulatorServer.start(Settings.busy(11), clock, "127.0.0.1", 0);
        client = Sdk.client(simulator);
    }

    @AfterEach
    void stop() {
        client.close();
        simulator.close();
    }

    @Test
    void everyResponseCarriesTheSimulatorsOwnTimeInItsDateHeader() {
        java.util.function.Supplier<Instant> date = () -> client.listPortals(r -> { }).sdkHttpResponse()
                .firstMatchingHeader("Date")
                .map(v -> java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
                .orElseThrow();
        assertThat(date.get()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        // Its clock, not the machine's: ten minutes later on the simulator's clock is ten minutes later in the header.
        clock.advance(Duration.ofMinutes(10));
        assertThat(date.get()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String portal = simulator.portalIds().get(0);
        assertThat(client.listSessions(r -> r.portalId(portal)).sdkHttpResponse().firstMatchingHeader("Date"))
                .hasValue(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        clock.instant().atOffset(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    }

    @Test
    void listPortalsDescribesEveryPortalLikeTheService() {
        ListPortalsResponse response = client.listPortals(r -> { });

        assertThat(response.nextToken()).isNull();
        assertThat(response.portals()).hasSize(3);
        List<String> idsFromArns = new ArrayList<>();
        for (PortalSummary portal : response.portals()) {
            assertThat(portal.portalArn()).matches(PORTAL_ARN);
            idsFromArns.add(portal.portalArn().substring(portal.portalArn().lastIndexOf('/') + 1));
            assertThat(portal.displayName()).isNotBlank();
            assertThat(portal.maxConcurrentSessions()).isBetween(1, 5000);
            assertThat(portal.portalStatus()).isEqualTo(PortalStatus.ACTIVE);
            assertThat(portal.rendererType()).isEqualTo(RendererType.APP_STREAM);
            assertThat(portal.browserType()).isEqualTo(BrowserType.CHROME);
            assertThat(portal.instanceType()).isNotNull();
            assertThat(portal.instanceTypeAsString()).startsWith("standard.");
            assertThat(portal.authenticationType()).isIn(AuthenticationType.STANDARD,
                    AuthenticationType.IAM_IDENTITY_CENTER);
            assertThat(portal.portalEndpoint()).matches("[a-z0-9]+\\.workspaces-web\\.com");
            assertThat(portal.creationDate()).isBefore(clock.instant());
            assertThat(portal.browserSettingsArn()).matches("arn:aws:workspaces-web:.*:browserSettings/[a-f0-9\\-]{36}");
        }
        assertThat(idsFromArns).containsExactlyElementsOf(simulator.portalIds());
    }

    @Test
    void listPortalsIsPaginated() {
        List<String> arns = new ArrayList<>();
        int pages = 0;
        for (ListPortalsResponse page : client.listPortalsPaginator(r -> r.maxResults(2))) {
            pages++;
            assertThat(page.portals()).hasSizeLessThanOrEqualTo(2);
            page.portals().forEach(p -> arns.add(p.portalArn()));
        }
        assertThat(pages).isEqualTo(2);
        assertThat(arns).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void listSessionsReturnsActiveAndTerminatedSessionsWithFractionalTimestamps() {
        clock.advance(Duration.ofMinutes(45));
        String portalId = simulator.portalIds().get(0);
        Truth truth = simulator.truth();

        List<SessionSummary> all = listAll(portalId, null, null, null);
        List<SessionSummary> active = all.stream().filter(s -> s.status() == SessionStatus.ACTIVE).toList();
        List<SessionSummary> terminated = all.stream().filter(s -> s.status() == SessionStatus.TERMINATED).toList();

        assertThat(active).extracting(SessionSummary::sessionId).containsExactlyInAnyOrderElementsOf(
                truth.portal(portalId).activeSessions().stream().map(SessionRecord::sessionId).toList());
        assertThat(terminated).hasSizeGreaterThanOrEqualTo(200);
        assertThat(all).allSatisfy(s -> {
            assertThat(s.sessionId()).matches(ID);
            assertThat(s.portalArn()).endsWith("/" + portalId);
            assertThat(s.username()).contains("@");
            assertThat(s.startTime()).isNotNull();
        });
        assertThat(active).allSatisfy(s -> assertThat(s.endTime()).isNull());
        assertThat(terminated).allSatisfy(s -> assertThat(s.endTime()).isAfterOrEqualTo(s.startTime()));
        assertThat(all).anySatisfy(s -> assertThat(s.startTime().getNano()).isNotZero());
        // The SDK read exactly the truth's times (millisecond precision on both sides).
        SessionRecord first = truth.portal(portalId).activeSessions().get(0);
        assertThat(active).filteredOn(s -> s.sessionId().equals(first.sessionId()))
                .singleElement().satisfies(s -> assertThat(s.startTime()).isEqualTo(first.startTime()));
        // Non-ASCII usernames survive the round trip.
        assertThat(all).anySatisfy(s -> assertThat(s.username()).matches(".*[^\\x00-\\x7F].*"));
    }

    @Test
    void timestampsAreEpochSecondsWithAFraction() throws Exception {
        String portalId = simulator.portalIds().get(0);
        HttpResponse<String> raw = Sdk.get(simulator, "/portals/" + portalId + "/sessions?status=Terminated");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(raw.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode session = JSON.readTree(raw.body()).get("sessions").get(0);
        assertThat(session.get("startTime").isNumber()).isTrue();
        assertThat(raw.body()).containsPattern("\"startTime\":1[0-9]{9}\\.[0-9]{3}[,}]")
                .containsPattern("\"endTime\":1[0-9]{9}\\.[0-9]{3}[,}]")
                .doesNotContain("E9");
        assertThat(session.has("clientIpAddresses")).isFalse();
    }

    @Test
    void statusFilterAndBothSortOrders() {
        clock.advance(Duration.ofMinutes(30));
        String portalId = simulator.portalIds().get(1);
        Truth truth = simulator.truth();
        List<String> expectedActive = truth.portal(portalId).activeSessions().stream()
                .map(SessionRecord::sessionId).toList();

        List<SessionSummary> ascending = listAll(portalId, SessionStatus.ACTIVE, SessionSortBy.START_TIME_ASCENDING,
                null);
        List<SessionSummary> descending = listAll(portalId, SessionStatus.ACTIVE,
                SessionSortBy.START_TIME_DESCENDING, null);
        List<SessionSummary> byDefault = listAll(portalId, SessionStatus.ACTIVE, null, null);

        assertThat(ascending).extracting(SessionSummary::sessionId).containsExactlyElementsOf(expectedActive);
        assertThat(ascending).isSortedAccordingTo(Comparator.comparing(SessionSummary::startTime)
                .thenComparing(SessionSummary::sessionId));
        assertThat(descending).extracting(SessionSummary::sessionId)
                .containsExactlyElementsOf(expectedActive.reversed());
        assertThat(byDefault).extracting(SessionSummary::sessionId)
                .containsExactlyElementsOf(expectedActive.reversed());

        List<SessionSummary> terminated = listAll(portalId, SessionStatus.TERMINATED,
                SessionSortBy.START_TIME_ASCENDING, null);
        assertThat(terminated).isNotEmpty().allSatisfy(s -> assertThat(s.status()).isEqualTo(SessionStatus.TERMINATED));
        assertThat(terminated).isSortedAccordingTo(Comparator.comparing(SessionSummary::startTime));
    }

    @Test
    void usernameAndSessionIdFilters() {
        String portalId = simulator.portalIds().get(0);
        Workload workload = simulator.workload();
        SessionRecord mine = workload.startSession(portalId, "jürgen.müller+test@beispiel.de",
                List.of("203.0.113.7", "2001:db8::1a"));
        clock.advance(Duration.ofSeconds(10));
        SessionRecord second = workload.startSession(portalId, "jürgen.müller+test@beispiel.de",
                List.of("203.0.113.7"));
        workload.endSession(portalId, mine.sessionId());

        List<SessionSummary> byUser = listAll(portalId, null, SessionSortBy.START_TIME_ASCENDING,
                "jürgen.müller+test@beispiel.de");
        assertThat(byUser).extracting(SessionSummary::sessionId).containsExactly(mine.sessionId(), second.sessionId());
        assertThat(listAll(portalId, SessionStatus.ACTIVE, null, "jürgen.müller+test@beispiel.de"))
                .extracting(SessionSummary::sessionId).containsExactly(second.sessionId());
        assertThat(listAll(portalId, null, null, "nobody@example.com")).isEmpty();

        ListSessionsResponse byId = client.listSessions(r -> r.portalId(portalId).sessionId(mine.sessionId()));
        assertThat(byId.sessions()).singleElement().satisfies(s -> {
            assertThat(s.sessionId()).isEqualTo(mine.sessionId());
            assertThat(s.status()).isEqualTo(SessionStatus.TERMINATED);
        });
        assertThat(byId.nextToken()).isNull();
        assertThat(client.listSessions(r -> r.portalId(portalId).sessionId(mine.sessionId())
                .status(SessionStatus.ACTIVE)).sessions()).isEmpty();
        assertThat(client.listSessions(r -> r.portalId(portalId).sessionId("00000000-0000-7000-8000-000000000000"))
                .sessions()).isEmpty();
    }

    @Test
    void queryParameterOrderDoesNotMatterAndDecodingFollowsRfc3986() throws Exception {
        String portalId = simulator.portalIds().get(2);
        simulator.workload().startSession(portalId, "al ice+x@y", List.of("198.51.100.9"));
        simulator.workload().startSession(portalId, "al+ice+x@y", List.of("198.51.100.9"));
        String encoded = URLEncoder.encode("al ice+x@y", StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(encoded).isEqualTo("al%20ice%2Bx%40y");

        String one = Sdk.get(simulator, "/portals/" + portalId + "/sessions?username=" + encoded
                + "&status=Active&sortBy=StartTimeAscending&maxResults=5").body();
        String other = Sdk.get(simulator, "/portals/" + portalId + "/sessions?maxResults=5&sortBy=StartTimeAscending"
                + "&status=Active&username=" + encoded).body();
        assertThat(JSON.readTree(one)).isEqualTo(JSON.readTree(other));
        assertThat(JSON.readTree(one).get("sessions")).singleElement()
                .satisfies(s -> assertThat(s.get("username").asText()).isEqualTo("al ice+x@y"));
        // "+" is a literal plus in RFC 3986, not a space.
        JsonNode plus = JSON.readTree(Sdk.get(simulator, "/portals/" + portalId + "/sessions?username=al+ice+x@y")
                .body());
        assertThat(plus.get("sessions")).singleElement()
                .satisfies(s -> assertThat(s.get("username").asText()).isEqualTo("al+ice+x@y"));
        // And the SDK encodes the same way.
        assertThat(client.listSessions(r -> r.portalId(portalId).username("al ice+x@y")).sessions())
                .singleElement().satisfies(s -> assertThat(s.username()).isEqualTo("al ice+x@y"));
    }

    @Test
    void getSessionReturnsClientIpAddresses() {
        String portalId = simulator.portalIds().get(0);
        SessionRecord scripted = simulator.workload().startSession(portalId, "zoë.o'brien@example.org",
                List.of("192.0.2.44", "2001:db8::beef"));

        Session session = client.getSession(r -> r.portalId(portalId).sessionId(scripted.sessionId())).session();

        assertThat(session.sessionId()).isEqualTo(scripted.sessionId());
        assertThat(session.portalArn()).endsWith("/" + portalId);
        assertThat(session.username()).isEqualTo("zoë.o'brien@example.org");
        assertThat(session.clientIpAddresses()).containsExactly("192.0.2.44", "2001:db8::beef");
        assertThat(session.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(session.startTime()).isEqualTo(clock.instant());
        assertThat(session.endTime()).isNull();

        // Generated sessions have 1..maxIpsPerSession addresses of at most 15 characters.
        for (SessionRecord record : simulator.truth().portal(portalId).activeSessions()) {
            GetSessionResponse response = client.getSession(r -> r.portalId(portalId).sessionId(record.sessionId()));
            assertThat(response.session().clientIpAddresses()).hasSizeBetween(1, 3)
                    .allSatisfy(ip -> assertThat(ip).hasSizeBetween(1, 15))
                    .containsExactlyElementsOf(record.clientIpAddresses());
        }
        simulator.workload().setClientIps(portalId, scripted.sessionId(), List.of("203.0.113.200"));
        assertThat(client.getSession(r -> r.portalId(portalId).sessionId(scripted.sessionId())).session()
                .clientIpAddresses()).containsExactly("203.0.113.200");
    }

    @Test
    void expireSessionTerminatesAtTheClocksNowAndIsIdempotent() {
        String portalId = simulator.portalIds().get(0);
        SessionRecord target = simulator.truth().portal(portalId).activeSessions().get(0);
        clock.advance(Duration.ofSeconds(3));
        Instant expiredAt = clock.instant();

        ExpireSessionResponse response = client.expireSession(r -> r.portalId(portalId)
                .sessionId(target.sessionId()));
        assertThat(response.sdkHttpResponse().statusCode()).isEqualTo(200);

        Session after = client.getSession(r -> r.portalId(portalId).sessionId(target.sessionId())).session();
        assertThat(after.status()).isEqualTo(SessionStatus.TERMINATED);
        assertThat(after.endTime()).isEqualTo(expiredAt);
        assertThat(simulator.truth().portal(portalId).endedSessions())
                .anySatisfy(s -> assertThat(s.sessionId()).isEqualTo(target.sessionId()));

        clock.advance(Duration.ofSeconds(5));
        client.expireSession(r -> r.portalId(portalId).sessionId(target.sessionId()));
        assertThat(client.getSession(r -> r.portalId(portalId).sessionId(target.sessionId())).session().endTime())
                .isEqualTo(expiredAt);

        HttpResponse<String> raw = Sdk.delete(simulator, "/portals/" + portalId + "/sessions/" + target.sessionId());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEmpty();

        assertThatThrownBy(() -> client.expireSession(r -> r.portalId(portalId)
                .sessionId("00000000-0000-7000-8000-000000000000")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void maxResultsIsClampedToTheMaximumPageSize() {
        simulator.close();
        simulator = SimulatorServer.start(Settings.withPageSizes(Settings.busy(3), 7, 25), clock, "127.0.0.1", 0);
        client.close();
        client = Sdk.client(simulator);
        String portalId = simulator.portalIds().get(0);

        assertThat(client.listSessions(r -> r.portalId(portalId)).sessions()).hasSize(7);
        assertThat(client.listSessions(r -> r.portalId(portalId).maxResults(3)).sessions()).hasSize(3);
        ListSessionsResponse clamped = client.listSessions(r -> r.portalId(portalId).maxResults(1000));
        assertThat(clamped.sessions()).hasSize(25);
        assertThat(clamped.nextToken()).isNotNull();
        HttpResponse<String> huge = Sdk.get(simulator, "/portals/" + portalId + "/sessions?maxResults="
                + "99999999999999999999");
        assertThat(huge.statusCode()).isEqualTo(200);
    }

    @Test
    void emptyResultsStillCarryTheSessionsMember() throws Exception {
        simulator.close();
        simulator = SimulatorServer.start(Settings.scripted(1), clock, "127.0.0.1", 0);
        String portalId = simulator.portalIds().get(0);
        HttpResponse<String> raw = Sdk.get(simulator, "/portals/" + portalId + "/sessions");
        assertThat(raw.body()).isEqualTo("{\"sessions\":[]}");
        assertThat(JSON.readTree(raw.body()).has("nextToken")).isFalse();
    }

    private List<SessionSummary> listAll(String portalId, SessionStatus status, SessionSortBy sortBy,
            String username) {
        List<SessionSummary> out = new ArrayList<>();
        client.listSessionsPaginator(r -> r.portalId(portalId).status(status).sortBy(sortBy).username(username)
                .maxResults(50)).sessions().forEach(out::add);
        return out;
    }
}
