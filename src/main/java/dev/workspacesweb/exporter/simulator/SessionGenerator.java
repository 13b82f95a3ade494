package dev.workspacesweb.exporter.simulator;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Draws synthetic sessions: Poisson arrivals, durations from the {@link DurationModel}, a user from the population
 * and 1..n of that user's addresses. Each draw consumes the given random stream in a fixed order, which is what
 * makes a portal's arrivals a pure function of the seed. Used under the {@link Workload}'s lock.
 */
final class SessionGenerator {

    /** Share of sessions with a single client IP. */
    private static final double SINGLE_IP_SHARE = 0.7;

    private final DurationModel durations;
    private final UserDirectory users;
    private final int population;
    private final double arrivalsPerMinute;
    private final double meanInterArrivalMillis;
    private final long startedAtMillis;

    SessionGenerator(SimulatorSettings settings, UserDirectory users, long startedAtMillis) {
        this.durations = new DurationModel(settings.medianSessionDuration(), settings.durationSigma());
        this.users = users;
        this.population = users.size();
        this.arrivalsPerMinute = settings.arrivalsPerMinute();
        this.meanInterArrivalMillis = arrivalsPerMinute > 0 ? 60_000.0 / arrivalsPerMinute : 0;
        this.startedAtMillis = startedAtMillis;
    }

    /** Mean number of concurrently active sessions in the steady state (rate × mean duration). */
    double steadyStateActive() {
        return arrivalsPerMinute * durations.meanMinutes();
    }

    /** The first arrival after the start. */
    void scheduleFirstArrival(PortalState portal) {
        portal.nextArrivalMillis = startedAtMillis + interArrivalMillis(portal.arrivals);
    }

    /** Adds every arrival up to the given time, each with its planned end. */
    void arrivalsUpTo(PortalState portal, long upTo) {
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

    /**
     * Terminated sessions that ended before the start, spread over the window the arrival rate would have needed
     * to produce them (at least an hour).
     */
    void preloadHistory(PortalState portal, int count) {
        long span = arrivalsPerMinute > 0
                ? Math.max(Duration.ofHours(1).toMillis(), (long) (count / arrivalsPerMinute * 60_000))
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

    /** Active sessions that started before {@code nowMillis}, each at an age within its duration. */
    void preloadActive(PortalState portal, int count, long nowMillis) {
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

    private long interArrivalMillis(SplittableRandom random) {
        return Math.max(1, Math.round(random.nextExponential() * meanInterArrivalMillis));
    }

    private Session newSession(SplittableRandom random, long startMillis) {
        int user = random.nextInt(population);
        int maxIps = users.poolSize();
        int ipCount = maxIps <= 1 || random.nextDouble() < SINGLE_IP_SHARE ? 1 : 2 + random.nextInt(maxIps - 1);
        int ipOffset = random.nextInt(maxIps);
        return new Session(SessionIds.hi(startMillis, random.nextLong()), SessionIds.lo(random.nextLong()), user,
                ipCount, ipOffset);
    }
}
