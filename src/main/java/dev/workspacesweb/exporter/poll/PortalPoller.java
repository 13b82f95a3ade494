package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.aws.ApiErrors;
import dev.workspacesweb.exporter.aws.SessionQuery;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.ServiceSession;
import dev.workspacesweb.exporter.model.SessionAccounting;
import dev.workspacesweb.exporter.model.SessionEnd;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Polls one portal, one cycle at a time, and counts every session start and end exactly once.
 *
 * <p>A cycle: (1) list the active sessions, all pages; (2) GetSession once for each session seen for the first time
 * (client IPs), for a spread-out share of the sessions whose IPs are due for a refresh, and for each session that
 * was active and no longer is (its true end time); (3) list the terminated sessions newest first and stop at the
 * first page that reaches sessions started before the previous poll minus the overlap: those not seen before
 * lived entirely between two polls. Cutoffs and "ended now" times are the service's time (the {@code Date} of
 * its first answer in the cycle), compared only with the service's own start times, so an agent clock that is
 * off by minutes changes nothing. Exactly-once follows because every session is either seen active by some poll
 * (then its end is observed when it vanishes) or started after the previous poll and ended before this one (then
 * step 3 finds it), and the ids already counted are remembered for as long as a lagging list could show them again.
 * The cost of a cycle depends on active sessions and churn, never on the size of the terminated history.
 *
 * <p>A cycle either succeeds as a whole (state, snapshot and events are published together) or fails without
 * changing anything, so a failed cycle is simply done again, completely, by the next one. One exception keeps big
 * portals moving: a GetSession that fails for a single session does not fail the cycle; that session's IPs or end
 * are fetched again next cycle.
 *
 * <p>One cycle at a time: the scheduler never runs two cycles of one portal at once.
 */
public final class PortalPoller {
    private static final System.Logger LOG = System.getLogger(PortalPoller.class.getName());

    private final WorkSpacesWebApi gateway;
    private final PollSettings settings;
    private final InstantSource clock;
    // Written by this portal's polls (never two at once), read by the state file's writer and discovery.
    private volatile PortalInfo info;
    private volatile PortalState state;
    private volatile PortalView view;
    private String lastLoggedError = "";

    public PortalPoller(PortalInfo info, WorkSpacesWebApi gateway, PollSettings settings, InstantSource clock,
            PortalState initialState) {
        this.info = info;
        this.gateway = gateway;
        this.settings = settings;
        this.clock = clock;
        this.state = initialState;
        // A restored state's counters are shown from the start, so a restart does not reset them.
        this.view = new PortalView(info, false, null, null, "", null, initialState.accounting());
    }

    /**
     * This poller with another gateway and settings (a configuration reload): the same portal, state, last view and
     * counters, so nothing is reset and nothing is counted twice. Call it between cycles.
     */
    public PortalPoller reconfigured(WorkSpacesWebApi newGateway, PollSettings newSettings) {
        PortalPoller copy = new PortalPoller(info, newGateway, newSettings, clock, state);
        copy.view = view;
        copy.lastLoggedError = lastLoggedError;
        return copy;
    }

    public String portalId() {
        return info.portalId();
    }

    public PortalState state() {
        return state;
    }

    public PortalView view() {
        return view;
    }

    /** New ListPortals details (display name, limits) for the next snapshot. */
    public void updateInfo(PortalInfo newInfo) {
        this.info = newInfo;
    }

    /** Runs one cycle. Never throws: a failure is reported in the returned view. */
    public PortalCycle poll() {
        Instant now = clock.instant();
        long startNanos = System.nanoTime();
        try {
            Cycle cycle = new Cycle(now);
            cycle.run();
            state = cycle.nextState();
            PortalSnapshot snapshot = cycle.snapshot();
            view = new PortalView(info, true, now, now, "", snapshot, state.accounting());
            if (!lastLoggedError.isEmpty()) {
                LOG.log(Level.INFO, "portal {0}: polling recovered", info.portalId());
                lastLoggedError = "";
            }
            return new PortalCycle(view, cycle.baseline, cycle.started, cycle.ended, elapsed(startNanos));
        } catch (RuntimeException e) {
            String error = ApiErrors.describe(e);
            // Logged once per distinct error, not once per cycle: a portal that stays broken does not flood the log.
            if (!error.equals(lastLoggedError)) {
                LOG.log(Level.WARNING, "portal {0}: poll failed, keeping its last data: {1}", info.portalId(), error);
                lastLoggedError = error;
            }
            view = new PortalView(info, false, now, view.lastSuccess(), error, view.lastGood(), view.accounting());
            return new PortalCycle(view, false, 0, List.of(), elapsed(startNanos));
        }
    }

