package dev.workspacesweb.exporter.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workspacesweb.exporter.aws.ApiErrors;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import dev.workspacesweb.exporter.policy.AuditLog;
import dev.workspacesweb.exporter.policy.SessionControl;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The session-control API under {@code /api/v1}, off unless {@code admin.enabled}:
 * <ul>
 *   <li>{@code GET /api/v1/portals/{portalId}/sessions[?status=Active]}: the agent's current view of the portal's
 *       active sessions (the last good snapshot: username, start time, client IPs), no AWS call. The agent keeps
 *       only active sessions, so {@code status=Terminated} is a 400 that says so.</li>
 *   <li>{@code DELETE /api/v1/portals/{portalId}/sessions/{sessionId}}: ExpireSession.</li>
 * </ul>
 * Every request needs {@code Authorization: Bearer <token>}; the token is compared in constant time through
 * fixed-length SHA-256 digests, so neither its content nor its length leaks through timing. The web config's basic
 * auth does not apply here (the AgentServer must leave {@link #PREFIX} to this class). Every request, allowed or
 * not, is written to the {@code audit} logger: remote address, action, target, result; never the token.
 */
public final class AdminApi {
    public static final String PREFIX = "/api/v1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private final byte[] tokenDigest;
    private final SnapshotStore store;
    private final SessionControl control;

    /**
     * @param token           the bearer token (the token file's content, surrounding whitespace trimmed); not empty
     * @param store           the agent's snapshots
     * @param control         expires sessions (through the gateway of the portal's region) and audits it
     */
    public AdminApi(String token, SnapshotStore store, SessionControl control) {
        if (token == null || token.strip().isEmpty()) {
            throw new IllegalArgumentException("the admin API needs a non-empty token");
        }
        this.tokenDigest = sha256(token.strip());
        this.store = store;
        this.control = control;
    }

    /** Adds the routes: the authentication gate first, then the endpoints, then a JSON 404 for the rest of /api/v1. */
    public void register(HttpRouting.Builder routing) {
        routing.route(Method.predicate(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.DELETE, Method.PATCH,
                        Method.OPTIONS, Method.TRACE), PathMatchers.create(PREFIX + "/*"), this::authenticate)
                .get(PREFIX + "/portals/{portalId}/sessions", this::listSessions)
                .delete(PREFIX + "/portals/{portalId}/sessions/{sessionId}", this::expireSession)
                .route(Method.predicate(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.DELETE, Method.PATCH,
                        Method.OPTIONS, Method.TRACE), PathMatchers.create(PREFIX + "/*"), this::notFound);
    }

    private void authenticate(ServerRequest req, ServerResponse res) {
        if (authorized(req)) {
            res.next();
            return;
        }
        audit(req, "authenticate", "", "", "denied", Status.UNAUTHORIZED_401, "missing or wrong bearer token");
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"workspaces-web-exporter\"");
        sendError(res, Status.UNAUTHORIZED_401, "Unauthorized", "a valid 'Authorization: Bearer <token>' header is required");
    }

    private boolean authorized(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) {
            return false;
        }
        String value = header.get().strip();
        // The scheme is case-insensitive (RFC 9110 section 11.1).
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, sha256(value.substring(7).strip()));
    }

    private void listSessions(ServerRequest req, ServerResponse res) {
        String portalId = req.path().pathParameters().get("portalId");
        String status = req.query().first("status").orElse("Active");
        if (status.equalsIgnoreCase("Terminated")) {
            audit(req, "list", portalId, "", "rejected", Status.BAD_REQUEST_400, "status=Terminated");
            sendError(res, Status.BAD_REQUEST_400, "ValidationException",
                    "the agent keeps only active sessions; list terminated ones with the CLI: "
                            + "sessions list --portal " + portalId + " --status Terminated");
            return;
        }
        if (!status.equalsIgnoreCase("Active")) {
            audit(req, "list", portalId, "", "rejected", Status.BAD_REQUEST_400, "status=" + status);
            sendError(res, Status.BAD_REQUEST_400, "ValidationException", "status must be Active (the default)");
            return;
        }
        Optional<PortalView> view = store.view(portalId);
        if (view.isEmpty()) {
            audit(req, "list", portalId, "", "not_found", Status.NOT_FOUND_404, "unknown portal");
            sendError(res, Status.NOT_FOUND_404, "ResourceNotFoundException", "the agent does not poll portal " + portalId);
            return;
        }
        PortalView v = view.get();
        PortalSnapshot snap = v.lastGood();
        if (snap == null) {
            audit(req, "list", portalId, "", "unavailable", Status.SERVICE_UNAVAILABLE_503, "no successful poll yet");
            res.header(HeaderNames.RETRY_AFTER, "30");
            sendError(res, Status.SERVICE_UNAVAILABLE_503, "NotPolledYet",
                    "the portal has not been polled successfully yet" + (v.lastError().isEmpty() ? "" : ": " + v.lastError()));
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("portalId", portalId);
        body.put("region", v.portal().region());
        body.put("status", "Active");
        body.put("polledAt", snap.polledAt().toString());
        body.put("up", v.up());
        if (!v.up()) {
            body.put("lastError", v.lastError());
        }
        ArrayNode sessions = body.putArray("sessions");
        for (SessionSnapshot s : snap.sessions()) {
            ObjectNode o = sessions.addObject();
            o.put("sessionId", s.sessionId());
            o.put("username", s.username());
            o.put("startTime", s.startTime().toString());
            ArrayNode ips = o.putArray("clientIpAddresses");
            s.clientIps().forEach(ips::add);
        }
        audit(req, "list", portalId, "", "ok", Status.OK_200, snap.sessions().size() + " sessions");
        send(res, Status.OK_200, body);
    }

    private void expireSession(ServerRequest req, ServerResponse res) {
        String portalId = req.path().pathParameters().get("portalId");
        String sessionId = req.path().pathParameters().get("sessionId");
        Optional<PortalView> view = store.view(portalId);
        if (view.isEmpty()) {
            audit(req, "expire", portalId, sessionId, "not_found", Status.NOT_FOUND_404, "unknown portal");
            sendError(res, Status.NOT_FOUND_404, "ResourceNotFoundException", "the agent does not poll portal " + portalId);
            return;
        }
        // SessionControl writes the audit line of the expiry itself, with the caller's address.
        SessionControl.Outcome outcome = control.expire(SessionControl.Actor.ADMIN_API, view.get().portal().region(),
                portalId, sessionId, List.of("remote", remote(req)));
        if (!outcome.expired()) {
            sendError(res, statusOf(outcome.errorCode()), outcome.errorCode(), outcome.error());
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("portalId", portalId);
        body.put("sessionId", sessionId);
        body.put("result", "expired");
        body.put("at", Instant.now().toString());
        send(res, Status.OK_200, body);
    }

    private void notFound(ServerRequest req, ServerResponse res) {
        audit(req, "unknown", "", "", "not_found", Status.NOT_FOUND_404, req.prologue().method().text() + " " + req.path().path());
        sendError(res, Status.NOT_FOUND_404, "NotFound", "no such endpoint: " + req.prologue().method().text() + " "
                + req.path().path() + " (see GET|DELETE " + PREFIX + "/portals/{portalId}/sessions[/{sessionId}])");
    }

    /** The HTTP status an AWS error becomes. */
    static Status statusOf(String errorCode) {
        return switch (errorCode) {
            case "ResourceNotFoundException" -> Status.NOT_FOUND_404;
            case "ValidationException" -> Status.BAD_REQUEST_400;
            case "AccessDeniedException" -> Status.FORBIDDEN_403;
            case "ThrottlingException" -> Status.TOO_MANY_REQUESTS_429;
            case ApiErrors.TIMEOUT -> Status.GATEWAY_TIMEOUT_504;
            default -> Status.BAD_GATEWAY_502;
        };
    }

    private static void audit(ServerRequest req, String action, String portalId, String sessionId, String result,
            Status status, String detail) {
        List<String> fields = new ArrayList<>(List.of(
                "actor", "admin_api",
                "remote", remote(req),
                "action", action,
                "portal", portalId,
                "session", sessionId,
                "result", result,
                "status", Integer.toString(status.code()),
                "detail", detail));
        AuditLog.write(status.code() >= 400 && status.code() != 404 ? Level.WARNING : Level.INFO, fields);
    }

    private static String remote(ServerRequest req) {
        return req.remotePeer().host() + ":" + req.remotePeer().port();
    }

    private static void sendError(ServerResponse res, Status status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        send(res, status, body);
    }

    private static void send(ServerResponse res, Status status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
        res.status(status).header(HeaderNames.CONTENT_TYPE, JSON_TYPE).header(HeaderNames.CACHE_CONTROL, "no-store").send(bytes);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
