package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalView;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place a poll is published to: the latest {@link PortalView} of every portal. Each portal's view is replaced
 * in one step after each of its polls (once its state is in the state file), so a reader sees a portal either
 * entirely before or entirely after a poll, never half of one. {@code /metrics}, the landing page, the admin API, OTLP
 * and the policies all read it; a reader may memoize what it derives from a view on the view itself (an immutable
 * object), and learn of changes from {@link #version()} or by subscribing.
 */
public final class SnapshotStore {
    private static final System.Logger LOG = System.getLogger(SnapshotStore.class.getName());

    /** Told of every publication and removal, on the publishing thread, in order per portal: keep it short. */
    public interface Subscriber {
        /** A portal's new view (a poll's, or one from discovery or a restored state). */
        default void published(PortalView view) {}

        /** A poll's outcome, right after its view was published: its events and its duration. */
        default void polled(PortalCycle cycle) {}

        /** The portal is no longer polled (discovery no longer finds it, or it moved to another shard). */
        default void removed(String portalId) {}
    }

    private final Map<String, PortalView> views = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong version = new AtomicLong();
    private volatile boolean discovered;

    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** Publishes a view that no poll produced (discovery's first view of a portal, a restored state's). */
    public void publish(PortalView view) {
        views.put(view.portalId(), view);
        version.incrementAndGet();
        for (Subscriber s : subscribers) {
            tell(() -> s.published(view));
        }
    }

    /** Publishes a poll's view, then tells the subscribers of the poll itself. */
    public void publish(PortalCycle cycle) {
        publish(cycle.view());
        for (Subscriber s : subscribers) {
            tell(() -> s.polled(cycle));
        }
    }

    /** Forgets a portal that discovery no longer finds (or that moved to another shard). */
    public void remove(String portalId) {
        if (views.remove(portalId) != null) {
            version.incrementAndGet();
            for (Subscriber s : subscribers) {
                tell(() -> s.removed(portalId));
            }
        }
    }

    /** A subscriber's failure is logged; it never stops a poll or the other subscribers. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a subscriber of the portal views failed", e);
        }
    }

    public Optional<PortalView> view(String portalId) {
        return Optional.ofNullable(views.get(portalId));
    }

    public Collection<PortalView> views() {
        return List.copyOf(views.values());
    }

    /** Changes with every publication and removal: a reader's memo built at one version holds until it changes. */
    public long version() {
        return version.get();
    }

    void markDiscovered() {
        discovered = true;
    }

    /** True once portal discovery has run and every known portal has completed a first poll, good or bad. */
    public boolean ready() {
        return discovered && views.values().stream().allMatch(PortalView::polled);
    }
}
