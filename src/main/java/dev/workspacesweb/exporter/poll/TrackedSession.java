package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.model.SessionSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * What the poller remembers of a session it has seen active.
 *
 * <p>It holds the very {@link SessionSnapshot} the portal's snapshot publishes, rather than copies of its fields,
 * so that a tracked session costs one object fewer (measured in BENCHMARKS.md, "Memory").
 *
 * @param session      id, username, start time and client IPs (empty until fetched)
 * @param ipsFetchedAt when GetSession last returned its client IPs; null while they have never been fetched
 * @param listed       whether the last ListSessions(Active) listed it; false while its end is still to be confirmed
 */
public record TrackedSession(SessionSnapshot session, Instant ipsFetchedAt, boolean listed) {

    public TrackedSession(String sessionId, String username, Instant startTime, List<String> clientIps,
            Instant ipsFetchedAt, boolean listed) {
        this(new SessionSnapshot(sessionId, username, startTime, clientIps), ipsFetchedAt, listed);
    }

    public String sessionId() {
        return session.sessionId();
    }

    public String username() {
        return session.username();
    }

    public Instant startTime() {
        return session.startTime();
    }

    public List<String> clientIps() {
        return session.clientIps();
    }

    static TrackedSession firstSeen(String sessionId, String username, Instant startTime) {
        return new TrackedSession(sessionId, username, startTime, List.of(), null, true);
    }

    TrackedSession withIps(List<String> ips, Instant fetchedAt) {
        return new TrackedSession(sessionId(), username(), startTime(), ips, fetchedAt, listed);
    }

    TrackedSession withListed(boolean isListed) {
        return isListed == listed ? this : new TrackedSession(session, ipsFetchedAt, isListed);
    }
}
