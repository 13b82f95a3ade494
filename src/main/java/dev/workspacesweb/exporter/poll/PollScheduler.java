package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the poll cycles: every {@code poll.interval} (with a small jitter so that many agents do not align), polls
 * every portal concurrently, each on its own virtual thread, so a slow or failing portal never delays the others;
 * re-runs discovery every {@code poll.discovery_interval}. Each finished portal poll is published to the store and
 * handed to the listeners before the cycle moves on.
 */
public final class PollScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PollScheduler.class.getName());

    // Replaced together by reconfigure() between two cycles (a configuration reload).
    private volatile PortalDiscovery discovery;
    private volatile Function<String, WorkSpacesWebApi> gatewayOfPortal;
    private volatile PollSettings settings;
    private volatile List<PollListener> listeners;
    private final InstantSource clock;
    private final SnapshotStore store;
    private final Function<String, PortalState> initialState;
    private final Map<String, PortalPoller> pollers = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("poll-scheduler").daemon(true).factory());
    private Instant lastDiscovery;
    /** Set by reconfigure(): the next discovery moves every kept poller to the new gateways and settings. */
    private boolean reconfigured;
    private StateFile stateFile;
    /** The timer's next cycle, and when the last one started, so a reload can move the next cycle. */
    private java.util.concurrent.ScheduledFuture<?> nextCycle;
    private long lastCycleStartNanos;

    /**
     * @param initialState the state to resume a portal from (persisted state), or {@link PortalState#initial()}
     */
    public PollScheduler(PortalDiscovery discovery, Function<String, WorkSpacesWebApi> gatewayOfPortal,
            PollSettings settings, InstantSource clock, SnapshotStore store, List<PollListener> listeners,
            Function<String, PortalState> initialState) {
        this.discovery = discovery;
        this.gatewayOfPortal = gatewayOfPortal;
        this.settings = settings;
        this.clock = clock;
        this.store = store;
        this.listeners = List.copyOf(listeners);
        this.initialState = initialState;
    }

    /** Saves every portal's state to {@code file} after each cycle. */
    public PollScheduler persistTo(StateFile file) {
        this.stateFile = file;
        return this;
    }

    /** Starts polling now, then every interval. */
    public void start() {
        synchronized (timer) {
            nextCycle = timer.schedule(this::cycleAndReschedule, 0, TimeUnit.NANOSECONDS);
        }
    }

    private void cycleAndReschedule() {
        long started = System.nanoTime();
        synchronized (timer) {
            lastCycleStartNanos = started;
        }
        try {
            pollOnce();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "poll cycle failed unexpectedly", e);
        }
        scheduleNext();
    }

    /** Schedules the next cycle one interval (with jitter) after the start of the last one. */
    private void scheduleNext() {
        synchronized (timer) {
            long intervalNanos = settings.interval().toNanos();
            long jitter = (long) (intervalNanos * 0.05 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
            long delay = Math.max(0, intervalNanos + jitter - (System.nanoTime() - lastCycleStartNanos));
            if (!timer.isShutdown()) {
                nextCycle = timer.schedule(this::cycleAndReschedule, delay, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Swaps discovery, gateways, settings and listeners at once, between two cycles (it waits for a running one).
     * The pollers of the portals that stay keep their state, last view and counters; discovery runs again at the
     * next cycle, which polls added portals and forgets removed ones (their series disappear). A new interval moves
     * the timer's next cycle.
     */
    public void reconfigure(PortalDiscovery newDiscovery, Function<String, WorkSpacesWebApi> newGatewayOfPortal,
            PollSettings newSettings, List<PollListener> newListeners) {
        synchronized (this) {
            this.discovery = newDiscovery;
            this.gatewayOfPortal = newGatewayOfPortal;
            this.settings = newSettings;
            this.listeners = List.copyOf(newListeners);
            this.lastDiscovery = null;
            this.reconfigured = true;
        }
        synchronized (timer) {
            if (nextCycle != null && nextCycle.cancel(false)) {
                scheduleNext();
            }
        }
    }

    /**
     * One cycle, synchronously: discovery when due, then every portal once. Tests drive the agent with this and a
     * controlled clock instead of waiting for the timer.
     */
    public synchronized List<PortalCycle> pollOnce() {
        Instant now = clock.instant();
        if (lastDiscovery == null || !now.isBefore(lastDiscovery.plus(settings.discoveryInterval()))) {
            rediscover();
            lastDiscovery = now;
        }
        List<PortalPoller> current = new ArrayList<>(pollers.values());
        PortalCycle[] cycles = new PortalCycle[current.size()];
        List<Thread> threads = new ArrayList<>(current.size());
        for (int i = 0; i < current.size(); i++) {
            int index = i;
            PortalPoller poller = current.get(i);
            threads.add(Thread.ofVirtual().name("poll-" + poller.portalId()).start(() -> {
                PortalCycle cycle = poller.poll();
                store.publish(cycle.view());
                for (PollListener l : listeners) {
                    l.onCycle(cycle);
                }
                cycles[index] = cycle;
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (stateFile != null) {
            try {
                stateFile.save(states(), clock.instant());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not save the state file {0}: {1}", stateFile.path(), e.getMessage());
            }
        }
        return java.util.Arrays.stream(cycles).filter(java.util.Objects::nonNull).toList();
    }

    private void rediscover() {
        List<PortalInfo> portals = discovery.discover();
        Map<String, PortalInfo> byId = new LinkedHashMap<>();
        portals.forEach(p -> byId.put(p.portalId(), p));
        pollers.keySet().removeIf(id -> {
            if (!byId.containsKey(id)) {
                LOG.log(Level.INFO, "portal {0} is no longer found; it is not polled any more", id);
                store.remove(id);
                listeners.forEach(l -> l.onPortalRemoved(id));
                return true;
            }
            return false;
        });
        boolean moved = reconfigured;
        reconfigured = false;
        for (PortalInfo p : portals) {
            PortalPoller poller = pollers.get(p.portalId());
            if (poller != null && moved) {
                // After a reload: the same poller state through the new account's gateway, with the new settings.
                poller = poller.reconfigured(gatewayOfPortal.apply(p.portalId()), settings);
                pollers.put(p.portalId(), poller);
            }
            if (poller == null) {
                poller = new PortalPoller(p, gatewayOfPortal.apply(p.portalId()), settings, clock, initialState.apply(p.portalId()));
                pollers.put(p.portalId(), poller);
                store.publish(poller.view());
            } else {
                poller.updateInfo(p);
            }
        }
        store.markDiscovered();
    }

    /** The pollers' current states (for persistence). */
    public synchronized Map<String, PortalState> states() {
        Map<String, PortalState> states = new LinkedHashMap<>();
        pollers.forEach((id, p) -> states.put(id, p.state()));
        return states;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
