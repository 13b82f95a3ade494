package dev.workspacesweb.exporter.testing;

import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionAccounting;
import dev.workspacesweb.exporter.model.SessionEnd;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Poll results of one portal made by hand, for tests of what consumes them (metrics, OTLP): the accounting
 * advances by each poll's events exactly as the poller advances it.
 */
public final class SyntheticPolls {
    public static final double[] DEFAULT_BOUNDS = {30, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400};

    private final PortalInfo portal;
    private SessionAccounting accounting;

    public SyntheticPolls(PortalInfo portal) {
        this.portal = portal;
    }

    /** A successful poll at {@code at}; a baseline starts the accounting afresh. */
    public PortalCycle poll(Instant at, boolean baseline, int started, List<SessionEnd> ended, SessionSnapshot... sessions) {
        accounting = (baseline || accounting == null ? SessionAccounting.empty(DEFAULT_BOUNDS) : accounting).plus(started, ended);
        PortalSnapshot snap = PortalSnapshot.of(portal, at, List.of(sessions));
        return new PortalCycle(new PortalView(portal, true, at, at, "", snap, accounting), baseline, started, ended,
                Duration.ofMillis(420));
    }

    /** The accounting after the polls so far. */
    public SessionAccounting accounting() {
        return accounting;
    }
}
