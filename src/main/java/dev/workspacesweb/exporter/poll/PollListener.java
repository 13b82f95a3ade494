package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.model.PortalCycle;

/** Receives the outcome of every poll of every portal, in order per portal. */
@FunctionalInterface
public interface PollListener {
    void onCycle(PortalCycle cycle);
}
