package dev.workspacesweb.exporter.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The sessions of one portal, indexed for the API: per status a set sorted by (startTime, sessionId), and the same
 * per user, so a page of any filter combination costs O(log n + page size). Not thread-safe: used under the
 * {@link Workload}'s lock.
 */
final class PortalState {

    /** A planned end; immutable so the heap's order stays valid when a session's planned end is moved. */
    private record PlannedEnd(long atMillis, Session session) {
    }

    private static final Comparator<PlannedEnd> PLANNED_END_ORDER =
            Comparator.comparingLong(PlannedEnd::atMillis).thenComparing(PlannedEnd::session, Session.ORDER);

    /** Index pair of one user (or of the whole portal). */
    static final class StatusSets {
        final NavigableSet<Session> active = new TreeSet<>(Session.ORDER);
        final NavigableSet<Session> terminated = new TreeSet<>(Session.ORDER);
    }

    final Portal portal;
    final StatusSets all = new StatusSets();
    private final Map<Integer, StatusSets> byUser = new HashMap<>();
    private final PriorityQueue<PlannedEnd> plannedEnds = new PriorityQueue<>(PLANNED_END_ORDER);
    /** Sessions terminated with an end at or after the simulator's start, in the order they ended. */
    final List<Session> endedSinceStart = new ArrayList<>();
    private final long startedAtMillis;
    long sessionsStarted;

    /** The random stream of generated arrivals, untouched by test hooks so they do not shift it. */
    final SplittableRandom arrivals;
    /** The random stream of preloads and scripted ids. */
    final SplittableRandom scripted;
    long nextArrivalMillis;

    PortalState(Portal portal, long startedAtMillis, SplittableRandom arrivals, SplittableRandom scripted) {
        this.portal = portal;
        this.startedAtMillis = startedAtMillis;
        this.arrivals = arrivals;
        this.scripted = scripted;
    }

    StatusSets user(int user) {
        return byUser.get(user);
    }

    /** Adds a session (active or terminated); false if its id is taken. */
    boolean add(Session session) {
        StatusSets userSets = byUser.computeIfAbsent(session.user, u -> new StatusSets());
        if (find(session.hi, session.lo) != null) {
            return false;
        }
        if (session.active()) {
            all.active.add(session);
            userSets.active.add(session);
            if (session.plannedEndMillis != Session.NO_PLANNED_END) {
                plannedEnds.add(new PlannedEnd(session.plannedEndMillis, session));
            }
        } else {
            all.terminated.add(session);
            userSets.terminated.add(session);
            if (session.endMillis >= startedAtMillis) {
                endedSinceStart.add(session);
            }
        }
        if (session.startMillis() > startedAtMillis) {
            sessionsStarted++;
        }
        return true;
    }

    void planEnd(Session session, long atMillis) {
        session.plannedEndMillis = atMillis;
        plannedEnds.add(new PlannedEnd(atMillis, session));
    }

    void terminate(Session session, long endMillis) {
        if (!session.active()) {
            return;
        }
        StatusSets userSets = byUser.get(session.user);
        all.active.remove(session);
        userSets.active.remove(session);
        session.endMillis = endMillis;
        all.terminated.add(session);
        userSets.terminated.add(session);
        if (endMillis >= startedAtMillis) {
            endedSinceStart.add(session);
        }
    }

    /** Ends every active session whose planned end is at or before the given instant, at its planned end. */
    void endDue(long nowMillis) {
        while (!plannedEnds.isEmpty() && plannedEnds.peek().atMillis() <= nowMillis) {
            PlannedEnd due = plannedEnds.poll();
            Session session = due.session();
            // Stale entries (session expired meanwhile, or its end moved) are skipped rather than removed eagerly.
            if (session.active() && session.plannedEndMillis == due.atMillis()) {
                terminate(session, due.atMillis());
            }
        }
    }

    /**
     * Up to {@code limit} sessions of the given sets in (startTime, sessionId) order (or its reverse), strictly after
     * {@code after} in that order if given: a tail view per status, merged. O(log n + limit).
     *
     * @param status null for both statuses
     */
    static List<Session> page(StatusSets sets, SessionRecord.Status status, boolean descending, Session after,
            int limit) {
        List<Iterator<Session>> sources = new ArrayList<>(2);
        if (status != SessionRecord.Status.Terminated) {
            sources.add(tail(sets.active, descending, after));
        }
        if (status != SessionRecord.Status.Active) {
            sources.add(tail(sets.terminated, descending, after));
        }
        Comparator<Session> order = descending ? Session.ORDER.reversed() : Session.ORDER;
        List<Session> out = new ArrayList<>(Math.min(limit, 1024));
        Session[] heads = new Session[sources.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = sources.get(i).hasNext() ? sources.get(i).next() : null;
        }
        while (out.size() < limit) {
            int best = -1;
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && (best < 0 || order.compare(heads[i], heads[best]) < 0)) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            out.add(heads[best]);
            heads[best] = sources.get(best).hasNext() ? sources.get(best).next() : null;
        }
        return out;
    }

    private static Iterator<Session> tail(NavigableSet<Session> set, boolean descending, Session after) {
        NavigableSet<Session> ordered = descending ? set.descendingSet() : set;
        return (after == null ? ordered : ordered.tailSet(after, false)).iterator();
    }

    /** The session of a canonical id, or null. */
    Session find(String sessionId) {
        long[] id = SessionIds.parse(sessionId);
        return id == null ? null : find(id[0], id[1]);
    }

    Session find(long hi, long lo) {
        Session probe = Session.probe(hi, lo);
        Session found = all.active.ceiling(probe);
        if (probe.sameId(found)) {
            return found;
        }
        found = all.terminated.ceiling(probe);
        return probe.sameId(found) ? found : null;
    }
}
