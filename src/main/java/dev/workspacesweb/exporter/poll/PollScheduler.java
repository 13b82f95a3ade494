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

    private final PortalDiscovery discovery;
    private final Function<String, ? extends WorkSpacesWebApi> gatewayOfRegion;
    private final PollSettings settings;
    private final InstantSource clock;
    private final SnapshotStore store;
    private final List<PollListener> listeners;
    private final Function<String, PortalState> initialState;
    private final Map<String, PortalPoller> pollers = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("poll-scheduler").daemon(true).factory());
    private Instant lastDiscovery;
    private StateFile stateFile;

    /**
     * @param initialState the state to resume a portal from (persisted state), or {@link PortalState#initial()}
     */
    public PollScheduler(PortalDiscovery discovery, Function<String, ? extends WorkSpacesWebApi> gatewayOfRegion,
            PollSettings settings, InstantSource clock, SnapshotStore store, List<PollListener> listeners,
            Function<String, PortalState> initialState) {
        this.discovery = discovery;
        this.gatewayOfRegion = gatewayOfRegion;
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
        timer.execute(this::cycleAndReschedule);
    }

    private void cycleAndReschedule() {
        long started = System.nanoTime();
        try {
            pollOnce();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "poll cycle failed unexpectedly", e);
        }
        long intervalNanos = settings.interval().toNanos();
        long jitter = (long) (intervalNanos * 0.05 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        long delay = Math.max(0, intervalNanos + jitter - (System.nanoTime() - started));
        if (!timer.isShutdown()) {
            timer.schedule(this::cycleAndReschedule, delay, TimeUnit.NANOSECONDS);
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
        for (PortalInfo p : portals) {
            PortalPoller poller = pollers.get(p.portalId());
            if (poller == null) {
                poller = new PortalPoller(p, gatewayOfRegion.apply(p.region()), settings, clock, initialState.apply(p.portalId()));
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
