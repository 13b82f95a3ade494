package dev.workspacesweb.exporter.poll;

import java.time.Instant;
import java.util.List;

/**
 * What the poller remembers of a session it has seen active.
 *
 * @param ipsFetchedAt when GetSession last returned its client IPs; null while they have never been fetched
 * @param listed       whether the last ListSessions(Active) listed it; false while its end is still to be confirmed
 */
public record TrackedSession(
        String sessionId, String username, Instant startTime, List<String> clientIps, Instant ipsFetchedAt,
        boolean listed) {

    public TrackedSession {
        username = username == null ? "" : username;
        clientIps = List.copyOf(clientIps);
    }

    static TrackedSession firstSeen(String sessionId, String username, Instant startTime) {
        return new TrackedSession(sessionId, username, startTime, List.of(), null, true);
    }

    TrackedSession withIps(List<String> ips, Instant fetchedAt) {
        return new TrackedSession(sessionId, username, startTime, ips, fetchedAt, listed);
    }

    TrackedSession withListed(boolean isListed) {
        return isListed == listed ? this : new TrackedSession(sessionId, username, startTime, clientIps, ipsFetchedAt, isListed);
    }
}
