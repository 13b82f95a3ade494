package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.model.PortalCycle;

/** Receives the outcome of every poll of every portal, in order per portal. */
@FunctionalInterface
public interface PollListener {
    void onCycle(PortalCycle cycle);

    /** The portal is no longer polled (discovery no longer finds it, or it moved to another shard). */
    default void onPortalRemoved(String portalId) {}
}
