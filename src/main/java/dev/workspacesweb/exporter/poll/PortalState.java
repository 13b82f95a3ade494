package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.model.SessionAccounting;
import java.time.Instant;
import java.util.Map;

/**
 * Everything the poller keeps between two polls of a portal, and all it needs to go on counting exactly (this is
 * what a state file persists).
 *
 * @param lastSuccess  start of the last successful poll, the agent's time; null before the first (the next one is the
 *                     baseline)
 * @param serviceTime  the service's time at the start of the last successful poll: the next cutoff's reference
 * @param sessions     sessions seen active and not yet observed ended, by id
 * @param countedEnds  sessions already counted as ended (or, at the baseline, already history), by id; kept while
 *                     a recent-terminated listing or a lagging active listing could still show them
 * @param accounting   the counters and duration histogram so far; null before the baseline
 */
public record PortalState(
        Instant lastSuccess,
        Instant serviceTime,
        Map<String, TrackedSession> sessions,
        Map<String, CountedEnd> countedEnds,
        SessionAccounting accounting) {

    public PortalState {
        sessions = Map.copyOf(sessions);
        countedEnds = Map.copyOf(countedEnds);
        if (serviceTime == null) {
            // A state saved before the service's time was kept: the agent's was the reference then.
            serviceTime = lastSuccess;
        }
    }

    /** A state whose reference is the agent's own time (the service's time unknown). */
    public PortalState(Instant lastSuccess, Map<String, TrackedSession> sessions, Map<String, CountedEnd> countedEnds,
            SessionAccounting accounting) {
        this(lastSuccess, null, sessions, countedEnds, accounting);
    }

    public static PortalState initial() {
        return new PortalState(null, null, Map.of(), Map.of(), null);
    }

    /**
     * @param startTime   the session's start time (prunes it once older than any cutoff to come)
     * @param observedAt  when the poller counted it, the service's time (prunes it once no lagging list can show it)
     */
    public record CountedEnd(Instant startTime, Instant observedAt) {}
}
