package dev.workspacesweb.exporter.model;

import java.time.Instant;
import java.util.List;

/**
 * One active session as the agent last saw it.
 *
 * @param sessionId  the service's session id
 * @param username   the username as the API returns it (may be empty, never null)
 * @param startTime  {@code startTime} from the API
 * @param clientIps  {@code clientIpAddresses} from the last GetSession of this session; empty until fetched
 */
public record SessionSnapshot(String sessionId, String username, Instant startTime, List<String> clientIps) {
    public SessionSnapshot {
        username = username == null ? "" : username;
        clientIps = List.copyOf(clientIps);
    }
}
