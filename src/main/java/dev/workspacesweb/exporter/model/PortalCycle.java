package dev.workspacesweb.exporter.model;

import java.time.Duration;
import java.util.List;

/**
 * What one poll of one portal produced: the new published view and the events it observed, each exactly once.
 *
 * @param view             the portal's view after this poll (up or down)
 * @param baseline         true for the portal's first successful poll: its sessions are the baseline, not starts
 * @param started          sessions counted as started by this poll (first seen active, or started and ended unseen)
 * @param ended            sessions whose end this poll observed
 * @param pollDuration     wall time of the poll
 */
public record PortalCycle(PortalView view, boolean baseline, int started, List<SessionEnd> ended, Duration pollDuration) {
    public PortalCycle {
        ended = List.copyOf(ended);
    }
}
