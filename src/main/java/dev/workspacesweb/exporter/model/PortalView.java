package dev.workspacesweb.exporter.model;

import java.time.Instant;

/**
 * The published state of one portal: the outcome of its last poll and the last good snapshot. This is the unit that
 * is swapped atomically after every poll of the portal.
 *
 * @param portal          what is known of the portal (refreshed by discovery)
 * @param up              whether the last poll succeeded
 * @param lastAttempt     start of the last poll, success or failure; null before the first
 * @param lastSuccess     start of the last successful poll; null before the first
 * @param lastError       short description of the last failure (error code and message), empty when up
 * @param lastGood        the snapshot of the last successful poll; null before the first
 * @param accounting      the portal's session counters and duration histogram; null before the first success
 */
public record PortalView(
        PortalInfo portal,
        boolean up,
        Instant lastAttempt,
        Instant lastSuccess,
        String lastError,
        PortalSnapshot lastGood,
        SessionAccounting accounting) {

    public String portalId() {
        return portal.portalId();
    }

    /** True once the portal has completed a poll, successful or not. */
    public boolean polled() {
        return lastAttempt != null;
    }
}
