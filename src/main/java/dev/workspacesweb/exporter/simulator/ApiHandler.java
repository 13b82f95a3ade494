package dev.workspacesweb.exporter.simulator;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The service's REST routes: ListPortals, ListSessions, GetSession and ExpireSession as the model binds them, plus
 * the unauthenticated ground-truth routes under {@code /_simulator/}. Routing is done here on the raw path and query,
 * so decoding follows RFC 3986 ({@code +} is a literal plus, {@code %20} a space) and parameter order never matters.
 *
 * <p>Order of checks per request, as a real AWS front end: SigV4 presence (AccessDeniedException), the caller's
 * account (a key issued by the simulated STS with another session token: UnrecognizedClientException), route
 * (UnknownOperationException), injected latency, injected 429/500, injected per-account and per-portal
 * AccessDeniedException, input validation (ValidationException), portal and session lookup
 * (ResourceNotFoundException), pagination token (ValidationException), then the operation.
 *
 * <p>Accounts and regions: a request acts in the account of its SigV4 access key (a key issued by the simulated
 * {@link StsHandler AssumeRole}: the role's account; any other key: the default account) and in the region of its
 * credential scope. ListPortals answers that account's portals of that region; any other portal does not exist for
 * the caller (ResourceNotFoundException), as the service looks portal ids up within the caller's account and region.
 * {@code POST /} is the STS endpoint.
 */
final class ApiHandler implements Handler {

    static final String LIST_PORTALS = "ListPortals";
    static final String LIST_SESSIONS = "ListSessions";
    static final String GET_SESSION = "GetSession";
    static final String EXPIRE_SESSION = "ExpireSession";
    static final String UNKNOWN = "UnknownOperation";

    private static final Pattern ID_PATTERN = Pattern.compile("[a-zA-Z0-9\\-]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern TOKEN_PATTERN = Pattern.compile("\\S+");
    private static final String JSON = "application/json";

    private final Workload workload;
    private final FaultInjector faults;
    private final PageTokens tokens;
    private final RequestCounts counts;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final AtomicLong requestIds = new AtomicLong();
    private final IssuedCredentials issued;
    private final StsHandler sts;

    /** Who a request acts as: an account, in the region of its credential scope. */
    private record Caller(String accountId, String region, String principal) {
    }

    ApiHandler(Workload workload, FaultInjector faults, PageTokens tokens, RequestCounts counts,
            IssuedCredentials issued, StsHandler sts) {
        this.workload = workload;
        this.faults = faults;
        this.tokens = tokens;
        this.counts = counts;
        this.issued = issued;
        this.sts = sts;
        this.maxPageSize = Math.max(1, workload.settings().maxPageSize());
        this.defaultPageSize = Math.max(1, Math.min(workload.settings().defaultPageSize(), maxPageSize));
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        String method = request.prologue().method().text();
        String rawPath = request.prologue().uriPath().rawPath();
        String rawQuery = request.prologue().query().rawValue();
        response.header("x-amzn-RequestId", requestId());
        // The service's own time, as every AWS response carries it (clients correct their clock skew by it, and the
        // agent takes its cutoffs from it); read before the request's data, so the data is never older than it says.
        response.header(HeaderNames.DATE, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(workload.nowMillis()).atOffset(ZoneOffset.UTC)));
        if (method.equals("GET") && rawPath.startsWith("/_simulator/")) {
            serveSimulatorRoute(rawPath, rawQuery, response);
            return;
        }
        if (method.equals("POST") && rawPath.equals("/")) {
            sts.handle(request, response, requestId());
            return;
        }
        String operation = UNKNOWN;
        try {
            List<String> segments = segments(rawPath);
            operation = operation(method, segments);
            // Authentication comes before routing at an AWS front end: an unsigned request to any path is a 403.
            Caller caller = caller(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                    request.headers().first(HeaderNames.create("X-Amz-Security-Token")).orElse(null), operation);
            if (operation.equals(UNKNOWN)) {
                throw ApiException.unknownOperation();
            }
            Duration latency = faults.latency(portalIndexOf(operation, segments));
            if (latency != null && latency.isPositive()) {
                pause(latency);
            }
            faults.maybeFail(operation);
            faults.maybeDenyAccount(operation, caller.accountId(), caller.principal());
            Map<String, String> query = query(rawQuery);
            switch (operation) {
                case LIST_PORTALS -> listPortals(caller, query, response);
                case LIST_SESSIONS -> listSessions(caller, segments.get(1), query, response);
                case GET_SESSION -> getSession(caller, segments.get(1), segments.get(3), response);
                default -> expireSession(caller, segments.get(1), segments.get(3), response);
            }
        } catch (ApiException error) {
            counts.count(operation, error.errorType);
            sendError(response, error);
        }
    }

    /** The portal a session operation addresses (-1 for ListPortals or an unknown portal). */
    private int portalIndexOf(String operation, List<String> segments) {
        return operation.equals(LIST_PORTALS) || segments.size() < 2 ? -1 : workload.portalIndex(segments.get(1));
    }

    // ---------------------------------------------------------------- operations

    private void listPortals(Caller caller, Map<String, String> query, ServerResponse response) {
        List<ApiException.FieldProblem> problems = new ArrayList<>();
        int limit = pageSize(query.get("maxResults"), problems);
        String nextToken = query.get("nextToken");
        checkToken(nextToken, problems);
        failOn(problems);
        int from = 0;
        if (nextToken != null) {
            faults.maybeExpireToken(LIST_PORTALS);
            from = (int) tokens.read(nextToken, PageTokens.LIST_PORTALS, -1, 0, workload.nowMillis()).hi() + 1;
        }
        List<Portal> all = workload.portals().stream()
                .filter(p -> p.accountId().equals(caller.accountId()) && p.region().equals(caller.region()))
                .toList();
        int to = Math.min(all.size(), from + limit);
        List<Portal> page = from >= all.size() ? List.of() : all.subList(from, to);
        String token = to < all.size()
                ? tokens.issue(new PageTokens.Position(PageTokens.LIST_PORTALS, -1, 0, to - 1, 0),
                        workload.nowMillis())
                : null;
        // Counted before the response leaves: a client that has its answer can rely on the count.
        counts.count(LIST_PORTALS, "200");
        sendJson(response, WireJson.listPortals(page, token));
    }

    private void listSessions(Caller caller, String portalId, Map<String, String> query,
            ServerResponse response) {
        int portalIndex = visiblePortal(caller, portalId);
        faults.maybeDenyPortal(LIST_SESSIONS, portalIndex);
        List<ApiException.FieldProblem> problems = new ArrayList<>();
        checkId("portalId", portalId, problems);
        String username = query.get("username");
        if (username != null && username.length() > 256) {
            problems.add(problem("username", null, "Member must have length less than or equal to 256"));
        }
        String sessionId = query.get("sessionId");
        if (sessionId != null) {
            checkId("sessionId", sessionId, problems);
        }
        String sortBy = query.get("sortBy");
        checkEnum("sortBy", sortBy, List.of("StartTimeAscending", "StartTimeDescending"), problems);
        String status = query.get("status");
        checkEnum("status", status, List.of("Active", "Terminated"), problems);
        int limit = pageSize(query.get("maxResults"), problems);
        String nextToken = query.get("nextToken");
        checkToken(nextToken, problems);
        failOn(problems);
        if (portalIndex < 0) {
            throw ApiException.notFound("portal", portalId);
        }
        // The default order (the reference is silent) is newest first, like the console's session list.
        boolean descending = !"StartTimeAscending".equals(sortBy);
        Workload.SessionFilter filter = new Workload.SessionFilter(
                status == null ? null : SessionRecord.Status.valueOf(status), descending, username, sessionId);
        long filterDigest = PageTokens.digest(status, descending ? "desc" : "asc", username, sessionId);
        Workload.Cursor after = null;
        if (nextToken != null) {
            faults.maybeExpireToken(LIST_SESSIONS);
            PageTokens.Position position = tokens.read(nextToken, PageTokens.LIST_SESSIONS, portalIndex,
                    filterDigest, workload.nowMillis());
            after = new Workload.Cursor(position.hi(), position.lo());
        }
        Workload.SessionPage page = workload.listSessions(portalIndex, filter, after, limit);
        String token = page.next() == null ? null : tokens.issue(new PageTokens.Position(PageTokens.LIST_SESSIONS,
                portalIndex, filterDigest, page.next().hi(), page.next().lo()), workload.nowMillis());
        counts.count(LIST_SESSIONS, "200");
        sendJson(response, WireJson.listSessions(workload.portal(portalIndex).portalArn(), page.sessions(), token));
    }

    private void getSession(Caller caller, String portalId, String sessionId, ServerResponse response) {
        int portalIndex = resolveSessionTarget(caller, GET_SESSION, portalId, sessionId);
        SessionRecord session = workload.getSession(portalIndex, sessionId)
                .orElseThrow(() -> ApiException.notFound("session", sessionId));
        counts.count(GET_SESSION, "200");
        sendJson(response, WireJson.getSession(workload.portal(portalIndex).portalArn(), session));
    }

    private void expireSession(Caller caller, String portalId, String sessionId, ServerResponse response) {
        int portalIndex = resolveSessionTarget(caller, EXPIRE_SESSION, portalId, sessionId);
        workload.expireSession(portalIndex, sessionId)
                .orElseThrow(() -> ApiException.notFound("session", sessionId));
        // The API reference: "the service sends back an HTTP 200 response with an empty HTTP body".
        counts.count(EXPIRE_SESSION, "200");
        response.status(Status.OK_200);
        response.send();
    }

    /** The portal's index if it belongs to the caller's account and region, else -1 (it does not exist for them). */
    private int visiblePortal(Caller caller, String portalId) {
        int portalIndex = workload.portalIndex(portalId);
        if (portalIndex < 0) {
            return -1;
        }
        Portal portal = workload.portal(portalIndex);
        return portal.accountId().equals(caller.accountId()) && portal.region().equals(caller.region())
                ? portalIndex : -1;
    }

    private int resolveSessionTarget(Caller caller, String operation, String portalId, String sessionId) {
        int portalIndex = visiblePortal(caller, portalId);
        faults.maybeDenyPortal(operation, portalIndex);
        List<ApiException.FieldProblem> problems = new ArrayList<>();
        checkId("portalId", portalId, problems);
        checkId("sessionId", sessionId, problems);
        failOn(problems);
        if (portalIndex < 0) {
            throw ApiException.notFound("portal", portalId);
        }
        return portalIndex;
    }

    // ---------------------------------------------------------------- simulator routes

    private void serveSimulatorRoute(String rawPath, String rawQuery, ServerResponse response) {
        try {
            Map<String, String> query = query(rawQuery);
            switch (rawPath) {
                case "/_simulator/truth" -> sendJson(response,
                        WireJson.truth(workload.truth("true".equalsIgnoreCase(query.get("history")))));
                case "/_simulator/requests" -> sendJson(response, WireJson.requests(counts.snapshot()));
                default -> sendError(response, ApiException.unknownOperation());
            }
        } catch (ApiException error) {
            sendError(response, error);
        }
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks the SigV4 header's form (not its signature) and tells the caller's account from its access key: the
     * account of the role when the simulated STS issued the key (then the session token must be the one it issued
     * with it), else the default account.
     */
    private Caller caller(String authorization, String securityToken, String operation) {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            throw ApiException.accessDenied("Missing Authentication Token: " + operation
                    + " requires a SigV4 Authorization header (AWS4-HMAC-SHA256).");
        }
        String[] parts = credentialScope(authorization);
        if (parts.length != 5 || !parts[3].equals("workspaces-web") || !parts[4].equals("aws4_request")) {
            throw ApiException.accessDenied("Credential should be scoped to correct service: 'workspaces-web'.");
        }
        var assumed = issued.find(parts[0]);
        if (assumed.isEmpty()) {
            String account = workload.settings().accountId();
            return new Caller(account, parts[2], "arn:aws:iam::" + account + ":user/workspaces-web-exporter");
        }
        if (!assumed.get().sessionToken().equals(securityToken)) {
            throw ApiException.unrecognizedClient();
        }
        return new Caller(assumed.get().accountId(), parts[2], assumed.get().assumedRoleArn());
    }

    /** The {@code Credential=} value of a SigV4 header split at {@code /}: key, date, region, service, terminator. */
    static String[] credentialScope(String authorization) {
        int at = authorization.indexOf("Credential=");
        String scope = "";
        if (at >= 0) {
            int end = authorization.indexOf(',', at);
            scope = authorization.substring(at + "Credential=".length(), end < 0 ? authorization.length() : end)
                    .trim();
        }
        return scope.split("/");
    }

    private static void checkId(String name, String value, List<ApiException.FieldProblem> problems) {
        if (value.length() < 36) {
            problems.add(problem(name, value, "Member must have length greater than or equal to 36"));
        } else if (value.length() > 36) {
            problems.add(problem(name, value, "Member must have length less than or equal to 36"));
        }
        if (!ID_PATTERN.matcher(value).matches()) {
            problems.add(problem(name, value, "Member must satisfy regular expression pattern: [a-zA-Z0-9\\-]+"));
        }
    }

    private static void checkEnum(String name, String value, List<String> allowed,
            List<ApiException.FieldProblem> problems) {
        if (value != null && !allowed.contains(value)) {
            problems.add(problem(name, value, "Member must satisfy enum value set: " + allowed));
        }
    }

    private static void checkToken(String token, List<ApiException.FieldProblem> problems) {
        if (token == null) {
            return;
        }
        if (token.isEmpty()) {
            problems.add(problem("nextToken", null, "Member must have length greater than or equal to 1"));
        } else if (token.length() > 2048) {
            problems.add(problem("nextToken", null, "Member must have length less than or equal to 2048"));
        } else if (!TOKEN_PATTERN.matcher(token).matches()) {
            problems.add(problem("nextToken", null, "Member must satisfy regular expression pattern: \\S+"));
        }
    }

    /** maxResults: absent means the default page size, above the maximum is clamped, below 1 is invalid. */
    private int pageSize(String maxResults, List<ApiException.FieldProblem> problems) {
        if (maxResults == null) {
            return defaultPageSize;
        }
        if (!INTEGER.matcher(maxResults).matches()) {
            throw ApiException.validation("cannotParse", List.of(problem("maxResults", maxResults,
                    "Member must be an integer")));
        }
        BigInteger value = new BigInteger(maxResults);
        if (value.signum() <= 0) {
            problems.add(problem("maxResults", maxResults, "Member must have value greater than or equal to 1"));
            return defaultPageSize;
        }
        return value.min(BigInteger.valueOf(maxPageSize)).intValueExact();
    }

    private static ApiException.FieldProblem problem(String name, String value, String constraint) {
        String shown = value == null ? "Value" : "Value '" + value + "'";
        return new ApiException.FieldProblem(name, shown + " at '" + name + "' failed to satisfy constraint: "
                + constraint);
    }

    private static void failOn(List<ApiException.FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.validation("fieldValidationFailed", problems);
        }
    }

    // ---------------------------------------------------------------- HTTP plumbing

    private static String operation(String method, List<String> segments) {
        if (segments.isEmpty() || !segments.get(0).equals("portals")) {
            return UNKNOWN;
        }
        return switch (segments.size()) {
            case 1 -> method.equals("GET") ? LIST_PORTALS : UNKNOWN;
            case 3 -> method.equals("GET") && segments.get(2).equals("sessions") ? LIST_SESSIONS : UNKNOWN;
            case 4 -> !segments.get(2).equals("sessions") ? UNKNOWN
                    : method.equals("GET") ? GET_SESSION : method.equals("DELETE") ? EXPIRE_SESSION : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    private static List<String> segments(String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        List<String> out = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            out.add(decode(segment, "uri"));
        }
        return out;
    }

    /** Query parameters by name, RFC 3986 decoded; the first of repeated names wins. */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "query");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
            out.putIfAbsent(name, value);
        }
        return out;
    }

    /** Percent-decoding as RFC 3986 defines it: only %XX escapes are special, {@code +} stays a plus. */
    static String decode(String raw, String field) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw cannotParse(field);
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw cannotParse(field);
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ApiException cannotParse(String field) {
        return ApiException.validation("cannotParse", List.of(new ApiException.FieldProblem(field,
                "Value at '" + field + "' failed to satisfy constraint: Member must be correctly percent-encoded")));
    }

    private static void sendJson(ServerResponse response, byte[] body) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, JSON);
        response.send(body);
    }

    private static void sendError(ServerResponse response, ApiException error) {
        response.status(Status.create(error.status));
        response.header("x-amzn-ErrorType", error.errorType);
        if (error.retryAfterSeconds != null) {
            response.header("Retry-After", String.valueOf(error.retryAfterSeconds));
        }
        response.header(HeaderNames.CONTENT_TYPE, JSON);
        response.send(WireJson.error(error));
    }

    private String requestId() {
        long n = requestIds.incrementAndGet();
        return SessionIds.format(0x5EED_0000_0000_4000L | (n >>> 48), 0x8000_0000_0000_0000L | n);
    }

    private static void pause(Duration latency) {
        try {
            // Server-side added latency, the fault being simulated; handlers run on virtual threads.
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
