package dev.workspacesweb.exporter.simulator;

import java.util.List;
import java.util.Map;

/**
 * Ground truth of one portal at {@link Truth#now()}.
 *
 * <p>Definitions, with {@code startedAt} the simulator's start instant ({@link Truth#startedAt()}):
 * <ul>
 *   <li><b>active</b>: status Active at {@code now}; sorted by (startTime, sessionId). Includes sessions that
 *       started before {@code startedAt} (the initial active sessions and scripted ones).</li>
 *   <li><b>ended</b>: status Terminated with {@code endTime >= startedAt}, i.e. every session that ended while the
 *       simulator ran, whether its planned end came, ExpireSession expired it or a test hook ended it; sorted by
 *       (endTime, sessionId). It includes sessions that started before {@code startedAt} (check their
 *       {@code startTime} to keep only those that both started and ended since the start).</li>
 *   <li><b>started since start</b>: {@code startTime > startedAt} (strictly after), active or not; counted in
 *       {@link #sessionsStarted()}. Generated arrivals always start strictly after {@code startedAt}, preloaded
 *       sessions strictly before it.</li>
 *   <li><b>history</b>: status Terminated with {@code endTime < startedAt} (the preloaded history and scripted
 *       sessions ended before the start); only filled when asked for, empty otherwise.</li>
 * </ul>
 *
 * @param accountId                the account that owns the portal
 * @param region                   the portal's region
 * @param activeSessionsByUser     number of active sessions per username (users without one are absent)
 * @param activeSessionsByClientIp number of active sessions per client IP (a session counts once for each distinct
 *                                 address in its {@code clientIpAddresses})
 */
public record PortalTruth(
        int portalIndex,
        String portalId,
        String portalArn,
        String accountId,
        String region,
        List<SessionRecord> activeSessions,
        List<SessionRecord> endedSessions,
        long sessionsStarted,
        Map<String, Integer> activeSessionsByUser,
        Map<String, Integer> activeSessionsByClientIp,
        List<SessionRecord> historySessions) {

    public PortalTruth {
        activeSessions = List.copyOf(activeSessions);
        endedSessions = List.copyOf(endedSessions);
        activeSessionsByUser = Map.copyOf(activeSessionsByUser);
        activeSessionsByClientIp = Map.copyOf(activeSessionsByClientIp);
        historySessions = List.copyOf(historySessions);
    }
}
