package dev.workspacesweb.exporter.simulator;

import java.util.Comparator;

/**
 * One simulated session, kept compact because a simulator may hold a million of them: the id is two longs (the
 * start time lives in its high bits), the user and the client IPs are indexes into the {@link UserDirectory}.
 * Mutable only under the {@link Workload}'s lock.
 */
final class Session {

    static final long ACTIVE = Long.MIN_VALUE;
    static final long NO_PLANNED_END = Long.MAX_VALUE;

    /** (startTime, sessionId) order, which is the order of the ids' two words compared unsigned. */
    static final Comparator<Session> ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.hi, b.hi);
        return c != 0 ? c : Long.compareUnsigned(a.lo, b.lo);
    };

    final long hi;
    final long lo;
    final int user;
    /** How many of the user's addresses the session uses, and from which offset of the user's address pool. */
    final byte ipCount;
    final byte ipOffset;
    long plannedEndMillis = NO_PLANNED_END;
    long endMillis = ACTIVE;
    /** Set by the test hook that changes a session's client IPs; null means "derived from the user". */
    String[] ipOverride;

    Session(long hi, long lo, int user, int ipCount, int ipOffset) {
        this.hi = hi;
        this.lo = lo;
        this.user = user;
        this.ipCount = (byte) ipCount;
        this.ipOffset = (byte) ipOffset;
    }

    /** A key for searching the sorted indexes. */
    static Session probe(long hi, long lo) {
        return new Session(hi, lo, -1, 0, 0);
    }

    long startMillis() {
        return SessionIds.startMillis(hi);
    }

    boolean active() {
        return endMillis == ACTIVE;
    }

    boolean sameId(Session other) {
        return other != null && other.hi == hi && other.lo == lo;
    }

    String id() {
        return SessionIds.format(hi, lo);
    }
}