    /**
     * Usernames and client IPs repeat across sessions and portals (a user's sessions, a NAT's users). Each distinct
     * value is kept once, through the JVM's string table (which holds its strings weakly, so values no session uses
     * any more are collected): at 100k tracked sessions this saves about a quarter of the heap (BENCHMARKS.md,
     * "Memory"). Called once per first-seen session and per IP fetch, not per listed session.
     */
    private static String shared(String value) {
        return value == null ? null : value.intern();
    }

    private static List<String> shared(List<String> values) {
        String[] copy = new String[values.size()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = values.get(i).intern();
        }
        return List.of(copy);
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The work of one cycle, so that nothing is published before all of it succeeded. */
    /**
     * The service's time at the start of a cycle, as finely as it can be known. Its {@code Date} header has a
     * resolution of one second: when it agrees with the agent's clock within that second, the agent's clock is the
     * finer reading of the same time (session ages to the millisecond); otherwise the clocks disagree and the
     * service's time, to the second, is the one its start and end times are comparable with.
     */
    static Instant serviceTime(Instant serviceDate, Instant agentNow) {
        Duration apart = Duration.between(agentNow, serviceDate).abs();
        return apart.compareTo(Duration.ofSeconds(1)) <= 0 ? agentNow : serviceDate;
    }

    private final class Cycle {
        /** The agent's time at the start of the cycle: when it polled (shown), when IPs were fetched (refresh schedule). */
        final Instant now;
        /** The service's time at the start of the cycle: the cutoffs and "ended now"; the agent's clock until it answers. */
        Instant serviceNow;
        final boolean baseline = state.lastSuccess() == null;
        final Map<String, TrackedSession> next = new LinkedHashMap<>();
        final Map<String, PortalState.CountedEnd> counted = new HashMap<>(state.countedEnds());
        final List<SessionEnd> ended = new ArrayList<>();
        int started;

        Cycle(Instant now) {
            this.now = now;
            this.serviceNow = now;
        }

        void run() {
            Map<String, TrackedSession> previous = state.sessions();

            // 1. The active sessions, all pages.
            Set<String> listed = new HashSet<>();
            boolean[] first = {true};
            gateway.listSessions(info.portalId(), SessionQuery.active(), page -> {
                if (first[0]) {
                    first[0] = false;
                    if (page.serviceTime() != null) {
                        serviceNow = serviceTime(page.serviceTime(), now);
                    }
                }
                for (ServiceSession s : page.sessions()) {
                    String id = s.sessionId();
                    if (!listed.add(id)) {
                        continue;
                    }
                    TrackedSession known = previous.get(id);
                    if (known != null) {
                        // Keyed by the id string already held, not the one just parsed: one copy per session.
                        next.put(known.sessionId(), known.withListed(true));
                    } else if (!counted.containsKey(id)) {
                        // Seen for the first time. (An id already counted as ended is a lagging list: ignored.)
                        next.put(id, TrackedSession.firstSeen(id, shared(s.username()), s.startTime()));
                        if (!baseline) {
                            started++;
                        }
                    }
                }
                return true;
            });

            // 2. GetSession: sessions that vanished (their end), first seen (their IPs), and IPs due for refresh.
            List<TrackedSession> vanished = previous.values().stream().filter(t -> !listed.contains(t.sessionId())).toList();
            List<TrackedSession> needIps = new ArrayList<>();
            List<TrackedSession> dueForRefresh = new ArrayList<>();
            for (TrackedSession t : next.values()) {
                if (t.ipsFetchedAt() == null) {
                    needIps.add(t);
                } else if (refreshDue(t)) {
                    dueForRefresh.add(t);
                }
            }
            needIps.addAll(refreshShare(dueForRefresh));

            List<TrackedSession> toFetch = new ArrayList<>(vanished.size() + needIps.size());
            toFetch.addAll(vanished);
            toFetch.addAll(needIps);
            List<BoundedFetcher.Result> results =
                    BoundedFetcher.fetch(toFetch, settings.maxConcurrency(), t -> gateway.getSession(info.portalId(), t.sessionId()));
            for (int i = 0; i < vanished.size(); i++) {
                concludeVanished(vanished.get(i), results.get(i));
            }
            for (int i = 0; i < needIps.size(); i++) {
                BoundedFetcher.Result r = results.get(vanished.size() + i);
                if (r.session() != null && r.session().isPresent()) {
                    TrackedSession t = needIps.get(i);
                    next.put(t.sessionId(), t.withIps(shared(r.session().get().clientIps()), now));
                }
                // A failed or empty fetch leaves the IPs unfetched/stale; they are asked for again next cycle.
            }

            // 3. Sessions that started and ended between two polls, newest first, down to the cutoff.
            // Both sides in the service's time: the previous cycle's service time, the sessions' start times.
            Instant cutoff = (baseline ? serviceNow : state.serviceTime()).minus(settings.overlap());
            gateway.listSessions(info.portalId(), SessionQuery.terminatedNewestFirst(), page -> {
                boolean reachedCutoff = false;
                for (ServiceSession s : page.sessions()) {
                    if (s.startTime() == null || s.startTime().isBefore(cutoff)) {
                        reachedCutoff = true;
                        continue;
                    }
                    String id = s.sessionId();
                    if (counted.containsKey(id) || previous.containsKey(id) || next.containsKey(id)) {
                        // Already counted; or seen active, so its end is (being) observed through GetSession.
                        continue;
                    }
                    if (baseline) {
                        counted.put(id, new PortalState.CountedEnd(s.startTime(), serviceNow)); // history, never counted
                    } else {
                        Instant end = s.endTime() != null ? s.endTime() : serviceNow;
                        ended.add(new SessionEnd(id, s.username(), s.startTime(), end));
                        counted.put(id, new PortalState.CountedEnd(s.startTime(), serviceNow));
                        started++;
                    }
                }
                return !reachedCutoff;
            });
        }

        private void concludeVanished(TrackedSession t, BoundedFetcher.Result r) {
            if (r.failure() != null) {
                // End not confirmed: keep it, unlisted, and ask again next cycle. Counting waits for the truth.
                next.put(t.sessionId(), t.withListed(false));
                return;
            }
            Optional<ServiceSession> found = r.session();
            if (found.isPresent() && found.get().active()) {
                // Still active: the list lagged. Keep it as active.
                next.put(t.sessionId(), t.withIps(shared(found.get().clientIps()), now).withListed(true));
                return;
            }
            Instant end;
            if (found.isPresent() && found.get().endTime() != null) {
                end = found.get().endTime();
            } else {
                // Gone from the service altogether: its end lies between the last poll that saw it and now.
                LOG.log(Level.DEBUG, "portal {0}: session {1} vanished without an end time", info.portalId(), t.sessionId());
                end = serviceNow;
            }
            ended.add(new SessionEnd(t.sessionId(), t.username(), t.startTime(), end));
            counted.put(t.sessionId(), new PortalState.CountedEnd(t.startTime(), serviceNow));
        }

        private boolean refreshDue(TrackedSession t) {
            Duration refresh = settings.ipRefreshInterval();
            return !refresh.isZero() && !t.ipsFetchedAt().plus(refresh).isAfter(now);
        }

        /**
         * The due sessions to refresh this cycle: the most overdue first, at most the share that spreads all active
         * sessions evenly over the refresh interval, so a portal's sessions do not all refresh in the same cycle.
         */
        private List<TrackedSession> refreshShare(List<TrackedSession> due) {
            if (due.isEmpty()) {
                return due;
            }
            double perCycle = (double) next.size() * settings.interval().toMillis()
                    / Math.max(1, settings.ipRefreshInterval().toMillis());
            int budget = (int) Math.min(due.size(), Math.max(1, Math.ceil(perCycle)));
            return due.stream()
                    .sorted(Comparator.comparing(TrackedSession::ipsFetchedAt).thenComparing(TrackedSession::sessionId))
                    .limit(budget)
                    .toList();
        }

        PortalState nextState() {
            // An id is forgotten once no later cutoff can reach its start and no lagging list can still show it.
            // (Service time on both sides, like the cutoff it mirrors.)
            Instant forgetBefore = serviceNow.minus(settings.overlap());
            counted.values().removeIf(c -> c.startTime().isBefore(forgetBefore) && c.observedAt().isBefore(forgetBefore));
            return new PortalState(now, serviceNow, next, counted, accountingBefore().plus(started, ended));
        }

        private SessionAccounting accountingBefore() {
            double[] bounds = settings.durationBounds();
            SessionAccounting before = state.accounting();
            if (baseline || before == null) {
                return SessionAccounting.empty(bounds);
            }
            if (!before.sameBounds(bounds)) {
                // metrics.duration_buckets changed since the state was saved: the histogram starts again (the
                // counters too, so that they stay consistent with its count).
                LOG.log(Level.WARNING, "portal {0}: duration buckets changed, restarting its histogram and counters", info.portalId());
                return SessionAccounting.empty(bounds);
            }
            return before;
        }

        PortalSnapshot snapshot() {
            List<SessionSnapshot> active = new ArrayList<>(next.size());
            for (TrackedSession t : next.values()) {
                if (t.listed()) {
                    active.add(t.session()); // shared with the state, not copied
                }
            }
            return PortalSnapshot.of(info, now, serviceNow, active);
        }
    }
}
