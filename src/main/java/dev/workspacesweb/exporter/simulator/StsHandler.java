package dev.workspacesweb.exporter.simulator;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The simulated AWS Security Token Service: {@code AssumeRole} in the AWS Query protocol as the real regional STS
 * endpoint speaks it (form-encoded {@code POST /}, {@code Action=AssumeRole&Version=2011-06-15&RoleArn=...&
 * RoleSessionName=...[&ExternalId=...][&DurationSeconds=...]}, an XML {@code AssumeRoleResponse} or an
 * {@code ErrorResponse}), so the SDK's {@code StsClient} and {@code StsAssumeRoleCredentialsProvider} work against
 * it unchanged.
 *
 * <p>Any role of a simulated account can be assumed, unless {@link SimulatorSettings.Faults#refusedRoles()} names it
 * or the account requires an ExternalId the request does not carry; a role of an account the simulator does not know
 * is refused as AWS refuses a role whose trust policy does not name the caller (403 AccessDenied).
 *
 * <p>Expirations are in wall-clock time, not the workload's clock: the SDK judges them against the machine's clock,
 * and a test's workload clock may be months away from it.
 */
final class StsHandler {

    static final String ASSUME_ROLE = "AssumeRole";

    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:[\\x21-\\x7E]*/)?([\\w+=,.@-]{1,64})");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private final Workload workload;
    private final Supplier<SimulatorSettings.Faults> faults;
    private final IssuedCredentials issued;
    private final RequestCounts counts;
    private final InstantSource wallClock;

    StsHandler(Workload workload, Supplier<SimulatorSettings.Faults> faults, IssuedCredentials issued,
            RequestCounts counts, InstantSource wallClock) {
        this.workload = workload;
        this.faults = faults;
        this.issued = issued;
        this.counts = counts;
        this.wallClock = wallClock;
    }

    /** An STS error: HTTP status, {@code Type} (Sender or Receiver), {@code Code} and {@code Message}. */
    private static final class StsError extends RuntimeException {
        final int status;
        final String code;

        StsError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    void handle(ServerRequest request, ServerResponse response, String requestId) {
        String operation = ASSUME_ROLE;
        try {
            Map<String, String> form = form(request.content().as(String.class));
            String action = form.getOrDefault("Action", "");
            operation = action.isEmpty() ? "UnknownOperation" : action;
            checkSignature(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
            if (!action.equals(ASSUME_ROLE) || !"2011-06-15".equals(form.get("Version"))) {
                throw new StsError(400, "InvalidAction", "Could not find operation " + action + " for version "
                        + form.getOrDefault("Version", "NO_VERSION_SPECIFIED"));
            }
            IssuedCredentials.Issued credentials = assumeRole(form);
            counts.count(ASSUME_ROLE, "200");
            send(response, 200, assumeRoleResponse(credentials, requestId));
        } catch (StsError error) {
            counts.count(operation, error.code);
            send(response, error.status, errorResponse(error, requestId));
        }
    }

    private IssuedCredentials.Issued assumeRole(Map<String, String> form) {
        String roleArn = form.get("RoleArn");
        String sessionName = form.get("RoleSessionName");
        String externalId = form.get("ExternalId");
        String durationText = form.get("DurationSeconds");
        List<String> problems = new ArrayList<>();
        if (roleArn == null) {
            problems.add("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
        } else if (roleArn.length() < 20 || roleArn.length() > 2048) {
            problems.add("Value '" + roleArn + "' at 'roleArn' failed to satisfy constraint: "
                    + "Member must have length between 20 and 2048");
        }
        if (sessionName == null) {
            problems.add("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
        } else if (!SESSION_NAME.matcher(sessionName).matches()) {
            problems.add("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64");
        }
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            problems.add("Value '" + externalId + "' at 'externalId' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]* and have length between 2 "
                    + "and 1224");
        }
        long durationSeconds = 3600;
        if (durationText != null) {
            try {
                durationSeconds = Long.parseLong(durationText);
            } catch (NumberFormatException e) {
                durationSeconds = -1;
            }
            if (durationSeconds < 900 || durationSeconds > 43200) {
                problems.add("Value '" + durationText + "' at 'durationSeconds' failed to satisfy constraint: "
                        + "Member must have value between 900 and 43200");
            }
        }
        if (!problems.isEmpty()) {
            throw new StsError(400, "ValidationError", problems.size()
                    + (problems.size() == 1 ? " validation error detected: " : " validation errors detected: ")
                    + String.join("; ", problems));
        }
        Matcher arn = ROLE_ARN.matcher(roleArn);
        if (!arn.matches()) {
            throw new StsError(400, "ValidationError", roleArn + " is invalid");
        }
        String accountId = arn.group(1);
        String denied = "User: arn:aws:iam::" + workload.settings().accountId()
                + ":user/workspaces-web-exporter is not authorized to perform: sts:AssumeRole on resource: "
                + roleArn;
        SimulatorSettings.Account account = workload.account(accountId)
                .orElseThrow(() -> new StsError(403, "AccessDenied", denied));
        if (faults.get().refusedRoles().contains(roleArn)) {
            throw new StsError(403, "AccessDenied", denied);
        }
        if (!account.externalId().isEmpty() && !account.externalId().equals(externalId)) {
            throw new StsError(403, "AccessDenied", denied);
        }
        Instant expiration = wallClock.instant().truncatedTo(ChronoUnit.SECONDS)
                .plus(Duration.ofSeconds(durationSeconds));
        return issued.issue(accountId, roleArn, arn.group(2), sessionName, expiration);
    }

    private static void checkSignature(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            throw new StsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        String[] scope = ApiHandler.credentialScope(authorization);
        if (scope.length != 5 || !scope[3].equals("sts")) {
            throw new StsError(403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.");
        }
    }

    /** An {@code application/x-www-form-urlencoded} body: {@code +} is a space; the first of repeated names wins. */
    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new StsError(400, "MalformedQueryString", "The request body is not correctly form-encoded");
            }
        }
        return out;
    }

    private static String assumeRoleResponse(IssuedCredentials.Issued credentials, String requestId) {
        return xml(xml -> {
            xml.writeStartElement("AssumeRoleResponse");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeStartElement("AssumeRoleResult");
            xml.writeStartElement("AssumedRoleUser");
            element(xml, "AssumedRoleId", credentials.assumedRoleId());
            element(xml, "Arn", credentials.assumedRoleArn());
            xml.writeEndElement();
            xml.writeStartElement("Credentials");
            element(xml, "AccessKeyId", credentials.accessKeyId());
            element(xml, "SecretAccessKey", credentials.secretAccessKey());
            element(xml, "SessionToken", credentials.sessionToken());
            element(xml, "Expiration", credentials.expiration().toString());
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeStartElement("ResponseMetadata");
            element(xml, "RequestId", requestId);
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    private static String errorResponse(StsError error, String requestId) {
        return xml(xml -> {
            xml.writeStartElement("ErrorResponse");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeStartElement("Error");
            element(xml, "Type", error.status >= 500 ? "Receiver" : "Sender");
            element(xml, "Code", error.code);
            element(xml, "Message", error.getMessage());
            xml.writeEndElement();
            element(xml, "RequestId", requestId);
            xml.writeEndElement();
        });
    }

    private interface XmlBody {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    private static String xml(XmlBody body) {
        StringWriter out = new StringWriter(1024);
        try {
            XMLStreamWriter xml = XML.createXMLStreamWriter(out);
            body.write(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    private static void send(ServerResponse response, int status, String body) {
        response.status(Status.create(status));
        response.header(HeaderNames.CONTENT_TYPE, "text/xml");
        response.send(body.getBytes(StandardCharsets.UTF_8));
    }
}
