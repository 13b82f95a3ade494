package dev.workspacesweb.exporter.model;

import java.time.Instant;
import java.util.List;

/**
 * One page of ListSessions.
 *
 * @param nextToken   null or empty on the last page
 * @param serviceTime the service's time when it answered (the response's {@code Date} header, whole seconds); null
 *                    when the response had none
 */
public record SessionPage(List<ServiceSession> sessions, String nextToken, Instant serviceTime) {
    public SessionPage {
        sessions = List.copyOf(sessions);
    }
}
