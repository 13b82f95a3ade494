package dev.workspacesweb.exporter.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The active sessions of one portal as of one successful poll, with the per-user and per-IP counts derived once,
 * here, so that nothing on the scrape path has to aggregate.
 *
 * @param polledAt          when the poll that produced it started
 * @param sessions          active sessions, ordered by start time then id
 * @param sessionsPerUser   active sessions per username
 * @param sessionsPerIp     active sessions per client IP (a session with several IPs counts once for each)
 * @param oldestStart       start time of the oldest active session, null when there is none
 * @param serviceTime       the service's time when the poll started (its Date header): what session ages are
 *                          measured against, since start times are the service's too; the agent's clock may differ
 */
public record PortalSnapshot(
        PortalInfo portal,
        Instant polledAt,
        List<SessionSnapshot> sessions,
        Map<String, Integer> sessionsPerUser,
        Map<String, Integer> sessionsPerIp,
        Instant oldestStart,
        Instant serviceTime) {

    private static final Comparator<SessionSnapshot> BY_START =
            Comparator.comparing(SessionSnapshot::startTime).thenComparing(SessionSnapshot::sessionId);

    public PortalSnapshot {
        sessions = List.copyOf(sessions);
        sessionsPerUser = Map.copyOf(sessionsPerUser);
        sessionsPerIp = Map.copyOf(sessionsPerIp);
    }

    /** Derives the counts from the sessions, for a service whose clock agrees with the agent's. */
    public static PortalSnapshot of(PortalInfo portal, Instant polledAt, List<SessionSnapshot> sessions) {
        return of(portal, polledAt, polledAt, sessions);
    }

    /** Derives the counts from the sessions. */
    public static PortalSnapshot of(PortalInfo portal, Instant polledAt, Instant serviceTime, List<SessionSnapshot> sessions) {
        List<SessionSnapshot> sorted = sessions.stream().sorted(BY_START).toList();
        Map<String, Integer> perUser = new HashMap<>();
        Map<String, Integer> perIp = new HashMap<>();
        for (SessionSnapshot s : sorted) {
            perUser.merge(s.username(), 1, Integer::sum);
            // A session listing the same address twice still holds one session on it.
            Set<String> ips = new HashSet<>(s.clientIps());
            for (String ip : ips) {
                perIp.merge(ip, 1, Integer::sum);
            }
        }
        Instant oldest = sorted.isEmpty() ? null : sorted.get(0).startTime();
        return new PortalSnapshot(portal, polledAt, sorted, perUser, perIp, oldest, serviceTime);
    }

    /** How long a session has run at this poll, by the service's clock (both times are the service's). */
    public java.time.Duration ageOf(Instant startTime) {
        return java.time.Duration.between(startTime, serviceTime);
    }

    public String portalId() {
        return portal.portalId();
    }

    public int activeSessions() {
        return sessions.size();
    }

    public int activeUsers() {
        return sessionsPerUser.size();
    }

    public int activeClientIps() {
        return sessionsPerIp.size();
    }
}
