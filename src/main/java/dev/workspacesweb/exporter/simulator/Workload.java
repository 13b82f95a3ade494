package dev.workspacesweb.exporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The synthetic workload behind the simulator: portals, users and their sessions, generated deterministically from
 * {@link SimulatorSettings#seed()} and driven by an injectable clock.
 *
 * <p>Time: the workload catches up lazily. Every API request, truth read and test hook first generates every
 * arrival and planned end up to the clock's now (the largest value seen; a clock going back generates nothing).
 * Generated arrivals and durations come from a per-portal random stream that nothing else draws from, so their
 * times do not depend on how often the clock is read: the same seed and the same sequence of clock values (and
 * hooks) give the same sessions.
 *
 * <p>Model per portal: Poisson arrivals at {@code arrivalsPerMinute}; durations from {@link DurationModel}
 * (log-normal with the configured median and sigma plus 5 % bounce sessions of 3–30 s); users drawn uniformly from
 * the population; 1..{@code maxIpsPerSession} client IPs (one in 70 % of the sessions); {@code historySessions}
 * terminated sessions that ended before the start and {@code initialActiveSessions} active ones that started before
 * it. Times have millisecond precision, like the wire format.
 *
 * <p>Thread-safe: one lock guards the state; API pages are copied out as records under it.
 */
public final class Workload {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(24);
    private static final String[] PORTAL_NAMES = {"Finance", "Engineering", "Contact Center", "Partners", "Legal",
        "Human Resources", "Sales", "Research", "Support", "Operations"};
    private static final String[] INSTANCE_TYPES = {"standard.regular", "standard.large", "standard.xlarge"};

    private final ReentrantLock lock = new ReentrantLock();
    private final SimulatorSettings settings;
    private final InstantSource clock;
    private final long startedAtMillis;
    private final DurationModel durations;
    private final UserDirectory users;
    private final int population;
    private final double meanInterArrivalMillis;
    private final List<PortalState> portals = new ArrayList<>();
    private final Map<String, Integer> portalIndexById = new HashMap<>();
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
        this.durations = new DurationModel(settings.medianSessionDuration(), settings.durationSigma());
        this.population = Math.max(1, settings.users());
        this.users = new UserDirectory(settings.seed(), population, settings.maxIpsPerSession());
        this.meanInterArrivalMillis = settings.arrivalsPerMinute() > 0 ? 60_000.0 / settings.arrivalsPerMinute() : 0;
        SplittableRandom root = new SplittableRandom(settings.seed());
        for (int i = 0; i < settings.portals(); i++) {
            Portal portal = newPortal(i, root.split());
            PortalState state = new PortalState(portal, startedAtMillis, root.split(), root.split());
            state.nextArrivalMillis = startedAtMillis + interArrivalMillis(state.arrivals);
            portals.add(state);
            portalIndexById.put(portal.id(), i);
        }
        for (PortalState state : portals) {
            preloadHistory(state, settings.historySessions());
            preloadActive(state, settings.initialActiveSessions());
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
            Session session = session(portal, sessionId);
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
            Session session = session(portal, sessionId);
            session.ipOverride = clientIpAddresses.toArray(String[]::new);
            return record(portal, session);
        });
    }

    /**
     * Adds generated sessions to a portal: {@code active} ones that started before now (and end at a planned time
     * after it) and {@code terminated} ones that ended before the simulator's start (history). For large
     * populations, e.g. 100k active and 1M terminated.
     */
    public void preload(String portalId, int active, int terminated) {
        locked(() -> {
            PortalState portal = portal(portalId);
            preloadHistory(portal, terminated);
            preloadActive(portal, active);
            return null;
        });
    }

    public Optional<SessionRecord> session(String portalId, String sessionId) {
        return locked(() -> {
            PortalState portal = portal(portalId);
            long[] id = SessionIds.parse(sessionId);
            Session session = id == null ? null : portal.find(id[0], id[1]);
            return Optional.ofNullable(session).map(s -> record(portal, s));
        });
    }

    // ---------------------------------------------------------------- ground truth

    public Truth truth() {
        return truth(false);
    }

    /** The ground truth after catching up; {@code includeHistory} also lists sessions ended before the start. */
    public Truth truth(boolean includeHistory) {
        return locked(() -> {
            List<PortalTruth> result = new ArrayList<>();
            for (PortalState portal : portals) {
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
                List<SessionRecord> history = List.of();
                if (includeHistory) {
                    history = portal.all.terminated.stream().filter(s -> s.endMillis < startedAtMillis)
                            .map(s -> record(portal, s)).toList();
                }
                result.add(new PortalTruth(portal.portal.index(), portal.portal.id(), portal.portal.portalArn(),
                        active, ended, portal.sessionsStarted, byUser, byIp, history));
            }
            return new Truth(Instant.ofEpochMilli(startedAtMillis), Instant.ofEpochMilli(nowMillis), result);
        });
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
            if (filter.sessionId() != null) {
                return new SessionPage(singleSession(portal, filter, after).stream().map(s -> record(portal, s)).toList(),
                        null);
            }
            PortalState.StatusSets sets;
            if (filter.username() == null) {
                sets = portal.all;
            } else {
                int user = users.find(filter.username());
                sets = user < 0 ? null : portal.user(user);
                if (sets == null) {
                    return new SessionPage(List.of(), null);
                }
            }
            List<NavigableSet<Session>> sources = new ArrayList<>(2);
            if (filter.status() != SessionRecord.Status.Terminated) {
                sources.add(sets.active);
            }
            if (filter.status() != SessionRecord.Status.Active) {
                sources.add(sets.terminated);
            }
            Session probe = after == null ? null : Session.probe(after.hi(), after.lo());
            List<Iterator<Session>> iterators = new ArrayList<>(2);
            for (NavigableSet<Session> source : sources) {
                NavigableSet<Session> ordered = filter.descending() ? source.descendingSet() : source;
                iterators.add((probe == null ? ordered : ordered.tailSet(probe, false)).iterator());
            }
            Comparator<Session> order = filter.descending() ? Session.ORDER.reversed() : Session.ORDER;
            List<Session> taken = merge(iterators, order, limit + 1);
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
            Session session = find(portal, sessionId);
            return Optional.ofNullable(session).map(s -> record(portal, s));
        });
    }

    /** Terminates the session at now if active; empty if there is no such session. */
    Optional<SessionRecord> expireSession(int portalIndex, String sessionId) {
        return locked(() -> {
            PortalState portal = portals.get(portalIndex);
            Session session = find(portal, sessionId);
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
                generateArrivals(portal, nowMillis);
                portal.endDue(nowMillis);
            }
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private void generateArrivals(PortalState portal, long upTo) {
        if (meanInterArrivalMillis <= 0) {
            return;
        }
        while (portal.nextArrivalMillis <= upTo) {
            long start = portal.nextArrivalMillis;
            SplittableRandom random = portal.arrivals;
            Session session;
            do {
                session = newSession(random, start);
            } while (portal.find(session.hi, session.lo) != null);
            session.plannedEndMillis = start + durations.sampleMillis(random);
            portal.add(session);
            portal.nextArrivalMillis = start + interArrivalMillis(random);
        }
    }

    private long interArrivalMillis(SplittableRandom random) {
        if (meanInterArrivalMillis <= 0) {
            return Long.MAX_VALUE / 4;
        }
        return Math.max(1, Math.round(random.nextExponential() * meanInterArrivalMillis));
    }

    private Session newSession(SplittableRandom random, long startMillis) {
        int user = random.nextInt(population);
        int maxIps = users.poolSize();
        int ipCount = maxIps <= 1 || random.nextDouble() < 0.7 ? 1 : 2 + random.nextInt(maxIps - 1);
        int ipOffset = random.nextInt(maxIps);
        return new Session(SessionIds.hi(startMillis, random.nextLong()), SessionIds.lo(random.nextLong()), user,
                ipCount, ipOffset);
    }

    /** Terminated sessions that ended within a window before the start, as long as the arrival rate makes them. */
    private void preloadHistory(PortalState portal, int count) {
        double rate = settings.arrivalsPerMinute();
        long span = rate > 0 ? Math.max(Duration.ofHours(1).toMillis(), (long) (count / rate * 60_000))
                : Duration.ofDays(7).toMillis();
        span = Math.max(1, Math.min(span, startedAtMillis - 1));
        SplittableRandom random = portal.scripted;
        for (int added = 0; added < count; ) {
            long end = startedAtMillis - 1 - random.nextLong(span);
            long start = Math.max(0, end - durations.sampleMillis(random));
            Session session = newSession(random, start);
            session.endMillis = Math.max(end, start);
            if (portal.add(session)) {
                added++;
            }
        }
    }

    /** Active sessions that started before now, at an age within their duration. */
    private void preloadActive(PortalState portal, int count) {
        SplittableRandom random = portal.scripted;
        for (int added = 0; added < count; ) {
            long duration = durations.sampleMillis(random);
            long age = 1 + random.nextLong(Math.max(1, duration - 1));
            Session session = newSession(random, nowMillis - age);
            session.plannedEndMillis = nowMillis - age + duration;
            if (portal.add(session)) {
                added++;
            }
        }
    }

    private Portal newPortal(int index, SplittableRandom random) {
        String id = SessionIds.randomUuid(random);
        String prefix = "arn:aws:workspaces-web:" + settings.region() + ":" + settings.accountId() + ":";
        String name = PORTAL_NAMES[index % PORTAL_NAMES.length]
                + (index >= PORTAL_NAMES.length ? " " + (index / PORTAL_NAMES.length + 1) : "") + " portal";
        String endpoint = String.format("%010x", random.nextLong(1L << 40)) + ".workspaces-web.com";
        long created = startedAtMillis - Duration.ofDays(30 + random.nextInt(700)).toMillis()
                - random.nextLong(Duration.ofDays(1).toMillis());
        // Room for the steady state (rate × mean duration) or the initial load, whichever is larger, plus 50 %.
        double expected = Math.max(settings.initialActiveSessions(),
                settings.arrivalsPerMinute() * durations.meanMinutes());
        int maxConcurrent = (int) Math.min(5000, Math.max(25, Math.ceil(expected * 1.5 / 25) * 25));
        return new Portal(index, id, prefix + "portal/" + id, name, endpoint, Instant.ofEpochMilli(created),
                "AppStream", "Chrome", "Active", index % 3 == 2 ? "IAM_Identity_Center" : "Standard",
                INSTANCE_TYPES[index % INSTANCE_TYPES.length], maxConcurrent,
                prefix + "browserSettings/" + SessionIds.randomUuid(random),
                index % 3 == 0 ? prefix + "dataProtectionSettings/" + SessionIds.randomUuid(random) : null,
                prefix + "userSettings/" + SessionIds.randomUuid(random),
                index % 2 == 0 ? prefix + "networkSettings/" + SessionIds.randomUuid(random) : null,
                index % 4 == 1 ? prefix + "sessionLogger/" + SessionIds.randomUuid(random) : null,
                index % 3 == 1 ? prefix + "trustStore/" + SessionIds.randomUuid(random) : null,
                index % 2 == 1 ? prefix + "userAccessLoggingSettings/" + SessionIds.randomUuid(random) : null,
                index % 2 == 0 ? prefix + "ipAccessSettings/" + SessionIds.randomUuid(random) : null);
    }

    private List<Session> singleSession(PortalState portal, SessionFilter filter, Cursor after) {
        Session session = find(portal, filter.sessionId());
        if (session == null
                || filter.status() == SessionRecord.Status.Active && !session.active()
                || filter.status() == SessionRecord.Status.Terminated && session.active()
                || filter.username() != null && !filter.username().equals(users.name(session.user))) {
            return List.of();
        }
        if (after != null) {
            int c = Session.ORDER.compare(session, Session.probe(after.hi(), after.lo()));
            if (filter.descending() ? c >= 0 : c <= 0) {
                return List.of();
            }
        }
        return List.of(session);
    }

    private static List<Session> merge(List<Iterator<Session>> iterators, Comparator<Session> order, int limit) {
        List<Session> out = new ArrayList<>(Math.min(limit, 1024));
        Session[] heads = new Session[iterators.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = iterators.get(i).hasNext() ? iterators.get(i).next() : null;
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
            heads[best] = iterators.get(best).hasNext() ? iterators.get(best).next() : null;
        }
        return out;
    }

    private SessionRecord record(PortalState portal, Session session) {
        return new SessionRecord(portal.portal.id(), session.id(), users.name(session.user),
                session.active() ? SessionRecord.Status.Active : SessionRecord.Status.Terminated,
                Instant.ofEpochMilli(session.startMillis()),
                session.active() ? null : Instant.ofEpochMilli(session.endMillis),
                List.of(users.addresses(session)));
    }

    private static Session find(PortalState portal, String sessionId) {
        long[] id = SessionIds.parse(sessionId);
        return id == null ? null : portal.find(id[0], id[1]);
    }

    private PortalState portal(String portalId) {
        Integer index = portalIndexById.get(portalId);
        if (index == null) {
            throw new IllegalArgumentException("no portal " + portalId);
        }
        return portals.get(index);
    }

    private static Session session(PortalState portal, String sessionId) {
        Session session = find(portal, sessionId);
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
