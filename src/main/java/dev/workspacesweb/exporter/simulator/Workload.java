package dev.workspacesweb.exporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The synthetic workload behind the simulator: portals, users and their sessions, generated deterministically from
 * {@link SimulatorSettings#seed()} and driven by an injectable clock. Also the Java API of the test hooks and of the
 * ground truth.
 *
 * <p>Time: the workload catches up lazily. Every API request, truth read and test hook first generates every
 * arrival and planned end up to the clock's now (the largest value seen; a clock going back generates nothing).
 * Generated arrivals and durations come from a per-portal random stream that nothing else draws from, so they do
 * not depend on how often the clock is read: the same seed and the same sequence of clock values (and hooks) give
 * the same sessions.
 *
 * <p>Model per portal: Poisson arrivals at {@code arrivalsPerMinute}; durations from {@link DurationModel}
 * (log-normal with the configured median and sigma plus 5 % bounce sessions of 3–30 s); users drawn uniformly from
 * the population; 1..{@code maxIpsPerSession} client IPs (one in 70 % of the sessions); {@code historySessions}
 * terminated sessions that ended before the start and {@code initialActiveSessions} active ones that started
 * before it. Times have millisecond precision, like the wire format.
 *
 * <p>Thread-safe: one lock guards the state; pages and truth are copied out as records under it.
 */
public final class Workload {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(24);
    /** Longest duration {@link DurationModel} draws (30 days), so the furthest a preloaded session reaches back. */
    private static final Duration PRELOAD_REACH = Duration.ofDays(31);

    private final ReentrantLock lock = new ReentrantLock();
    private final SimulatorSettings settings;
    private final InstantSource clock;
    private final long startedAtMillis;
    private final UserDirectory users;
    private final SessionGenerator generator;
    private final List<PortalState> portals = new ArrayList<>();
    private final Map<String, Integer> portalIndexById = new HashMap<>();
    private final Map<String, SimulatorSettings.Account> accounts = new LinkedHashMap<>();
    private long nowMillis;

    public Workload(SimulatorSettings settings, InstantSource clock) {
        if (settings.portals() < 0 || settings.users() < 0 || settings.arrivalsPerMinute() < 0
                || settings.initialActiveSessions() < 0 || settings.historySessions() < 0) {
            throw new IllegalArgumentException("simulator counts and rates must not be negative: " + settings);
        }
        this.settings = settings;
        this.clock = clock;
        this.startedAtMillis = clock.millis();
        this.nowMillis = startedAtMillis;
        if (startedAtMillis < PRELOAD_REACH.toMillis()
                && (settings.initialActiveSessions() > 0 || settings.historySessions() > 0)) {
            throw new IllegalArgumentException("preloaded sessions need a clock later than "
                    + Instant.EPOCH.plus(PRELOAD_REACH) + ", got " + clock.instant());
        }
        this.users = new UserDirectory(settings.seed(), Math.max(1, settings.users()), settings.maxIpsPerSession(),
                ClientNetworks.parse(settings.clientNetworks()));
        this.generator = new SessionGenerator(settings, users, startedAtMillis);
        double expectedConcurrent = Math.max(settings.initialActiveSessions(), generator.steadyStateActive());
        SplittableRandom root = new SplittableRandom(settings.seed());
        // The default account's portals first, so its portals (and their random streams) are the same with or
        // without further accounts.
        List<SimulatorSettings.Account> owners = new ArrayList<>();
        owners.add(new SimulatorSettings.Account(settings.accountId(), settings.region(), settings.portals(), ""));
        owners.addAll(settings.accounts());
        for (SimulatorSettings.Account owner : owners) {
            if (accounts.putIfAbsent(owner.accountId(), owner) != null) {
                throw new IllegalArgumentException("account " + owner.accountId() + " is simulated twice");
            }
            for (int n = 0; n < owner.portals(); n++) {
                int i = portals.size();
                Portal portal = PortalFactory.create(i, owner.accountId(), owner.region(), root.split(),
                        startedAtMillis, expectedConcurrent);
                PortalState state = new PortalState(portal, startedAtMillis, root.split(), root.split());
                generator.scheduleFirstArrival(state);
                portals.add(state);
                portalIndexById.put(portal.id(), i);
            }
        }
        for (PortalState state : portals) {
            generator.preloadHistory(state, settings.historySessions());
            generator.preloadActive(state, settings.initialActiveSessions(), startedAtMillis);
        }
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public Instant startedAt() {
        return Instant.ofEpochMilli(startedAtMillis);
    }

    public List<Portal> portals() {
        return portals.stream().map(p -> p.portal).toList();
    }

    public List<String> portalIds() {
        return portals.stream().map(p -> p.portal.id()).toList();
    }

    /** The simulated accounts, the default one first. */
    public List<SimulatorSettings.Account> accounts() {
        return List.copyOf(accounts.values());
    }

    /** The simulated account with this id, if any. */
    public Optional<SimulatorSettings.Account> account(String accountId) {
        return Optional.ofNullable(accounts.get(accountId));
    }

    /** The portal's 0-based index, or -1. */
    public int portalIndex(String portalId) {
        return portalIndexById.getOrDefault(portalId, -1);
    }

    /** Generates every arrival and planned end up to the clock's now. */
    public void catchUp() {
        locked(() -> null);
    }

    // ---------------------------------------------------------------- test hooks

    /**
     * Starts a scripted session (random arrivals keep going unless {@code arrivalsPerMinute} is 0). It has no
     * planned end: end it with {@link #endSession}. The id is derived from the start time (millisecond precision).
     */
    public SessionRecord startSession(String portalId, String username, List<String> clientIpAddresses,
            Instant startTime) {
        checkAddresses(clientIpAddresses);
        return locked(() -> {
            PortalState portal = portal(portalId);
            int user = users.intern(username);
            Session session;
            do {
                session = new Session(SessionIds.hi(startTime.toEpochMilli(), portal.scripted.nextLong()),
                        SessionIds.lo(portal.scripted.nextLong()), user, 0, 0);
                session.ipOverride = clientIpAddresses.toArray(String[]::new);
            } while (!portal.add(session));
            return record(portal, session);
        });
    }

    /** Starts a scripted session at the clock's now. */
    public SessionRecord startSession(String portalId, String username, List<String> clientIpAddresses) {
        return startSession(portalId, username, clientIpAddresses, clock.instant());
    }

    /**
     * Ends a session at the given time: at once if the time is not after the clock's now, otherwise when the
     * workload catches up to it. Ending a terminated session changes nothing.
     */
    public SessionRecord endSession(String portalId, String sessionId, Instant endTime) {
        return locked(() -> {
            PortalState portal = portal(portalId);
            Session session = existing(portal, sessionId);
            long end = endTime.toEpochMilli();
            if (end < session.startMillis()) {
                throw new IllegalArgumentException("end " + endTime + " before the start of " + sessionId);
            }
            if (session.active()) {
                if (end <= nowMillis) {
                    portal.terminate(session, end);
                } else {
                    portal.planEnd(session, end);
                }
            }
            return record(portal, session);
        });
    }

    /** Ends a session at the clock's now. */
    public SessionRecord endSession(String portalId, String sessionId) {
        return endSession(portalId, sessionId, clock.instant());
    }

    /** Replaces a session's client IPs (a roaming client). */
    public SessionRecord setClientIps(String portalId, String sessionId, List<String> clientIpAddresses) {
        checkAddresses(clientIpAddresses);
        return locked(() -> {
            PortalState portal = portal(portalId);
            Session session = existing(portal, sessionId);
            session.ipOverride = clientIpAddresses.toArray(String[]::new);
            return record(portal, session);
        });
    }

    /**
     * Adds generated sessions to a portal: {@code active} ones that started before now (with planned ends after
     * it) and {@code terminated} ones that ended before the simulator's start (history). Large populations, e.g.
     * 100k active and 1M terminated in all, take seconds.
     */
    public void preload(String portalId, int active, int terminated) {
        locked(() -> {
            PortalState portal = portal(portalId);
            generator.preloadHistory(portal, terminated);
            generator.preloadActive(portal, active, nowMillis);
            return null;
        });
    }

    public Optional<SessionRecord> session(String portalId, String sessionId) {
        return locked(() -> {
            PortalState portal = portal(portalId);
            return Optional.ofNullable(portal.find(sessionId)).map(s -> record(portal, s));
        });
    }

    // ---------------------------------------------------------------- ground truth

    public Truth truth() {
        return truth(false);
    }

    /**
     * The ground truth after catching up; see {@link PortalTruth} for the definitions. {@code includeHistory} also
     * lists the sessions that ended before the start.
     */
    public Truth truth(boolean includeHistory) {
        return locked(() -> {
            List<PortalTruth> result = new ArrayList<>();
            for (PortalState portal : portals) {
                result.add(portalTruth(portal, includeHistory));
            }
            return new Truth(Instant.ofEpochMilli(startedAtMillis), Instant.ofEpochMilli(nowMillis), result);
        });
    }

    private PortalTruth portalTruth(PortalState portal, boolean includeHistory) {
        List<SessionRecord> active = new ArrayList<>(portal.all.active.size());
        Map<String, Integer> byUser = new TreeMap<>();
        Map<String, Integer> byIp = new TreeMap<>();
        for (Session session : portal.all.active) {
            SessionRecord record = record(portal, session);
            active.add(record);
            byUser.merge(record.username(), 1, Integer::sum);
            for (String ip : new LinkedHashSet<>(record.clientIpAddresses())) {
                byIp.merge(ip, 1, Integer::sum);
            }
        }
        List<Session> endedSessions = new ArrayList<>(portal.endedSinceStart);
        endedSessions.sort(Comparator.comparingLong((Session s) -> s.endMillis).thenComparing(Session.ORDER));
        List<SessionRecord> ended = endedSessions.stream().map(s -> record(portal, s)).toList();
        List<SessionRecord> history = !includeHistory ? List.of() : portal.all.terminated.stream()
                .filter(s -> s.endMillis < startedAtMillis).map(s -> record(portal, s)).toList();
        return new PortalTruth(portal.portal.index(), portal.portal.id(), portal.portal.portalArn(),
                portal.portal.accountId(), portal.portal.region(), active, ended,
                portal.sessionsStarted, byUser, byIp, history);
    }

    // ---------------------------------------------------------------- API (package-private, for the server)

    /** Filters of ListSessions; null means "not filtered". */
    record SessionFilter(SessionRecord.Status status, boolean descending, String username, String sessionId) {
    }

    /** A position in the (startTime, sessionId) order: the last session of a page. */
    record Cursor(long hi, long lo) {
    }

    /** A page and the cursor of its last session if more sessions follow. */
    record SessionPage(List<SessionRecord> sessions, Cursor next) {
    }

    Portal portal(int index) {
        return portals.get(index).portal;
    }

    long nowMillis() {
        return locked(() -> nowMillis);
    }

    static Duration tokenLifetime() {
        return TOKEN_LIFETIME;
    }

    SessionPage listSessions(int portalIndex, SessionFilter filter, Cursor after, int limit) {
        return locked(() -> {
            PortalState portal = portals.get(portalIndex);
            Session afterProbe = after == null ? null : Session.probe(after.hi(), after.lo());
            List<Session> taken;
            if (filter.sessionId() != null) {
                taken = singleSession(portal, filter, afterProbe);
            } else {
                PortalState.StatusSets sets = portal.all;
                if (filter.username() != null) {
                    int user = users.find(filter.username());
                    sets = user < 0 ? null : portal.user(user);
                }
                taken = sets == null ? List.of()
                        : PortalState.page(sets, filter.status(), filter.descending(), afterProbe, limit + 1);
            }
            Cursor next = null;
            if (taken.size() > limit) {
                taken = taken.subList(0, limit);
                Session last = taken.get(limit - 1);
                next = new Cursor(last.hi, last.lo);
            }
            return new SessionPage(taken.stream().map(s -> record(portal, s)).toList(), next);
        });
    }

    Optional<SessionRecord> getSession(int portalIndex, String sessionId) {
        return locked(() -> {
            PortalState portal = portals.get(portalIndex);
            return Optional.ofNullable(portal.find(sessionId)).map(s -> record(portal, s));
        });
    }

    /** Terminates the session at now if active; empty if there is no such session. */
    Optional<SessionRecord> expireSession(int portalIndex, String sessionId) {
        return locked(() -> {
            PortalState portal = portals.get(portalIndex);
            Session session = portal.find(sessionId);
            if (session == null) {
                return Optional.empty();
            }
            portal.terminate(session, Math.max(nowMillis, session.startMillis()));
            return Optional.of(record(portal, session));
        });
    }

    // ---------------------------------------------------------------- internals

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            long now = clock.millis();
            if (now > nowMillis) {
                nowMillis = now;
            }
            for (PortalState portal : portals) {
                generator.arrivalsUpTo(portal, nowMillis);
                portal.endDue(nowMillis);
            }
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private List<Session> singleSession(PortalState portal, SessionFilter filter, Session after) {
        Session session = portal.find(filter.sessionId());
        if (session == null
                || filter.status() == SessionRecord.Status.Active && !session.active()
                || filter.status() == SessionRecord.Status.Terminated && session.active()
                || filter.username() != null && !filter.username().equals(users.name(session.user))) {
            return List.of();
        }
        if (after != null) {
            int c = Session.ORDER.compare(session, after);
            if (filter.descending() ? c >= 0 : c <= 0) {
                return List.of();
            }
        }
        return List.of(session);
    }

    private SessionRecord record(PortalState portal, Session session) {
        return new SessionRecord(portal.portal.id(), session.id(), users.name(session.user),
                session.active() ? SessionRecord.Status.Active : SessionRecord.Status.Terminated,
                Instant.ofEpochMilli(session.startMillis()),
                session.active() ? null : Instant.ofEpochMilli(session.endMillis),
                List.of(users.addresses(session)));
    }

    private PortalState portal(String portalId) {
        Integer index = portalIndexById.get(portalId);
        if (index == null) {
            throw new IllegalArgumentException("no portal " + portalId);
        }
        return portals.get(index);
    }

    private static Session existing(PortalState portal, String sessionId) {
        Session session = portal.find(sessionId);
        if (session == null) {
            throw new IllegalArgumentException("no session " + sessionId + " in portal " + portal.portal.id());
        }
        return session;
    }

    private static void checkAddresses(List<String> addresses) {
        if (addresses.isEmpty() || addresses.size() > 45
                || addresses.stream().anyMatch(a -> a.isEmpty() || a.length() > 15)) {
            throw new IllegalArgumentException("clientIpAddresses must be 1 to 45 addresses of 1 to 15 characters: "
                    + addresses);
        }
    }
}
