package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.model.PortalView;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest published view of every portal. Each portal's view is replaced in one step after each of its polls, so
 * a reader sees a portal either entirely before or entirely after a poll, never half of one.
 */
public final class SnapshotStore {
    private final Map<String, PortalView> views = new ConcurrentHashMap<>();
    private volatile boolean discovered;

    public void publish(PortalView view) {
        views.put(view.portalId(), view);
    }

    /** Forgets a portal that discovery no longer finds (or that moved to another shard). */
    public void remove(String portalId) {
        views.remove(portalId);
    }

    public Optional<PortalView> view(String portalId) {
        return Optional.ofNullable(views.get(portalId));
    }

    public Collection<PortalView> views() {
        return List.copyOf(views.values());
    }

    void markDiscovered() {
        discovered = true;
    }

    /** True once portal discovery has run and every known portal has completed a first poll, good or bad. */
    public boolean ready() {
        return discovered && views.values().stream().allMatch(PortalView::polled);
    }
}
