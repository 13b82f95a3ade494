package dev.workspacesweb.exporter.simulator;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Ground truth of the whole simulator after catching up to {@code now}; see {@link PortalTruth} for what each
 * list holds.
 *
 * @param startedAt the simulator's start instant (the clock's value when the workload was created)
 * @param now       the instant the workload had caught up to when the truth was taken
 */
public record Truth(Instant startedAt, Instant now, List<PortalTruth> portals) {

    public Truth {
        portals = List.copyOf(portals);
    }

    /** The portals of one account, in index order. */
    public List<PortalTruth> portalsOf(String accountId) {
        return portals.stream().filter(p -> p.accountId().equals(accountId)).toList();
    }

    public PortalTruth portal(String portalId) {
        return portals.stream().filter(p -> p.portalId().equals(portalId)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no portal " + portalId));
    }
}
