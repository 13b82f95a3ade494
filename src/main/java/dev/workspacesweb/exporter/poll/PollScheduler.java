package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs the polls. Every portal is polled on its own schedule: each poll runs on a thread of its own, and the
 * portal's next poll is due {@code poll.interval} (with a small jitter, so that many agents do not align) after the
 * start of its last one, or at once when that one took longer. A portal whose calls are slow, hang until their
 * timeouts or make a huge first poll therefore delays nobody's next poll but its own. Discovery runs on its own
 * schedule too ({@code poll.discovery_interval}): portals it finds start polling at once, portals it no longer finds
 * stop.
 *
 * <p>After each poll, in this order: the portal's new state goes to the state file (so a restart never resumes from
 * counts lower than any shown), then its view is published to the {@link SnapshotStore}, the one place every reader
 * takes it from.
 */
public final class PollScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PollScheduler.class.getName());

    /**
     * Polls and discovery run on platform threads: the operating system shares the CPU between them and the few
     * carrier threads of the virtual threads that serve scrapes. On virtual threads, each API call of a poll waited
     * behind every runnable scrape for a carrier, and under 50 concurrent scrapers a poll took many intervals.
     */
    private static final Thread.Builder POLL_THREADS = Thread.ofPlatform().daemon(true);

    /** A configuration reload's gateway and settings, taken up by the portal's next poll. */
    private record Reconfiguration(WorkSpacesWebApi gateway, PollSettings settings) {}

    /** One portal: its poller and its schedule. A portal's polls never overlap (the lock). */
    private static final class Portal {
        /** Replaced, under {@link #polling}, when a reload's reconfiguration is taken up. */
        volatile PortalPoller poller;
        volatile Reconfiguration next;
        final ReentrantLock polling = new ReentrantLock();
        volatile boolean removed;
        /** Guarded by the scheduler's timer: the next poll, and when the last one started. */
        ScheduledFuture<?> nextPoll;
        long lastStartNanos;

        Portal(PortalPoller poller) {
            this.poller = poller;
        }

        String id() {
            return poller.portalId();
        }
    }

    // Replaced together by reconfigure() (a configuration reload).
    private volatile PortalDiscovery discovery;
    private volatile Function<String, WorkSpacesWebApi> gatewayOfPortal;
    private volatile PollSettings settings;
    private final InstantSource clock;
    private final SnapshotStore store;
    private final Function<String, PortalState> initialState;
    /** Guarded by {@code this}; the portals in discovery's order. */
    private final Map<String, Portal> portals = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("poll-scheduler").daemon(true).factory());
    private volatile boolean running;
    /** Guarded by {@link #timer}: the next discovery of the schedules. */
    private ScheduledFuture<?> nextDiscovery;
    /** Used by {@link #pollOnce} only: when it last ran discovery (null = at its next call). */
    private volatile Instant lastDiscovery;
    /** Set by reconfigure(): the next discovery hands the new gateways and settings to every kept portal. */
    private volatile boolean reconfigured;
    private StatePersistence persistence = StatePersistence.NONE;

    /**
     * @param gatewayOfPortal the gateway a portal is polled through (its account's, in its region)
     * @param initialState    the state to resume a portal from (persisted state), or {@link PortalState#initial()}
     */
    public PollScheduler(PortalDiscovery discovery, Function<String, WorkSpacesWebApi> gatewayOfPortal,
            PollSettings settings, InstantSource clock, SnapshotStore store, Function<String, PortalState> initialState) {
        this.discovery = discovery;
        this.gatewayOfPortal = gatewayOfPortal;
        this.settings = settings;
        this.clock = clock;
        this.store = store;
        this.initialState = initialState;
    }

    /** Saves every portal's state to {@code file} after each poll, before its view is published. */
    public PollScheduler persistTo(StateFile file) {
        this.persistence = new StatePersistence(file, clock);
        return this;
    }

    /** Starts discovery now, and every portal's schedule as discovery finds it. */
    public void start() {
        running = true;
        schedule(() -> discoverAndReschedule(), 0, f -> nextDiscovery = f);
    }

    private void discoverAndReschedule() {
        // ListPortals may hang until its timeouts: on a thread of its own, never on the timer.
        POLL_THREADS.name("discovery").start(() -> {
            PortalDiscovery used = discovery;
            try {
                discover();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "portal discovery failed unexpectedly", e);
            }
            // A reload while this discovery ran: again at once, with the new accounts.
            long delay = used == discovery ? settings.discoveryInterval().toNanos() : 0;
            schedule(this::discoverAndReschedule, delay, f -> nextDiscovery = f);
        });
    }

    private void pollAndReschedule(Portal portal) {
        if (portal.removed) {
            return;
        }
        long started = System.nanoTime();
        synchronized (timer) {
            portal.lastStartNanos = started;
        }
        POLL_THREADS.name("poll-" + portal.id()).start(() -> {
            try {
                poll(portal);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "poll of portal " + portal.id() + " failed unexpectedly", e);
            }
            scheduleNextPoll(portal);
        });
    }

    /** The portal's next poll: one interval (with jitter) after the start of its last one, or at once. */
    private void scheduleNextPoll(Portal portal) {
        synchronized (timer) {
            long intervalNanos = settings.interval().toNanos();
            long jitter = (long) (intervalNanos * 0.05 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
            long delay = Math.max(0, intervalNanos + jitter - (System.nanoTime() - portal.lastStartNanos));
            schedule(() -> pollAndReschedule(portal), delay, f -> portal.nextPoll = f);
        }
    }

    private void schedule(Runnable task, long delayNanos, java.util.function.Consumer<ScheduledFuture<?>> keep) {
        synchronized (timer) {
            if (running && !timer.isShutdown()) {
                try {
                    keep.accept(timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
                } catch (RejectedExecutionException e) {
                    // Closed meanwhile.
                }
            }
        }
    }

    /**
     * Swaps discovery, gateways and settings (a configuration reload). The portals that stay keep their state, last
     * view and counters, and take up the new gateway and settings at their next poll; discovery runs again at once
     * (at the next {@link #pollOnce} without the schedules), polls added portals and forgets removed ones (their
     * series disappear). A new interval moves every portal's next poll.
     */
    public void reconfigure(PortalDiscovery newDiscovery, Function<String, WorkSpacesWebApi> newGatewayOfPortal,
            PollSettings newSettings) {
        this.discovery = newDiscovery;
        this.gatewayOfPortal = newGatewayOfPortal;
        this.settings = newSettings;
        this.reconfigured = true;
        this.lastDiscovery = null;
        List<Portal> kept = current();
        synchronized (timer) {
            if (nextDiscovery != null && nextDiscovery.cancel(false)) {
                schedule(this::discoverAndReschedule, 0, f -> nextDiscovery = f);
            }
            for (Portal portal : kept) {
                if (portal.nextPoll != null && portal.nextPoll.cancel(false)) {
                    scheduleNextPoll(portal);
                }
            }
        }
    }

    /**
     * Discovery alone, now: the portals it finds for the first time are published with the state they resume from,
     * and left to their schedules (or to {@link #pollOnce}, in tests).
     */
    public void discoverNow() {
        discover();
        lastDiscovery = clock.instant();
    }

    /** Discovery; with the schedules running, the portals found for the first time start theirs. */
    private void discover() {
        for (Portal added : rediscover()) {
            schedule(() -> pollAndReschedule(added), 0, f -> added.nextPoll = f);
        }
    }

    /**
     * Discovery when due, then every portal once, concurrently, returning when all are done. Tests drive the agent
     * with this and a controlled clock instead of the schedules.
     */
    public List<PortalCycle> pollOnce() {
        Instant now = clock.instant();
        if (lastDiscovery == null || !now.isBefore(lastDiscovery.plus(settings.discoveryInterval()))) {
            discover();
            lastDiscovery = now;
        }
        List<Portal> current = current();
        PortalCycle[] cycles = new PortalCycle[current.size()];
        List<Thread> threads = new ArrayList<>(current.size());
        for (int i = 0; i < current.size(); i++) {
            int index = i;
            Portal portal = current.get(i);
            threads.add(POLL_THREADS.name("poll-" + portal.id()).start(() -> cycles[index] = poll(portal)));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Arrays.stream(cycles).filter(Objects::nonNull).toList();
    }

    /** One poll of one portal: the poll, its state saved, its view published. Null when the portal went away. */
    private PortalCycle poll(Portal portal) {
        portal.polling.lock();
        try {
            if (portal.removed) {
                return null;
            }
            Reconfiguration next = portal.next;
            if (next != null) {
                portal.next = null;
                portal.poller = portal.poller.reconfigured(next.gateway(), next.settings());
            }
            PortalCycle cycle = portal.poller.poll();
            // State before it is shown: whatever a reader sees, a restart resumes from at least that.
            persistence.save(this::states);
            if (!portal.removed) {
                store.publish(cycle);
            }
            return cycle;
        } finally {
            portal.polling.unlock();
        }
    }

    private synchronized List<Portal> current() {
        return new ArrayList<>(portals.values());
    }

    /** @return the portals discovery found for the first time */
    private List<Portal> rediscover() {
        // ListPortals may take its timeouts: outside the lock that the state file's writer (states()) needs.
        return apply(discovery.discover());
    }

    private synchronized List<Portal> apply(List<PortalInfo> found) {
        Map<String, PortalInfo> byId = new LinkedHashMap<>();
        found.forEach(p -> byId.put(p.portalId(), p));
        portals.entrySet().removeIf(e -> {
            if (!byId.containsKey(e.getKey())) {
                LOG.log(Level.INFO, "portal {0} is no longer found; it is not polled any more", e.getKey());
                Portal gone = e.getValue();
                gone.removed = true;
                synchronized (timer) {
                    if (gone.nextPoll != null) {
                        gone.nextPoll.cancel(false);
                    }
                }
                store.remove(e.getKey());
                return true;
            }
            return false;
        });
        boolean moved = reconfigured;
        reconfigured = false;
        List<Portal> added = new ArrayList<>();
        for (PortalInfo p : found) {
            Portal portal = portals.get(p.portalId());
            if (portal == null) {
                portal = new Portal(new PortalPoller(p, gatewayOfPortal.apply(p.portalId()), settings, clock,
                        initialState.apply(p.portalId())));
                portals.put(p.portalId(), portal);
                // A restored state's counters are shown from start-up: they are what the state file holds.
                store.publish(portal.poller.view());
                added.add(portal);
            } else {
                if (moved) {
                    // After a reload: the same state through the new account's gateway, with the new settings.
                    portal.next = new Reconfiguration(gatewayOfPortal.apply(p.portalId()), settings);
                }
                portal.poller.updateInfo(p);
            }
        }
        store.markDiscovered();
        return added;
    }

    /** The pollers' current states (for persistence), each as of its last completed poll. */
    public synchronized Map<String, PortalState> states() {
        Map<String, PortalState> states = new LinkedHashMap<>();
        portals.forEach((id, p) -> states.put(id, p.poller.state()));
        return states;
    }

    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
    }
}
