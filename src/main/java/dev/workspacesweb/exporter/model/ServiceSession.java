package dev.workspacesweb.exporter.model;

import java.time.Instant;
import java.util.List;

/**
 * A session as the WorkSpaces Web API returns it (ListSessions summary or GetSession), in the project's terms: the
 * gateway converts the SDK's types into this, so nothing above {@code aws} sees them.
 *
 * @param status     the API's status value as sent ({@code Active}, {@code Terminated}, or one this agent does not know)
 * @param endTime    null while active
 * @param clientIps  {@code clientIpAddresses}: from GetSession; empty in a ListSessions summary
 * @param portalArn  from GetSession; empty in a ListSessions summary
 */
public record ServiceSession(
        String sessionId,
        String username,
        String status,
        Instant startTime,
        Instant endTime,
        List<String> clientIps,
        String portalArn) {

    public static final String ACTIVE = "Active";
    public static final String TERMINATED = "Terminated";

    public ServiceSession {
        username = username == null ? "" : username;
        status = status == null ? "" : status;
        clientIps = clientIps == null ? List.of() : List.copyOf(clientIps);
        portalArn = portalArn == null ? "" : portalArn;
    }

    public boolean active() {
        return ACTIVE.equals(status);
    }

    public boolean terminated() {
        return TERMINATED.equals(status);
    }
}
