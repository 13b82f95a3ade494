package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workspacesweb.exporter.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;
import software.amazon.awssdk.services.workspacesweb.model.AccessDeniedException;
import software.amazon.awssdk.services.workspacesweb.model.PortalSummary;
import software.amazon.awssdk.services.workspacesweb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.workspacesweb.model.WorkSpacesWebException;

/**
 * Several simulated accounts behind the simulated STS, through the SDK's own {@code StsClient} and
 * {@code StsAssumeRoleCredentialsProvider}: each account sees exactly its portals of the region (ground truth), a
 * portal of another account does not exist for it, refused roles, external ids and denied accounts answer as AWS.
 */
class SimulatorAccountsTest {

    private static final String DEFAULT = "123456789012";
    private static final String BLUE = "210987654321";
    private static final String GREEN = "333333333333";
    private static final String BLUE_ROLE = "arn:aws:iam::" + BLUE + ":role/ExporterRead";
    private static final String GREEN_ROLE = "arn:aws:iam::" + GREEN + ":role/teams/ExporterRead";
    private static final AwsCredentialsProvider BASE = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

    private final ManualClock clock = new ManualClock();
    private SimulatorServer simulator;
    private StsClient sts;

    @BeforeEach
    void start() {
        SimulatorSettings settings = Settings.busy(3).withAccounts(List.of(
                new SimulatorSettings.Account(BLUE, "us-east-1", 2, ""),
                new SimulatorSettings.Account(GREEN, "eu-west-1", 1, "green-external-id")));
        simulator = SimulatorServer.start(settings, clock, "127.0.0.1", 0);
        sts = StsClient.builder()
                .endpointOverride(simulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(BASE)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterEach
    void stop() {
        sts.close();
        simulator.close();
    }

    private WorkSpacesWebClient client(AwsCredentialsProvider credentials, Region region) {
        return WorkSpacesWebClient.builder()
                .endpointOverride(simulator.endpoint())
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private StsAssumeRoleCredentialsProvider assumed(String roleArn, String externalId) {
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("workspaces-web-exporter")
                        .externalId(externalId))
                .build();
    }

    private static List<String> arns(List<PortalTruth> portals) {
        return portals.stream().map(PortalTruth::portalArn).toList();
    }

    @Test
    void eachAccountListsExactlyItsPortalsOfTheRegion() {
        Truth truth = simulator.truth();
        assertThat(truth.portalsOf(DEFAULT)).hasSize(3);
        assertThat(truth.portalsOf(BLUE)).hasSize(2);
        assertThat(truth.portalsOf(GREEN)).hasSize(1);
        try (WorkSpacesWebClient base = client(BASE, Region.US_EAST_1);
                WorkSpacesWebClient baseEu = client(BASE, Region.EU_WEST_1);
                StsAssumeRoleCredentialsProvider blueCredentials = assumed(BLUE_ROLE, null);
                WorkSpacesWebClient blue = client(blueCredentials, Region.US_EAST_1);
                StsAssumeRoleCredentialsProvider greenCredentials = assumed(GREEN_ROLE, "green-external-id");
                WorkSpacesWebClient greenEu = client(greenCredentials, Region.EU_WEST_1);
                WorkSpacesWebClient greenUs = client(greenCredentials, Region.US_EAST_1)) {
            assertThat(base.listPortals(r -> r.maxResults(1)).portals()).hasSize(1);
            assertThat(base.listPortalsPaginator(r -> r.maxResults(1)).stream()
                    .flatMap(page -> page.portals().stream()).map(PortalSummary::portalArn)).containsExactlyElementsOf(arns(truth.portalsOf(DEFAULT)));
            assertThat(blue.listPortals(r -> { }).portals()).extracting(PortalSummary::portalArn)
                    .containsExactlyElementsOf(arns(truth.portalsOf(BLUE)));
            assertThat(greenEu.listPortals(r -> { }).portals()).extracting(PortalSummary::portalArn)
                    .containsExactlyElementsOf(arns(truth.portalsOf(GREEN)))
                    .allMatch(arn -> arn.startsWith("arn:aws:workspaces-web:eu-west-1:" + GREEN + ":portal/"));
            assertThat(baseEu.listPortals(r -> { }).portals()).isEmpty();
            assertThat(greenUs.listPortals(r -> { }).portals()).isEmpty();

            PortalTruth bluePortal = truth.portalsOf(BLUE).get(0);
            assertThat(blue.listSessionsPaginator(r -> r.portalId(bluePortal.portalId()).status("Active"))
                    .sessions().stream().map(s -> s.sessionId()).sorted())
                    .containsExactlyElementsOf(bluePortal.activeSessions().stream()
                            .map(SessionRecord::sessionId).sorted().toList());
        }
        assertThat(simulator.requestCounts().get(StsHandler.ASSUME_ROLE)).containsEntry("200", 2L);
    }

    @Test
    void anotherAccountsPortalDoesNotExistForTheCaller() {
        String defaultPortal = simulator.truth().portalsOf(DEFAULT).get(0).portalId();
        String bluePortal = simulator.truth().portalsOf(BLUE).get(0).portalId();
        try (WorkSpacesWebClient base = client(BASE, Region.US_EAST_1);
                StsAssumeRoleCredentialsProvider blueCredentials = assumed(BLUE_ROLE, null);
                WorkSpacesWebClient blue = client(blueCredentials, Region.US_EAST_1)) {
            ResourceNotFoundException fromBlue = catchThrowableOfType(ResourceNotFoundException.class,
                    () -> blue.listSessions(r -> r.portalId(defaultPortal)));
            assertThat(fromBlue.resourceId()).isEqualTo(defaultPortal);
            assertThat(catchThrowableOfType(ResourceNotFoundException.class,
                    () -> base.getSession(r -> r.portalId(bluePortal).sessionId(defaultPortal))).statusCode())
                    .isEqualTo(404);
            assertThat(catchThrowableOfType(ResourceNotFoundException.class,
                    () -> base.expireSession(r -> r.portalId(bluePortal).sessionId(defaultPortal))).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void theSdkReadsTheCredentialsAndTheirExpiry() {
        Instant before = Instant.now().minusSeconds(1);
        AssumeRoleResponse answer = sts.assumeRole(r -> r.roleArn(BLUE_ROLE).roleSessionName("probe")
                .durationSeconds(900));
        assertThat(answer.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(answer.credentials().secretAccessKey()).hasSize(40);
        assertThat(answer.credentials().sessionToken()).isNotBlank();
        assertThat(answer.credentials().expiration())
                .isBetween(before.plus(Duration.ofSeconds(900)), Instant.now().plus(Duration.ofSeconds(901)));
        assertThat(answer.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + BLUE + ":assumed-role/ExporterRead/probe");
        assertThat(answer.assumedRoleUser().assumedRoleId()).endsWith(":probe");
        assertThat(answer.responseMetadata().requestId()).isNotBlank();

        // The key with a session token other than the one issued with it is not a valid identity.
        AwsSessionCredentials forged = AwsSessionCredentials.create(answer.credentials().accessKeyId(),
                answer.credentials().secretAccessKey(), "not-the-token");
        try (WorkSpacesWebClient client = client(StaticCredentialsProvider.create(forged), Region.US_EAST_1)) {
            WorkSpacesWebException error = catchThrowableOfType(WorkSpacesWebException.class,
                    () -> client.listPortals(r -> { }));
            assertThat(error.statusCode()).isEqualTo(403);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
        }
    }

    @Test
    void refusedRolesUnknownAccountsAndMissingExternalIdsAreAccessDenied() {
        simulator.faults(SimulatorSettings.Faults.none().withRefusedRoles(List.of(BLUE_ROLE)));
        StsException refused = catchThrowableOfType(StsException.class,
                () -> sts.assumeRole(r -> r.roleArn(BLUE_ROLE).roleSessionName("s1")));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(refused.awsErrorDetails().errorMessage()).contains("sts:AssumeRole").contains(BLUE_ROLE);
        // Another role of the same account is not refused.
        assertThat(sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + BLUE + ":role/Other").roleSessionName("s1"))
                .credentials().accessKeyId()).startsWith("ASIA");

        StsException unknown = catchThrowableOfType(StsException.class,
                () -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::999999999999:role/Any").roleSessionName("s1")));
        assertThat(unknown.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");

        for (String externalId : new String[] {null, "wrong-external-id"}) {
            StsException noExternalId = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(r -> r.roleArn(GREEN_ROLE).roleSessionName("s1").externalId(externalId)));
            assertThat(noExternalId.statusCode()).isEqualTo(403);
            assertThat(noExternalId.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        }
        assertThat(sts.assumeRole(r -> r.roleArn(GREEN_ROLE).roleSessionName("s1").externalId("green-external-id"))
                .credentials().accessKeyId()).startsWith("ASIA");
        assertThat(simulator.requestCounts().get(StsHandler.ASSUME_ROLE))
                .containsEntry("AccessDenied", 4L).containsEntry("200", 2L);
    }

    @Test
    void aDeniedAccountIsDeniedEverythingWhileTheOthersWork() {
        simulator.faults(SimulatorSettings.Faults.none().withAccessDeniedAccounts(List.of(BLUE)));
        try (WorkSpacesWebClient base = client(BASE, Region.US_EAST_1);
                StsAssumeRoleCredentialsProvider blueCredentials = assumed(BLUE_ROLE, null);
                WorkSpacesWebClient blue = client(blueCredentials, Region.US_EAST_1)) {
            AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
                    () -> blue.listPortals(r -> { }));
            assertThat(denied.getMessage()).contains("workspaces-web:ListPortals")
                    .contains("assumed-role/ExporterRead");
            assertThat(base.listPortals(r -> { }).portals()).hasSize(3);
        }
    }

    @Test
    void malformedRequestsAnswerTheQueryProtocolsErrors() throws Exception {
        String auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260302/us-east-1/sts/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";
        HttpResponse<String> missing = post("Action=AssumeRole&Version=2011-06-15&RoleArn=" + BLUE_ROLE, auth);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Type>Sender</Type>").contains("<Code>ValidationError</Code>")
                .contains("at 'roleSessionName' failed to satisfy constraint: Member must not be null");

        HttpResponse<String> badArn = post("Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1"
                + "&RoleArn=arn%3Aaws%3As3%3A%3A%3Abucket-name-long", auth);
        assertThat(badArn.statusCode()).isEqualTo(400);
        assertThat(badArn.body()).contains("<Code>ValidationError</Code>");

        HttpResponse<String> badDuration = post("Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1"
                + "&DurationSeconds=60&RoleArn=" + BLUE_ROLE, auth);
        assertThat(badDuration.body()).contains("at 'durationSeconds'");

        HttpResponse<String> otherAction = post("Action=GetCallerIdentity&Version=2011-06-15", auth);
        assertThat(otherAction.statusCode()).isEqualTo(400);
        assertThat(otherAction.body()).contains("<Code>InvalidAction</Code>");

        HttpResponse<String> unsigned = post("Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1&RoleArn="
                + BLUE_ROLE, null);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("<Code>MissingAuthenticationToken</Code>");

        HttpResponse<String> good = post("Action=AssumeRole&Version=2011-06-15&RoleSessionName=a+b%40c"
                + "&RoleArn=" + BLUE_ROLE.replace(":", "%3A").replace("/", "%2F"), auth);
        assertThat(good.statusCode()).isEqualTo(400); // a space is not allowed in a session name
        HttpResponse<String> ok = post("Action=AssumeRole&Version=2011-06-15&RoleSessionName=ab%40c"
                + "&RoleArn=" + BLUE_ROLE.replace(":", "%3A").replace("/", "%2F"), auth);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(ok.body()).contains("<Arn>arn:aws:sts::" + BLUE + ":assumed-role/ExporterRead/ab@c</Arn>");
    }

    private HttpResponse<String> post(String form, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
