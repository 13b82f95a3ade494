package dev.workspacesweb.exporter.metrics;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.geo.GeoIp;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.workspacesweb.exporter.model.SessionAccounting;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The session metrics, read from the {@link SnapshotStore} (the one place polls publish to): each published view's
 * data points are built once ({@link RenderedPortal}, memoized per view), and a scrape only strings the prebuilt
 * points of every portal together, or sends their bytes ({@link #encoded()}). The counters and the duration histogram
 * are the view's accounting, which the poller advanced exactly once per event and the state file holds: a restored
 * state shows them from start-up, the same as the landing page does.
 */
public final class SessionMetrics implements MultiCollector {
    static final String ACTIVE_SESSIONS = "workspaces_web_active_sessions";
    static final String ACTIVE_USERS = "workspaces_web_active_users";
    static final String USER_ACTIVE_SESSIONS = "workspaces_web_user_active_sessions";
    static final String USER_CLIENT_IPS = "workspaces_web_user_client_ips";
    static final String ACTIVE_CLIENT_IPS = "workspaces_web_active_client_ips";
    static final String CLIENT_IP_ACTIVE_SESSIONS = "workspaces_web_client_ip_active_sessions";
    static final String OLDEST_AGE = "workspaces_web_oldest_active_session_age_seconds";
    static final String MAX_CONCURRENT = "workspaces_web_portal_max_concurrent_sessions";
    static final String PORTAL_INFO = "workspaces_web_portal_info";
    static final String PORTAL_UP = "workspaces_web_portal_up";
    static final String LAST_SUCCESS = "workspaces_web_last_successful_poll_timestamp_seconds";
    static final String SERIES_DROPPED = "workspaces_web_series_dropped";

    private static final List<Family> FAMILIES = List.of(
            new Family(ACTIVE_SESSIONS, "Active sessions of the portal (ListSessions status=Active), as of the last poll."),
            new Family(ACTIVE_USERS, "Distinct usernames with at least one active session, as of the last poll."),
            new Family(USER_ACTIVE_SESSIONS, "Active sessions per username (ListSessions), as of the last poll; "
                    + "users beyond limits.max_users_per_portal are folded into username=\"__other__\"."),
            new Family(USER_CLIENT_IPS, "Distinct client IPs of each user's active sessions (GetSession clientIpAddresses), as of "
                    + "the last poll; the same users as workspaces_web_user_active_sessions, the folded ones together in \"__other__\"."),
            new Family(ACTIVE_CLIENT_IPS, "Distinct client IP addresses of active sessions (GetSession clientIpAddresses), as of the last poll."),
            new Family(CLIENT_IP_ACTIVE_SESSIONS, "Active sessions per client IP (GetSession clientIpAddresses), as of the last poll; "
                    + "IPs beyond limits.max_client_ips_per_portal are folded into client_ip=\"__other__\"."),
            new Family(OLDEST_AGE, "Age of the oldest active session at the last poll, in seconds."),
            new Family(MAX_CONCURRENT, "The portal's maxConcurrentSessions (ListPortals), when known."),
            new Family(PORTAL_INFO, "Portal details from ListPortals, with the portal's AWS account and region; always 1."),
            new Family(PORTAL_UP, "1 if the last poll of the portal succeeded, else 0."),
            new Family(LAST_SUCCESS, "Unix time of the start of the last successful poll of the portal."),
            new Family(SERIES_DROPPED, "Per-user, per-IP or per-network series folded into \"__other__\" by the limits, as of the last poll."),
            new Family(GeoSeries.COUNTRY_ACTIVE_SESSIONS, GeoSeries.COUNTRY_HELP),
            new Family(GeoSeries.ASN_ACTIVE_SESSIONS, GeoSeries.ASN_HELP),
            new Family(GeoSeries.USER_COUNTRIES, GeoSeries.USER_COUNTRIES_HELP));

    static final String STARTED = "workspaces_web_sessions_started_total";
    static final String ENDED = "workspaces_web_sessions_ended_total";
    static final String DURATION = "workspaces_web_session_duration_seconds";
    private static final String STARTED_BASE = "workspaces_web_sessions_started";
    private static final String ENDED_BASE = "workspaces_web_sessions_ended";
    private static final String STARTED_HELP = "Sessions that started after the portal's first successful poll, each counted "
            + "once (ListSessions), including sessions that started and ended between two polls.";
    private static final String ENDED_HELP = "Sessions whose end the agent observed (GetSession endTime, or ListSessions "
            + "status=Terminated for sessions shorter than a poll), each counted once.";
    private static final String DURATION_HELP = "Duration (endTime - startTime from the API) of each session whose end "
            + "the agent observed, observed once.";

    private static final List<String> NAMES = java.util.stream.Stream.concat(
            FAMILIES.stream().map(Family::name),
            java.util.stream.Stream.of(STARTED, ENDED, DURATION, GeoSeries.DATABASE_BUILD)).toList();
    /**
     * Every name a registry's name filter may ask about for the families {@link #encoded()} holds (the per-portal
     * ones; the counters also by their base name). The GeoIP database's build info is not per portal: it is rendered
     * live.
     */
    private static final Set<String> FILTER_NAMES = Set.copyOf(java.util.stream.Stream.concat(
            FAMILIES.stream().map(Family::name),
            java.util.stream.Stream.of(STARTED, ENDED, DURATION, STARTED_BASE, ENDED_BASE)).toList());

    private record Family(String name, String help) {}

    private final InstantSource clock;
    private final Duration staleAfter;
    private final AgentConfig.Limits limits;
    private final LabelValues labelValues;
    private final boolean nativeHistograms;
    /** The GeoIP families, or null when no GeoIP database is configured. */
    private final GeoSeries geo;
    private final SnapshotStore store;
    /** The data points of each portal's published view, memoized per view (a new view is built anew). */
    private final Map<String, RenderedPortal> rendered = new ConcurrentHashMap<>();
    private volatile Built built;
    /** The same families as exposition bytes, encoded once per publication; what {@code /metrics} sends. */
    private final EncodedSessions encoded = new EncodedSessions();

    /**
     * The snapshots of every family, built once and reused by the scrapes until a poll changes the data or a portal's
     * session data turns stale: building them (client_java sorts and checks the labels of every data point) was
     * most of what a scrape cost beyond serializing at 20k series (BENCHMARKS.md, "Scrape cost").
     *
     * @param names     per snapshot, the name the scrape's name filter is asked about
     * @param builtAt   the clock's now when built; the snapshots hold for [builtAt, validUntil)
     * @param validUntil the earliest instant at which a portal shown as fresh turns stale
     */
    private record Built(long version, Instant builtAt, Instant validUntil, List<String> names, List<MetricSnapshot> snapshots) {}

    public SessionMetrics(AgentConfig config, InstantSource clock, SnapshotStore store) {
        this(config, clock, store, null, 0);
    }

    /**
     * @param store            the published views this shows
     * @param geoIp            the GeoIP databases, or null for none: then there are no GeoIP families
     * @param maxAsnsPerPortal per-network series per portal ({@code limits.max_asns_per_portal}); the rest is folded
     */
    public SessionMetrics(AgentConfig config, InstantSource clock, SnapshotStore store, GeoIp geoIp, int maxAsnsPerPortal) {
        this.store = store;
        this.geo = geoIp == null ? null : new GeoSeries(geoIp, maxAsnsPerPortal);
        this.clock = clock;
        Duration stale = config.poll().staleAfter();
        this.staleAfter = stale == null || stale.isZero() ? config.poll().interval().multipliedBy(3) : stale;
        this.limits = config.limits();
        this.labelValues = new LabelValues(config.labels());
        this.nativeHistograms = config.metrics().nativeHistograms();
    }

    /** Registers the collector. */
    public SessionMetrics register(PrometheusRegistry registry) {
        registry.register(this);
        return this;
    }

    /**
     * The data points of every portal's published view, each built once per view. A view a reload's new collector
     * has not seen yet is built with its settings (limits, label modes) on first use.
     */
    private Map<String, RenderedPortal> renderedPortals() {
        Collection<PortalView> views = store.views();
        Map<String, RenderedPortal> current = new HashMap<>(views.size() * 2);
        for (PortalView view : views) {
            current.put(view.portalId(), renderedOf(view));
        }
        if (rendered.size() > current.size()) {
            rendered.keySet().retainAll(current.keySet());
        }
        return current;
    }

    /** The view's data points, built once per view. */
    private RenderedPortal renderedOf(PortalView view) {
        RenderedPortal r = rendered.get(view.portalId());
        if (r == null || r.view() != view) {
            r = render(view);
            rendered.put(view.portalId(), r);
        }
        return r;
    }

    /**
     * Builds a newly published view's data points and encodes its bytes now, on the publishing poll's thread, so that
     * the scrapes after it only assemble the portals' bytes by copying. A scrape that comes first (between the store's
     * publication and this call) does the same work itself, once; this call then finds it done.
     */
    public void published(PortalView view) {
        if (store.view(view.portalId()).orElse(null) == view) { // not already replaced by a newer poll's
            encoded.prepare(view.portalId(), renderedOf(view));
        }
    }

    /**
     * The session families of every portal as exposition bytes, valid for a scrape now: encoded when each view was
     * published, so a scrape copies them. They show what {@link #collect()} shows.
     */
    public EncodedScrape encoded() {
        // Read before the views: a poll that lands meanwhile leaves a newer version, so the next scrape assembles again.
        long current = store.version();
        return encoded.current(clock.instant(), current, this::renderedPortals);
    }

    /**
     * {@link #encoded()} when it has nothing to build (the bytes held are valid now), else null: the caller may then
     * call {@link #encoded()} on a thread of its choice (a scrape's render thread, see {@code http.RenderThreads}).
     */
    public EncodedScrape encodedIfBuilt() {
        return encoded.currentIfValid(clock.instant(), store.version());
    }

    /** Whether a family, by any name the registry's name filter sees it under, is one of these (and so in {@link #encoded()}). */
    public static boolean isSessionFamily(String prometheusName) {
        return FILTER_NAMES.contains(prometheusName);
    }

    /** Heap held by the encoded bytes (per-portal chunks and the assembled scrape, all formats, plain and gzipped). */
    public long encodedBytes() {
        return encoded.retainedBytes();
    }

    /** One portal's families shown whatever the age of its data, each holding that portal's points only. */
    private static List<MetricSnapshot> alwaysShownFamilies(RenderedPortal p) {
        List<MetricSnapshot> families = new ArrayList<>(FAMILIES.size() + 3);
        for (Family family : FAMILIES) {
            List<GaugeDataPointSnapshot> points = p.alwaysShown().get(family.name());
            if (points != null) {
                families.add(gauge(family, points));
            }
        }
        if (p.started() != null) {
            families.add(started(List.of(p.started())));
        }
        if (p.ended() != null) {
            families.add(ended(List.of(p.ended())));
        }
        if (p.duration() != null) {
            families.add(duration(List.of(p.duration())));
        }
        return families;
    }

    /** One portal's session data families (hidden once stale), each holding that portal's points only. */
    private static List<MetricSnapshot> sessionDataFamilies(RenderedPortal p) {
        List<MetricSnapshot> families = new ArrayList<>(FAMILIES.size());
        for (Family family : FAMILIES) {
            List<GaugeDataPointSnapshot> points = p.sessionData().get(family.name());
            if (points != null && !p.alwaysShown().containsKey(family.name())) {
                families.add(gauge(family, points));
            }
        }
        return families;
    }

    private static GaugeSnapshot gauge(Family family, List<GaugeDataPointSnapshot> points) {
        return new GaugeSnapshot(new MetricMetadata(family.name(), family.help()), points);
    }

    private static CounterSnapshot started(List<CounterDataPointSnapshot> points) {
        return new CounterSnapshot(new MetricMetadata(STARTED_BASE, STARTED_HELP), points);
    }

    private static CounterSnapshot ended(List<CounterDataPointSnapshot> points) {
        return new CounterSnapshot(new MetricMetadata(ENDED_BASE, ENDED_HELP), points);
    }

    private static HistogramSnapshot duration(List<HistogramDataPointSnapshot> points) {
        return new HistogramSnapshot(new MetricMetadata(DURATION, DURATION_HELP), points);
    }

    /** Everything a scrape needs of one portal, built once per poll. */
    private record RenderedPortal(PortalView view, Map<String, List<GaugeDataPointSnapshot>> alwaysShown,
            Map<String, List<GaugeDataPointSnapshot>> sessionData, Instant sessionDataUntil,
            CounterDataPointSnapshot started, CounterDataPointSnapshot ended, HistogramDataPointSnapshot duration)
            implements EncodedSessions.Source {
        @Override
        public List<MetricSnapshot> alwaysShownFamilies() {
            return SessionMetrics.alwaysShownFamilies(this);
        }

        @Override
        public List<MetricSnapshot> sessionDataFamilies() {
            return SessionMetrics.sessionDataFamilies(this);
        }
    }

    private RenderedPortal render(PortalView view) {
        if (geo != null) {
            geo.refresh();
        }
        PortalInfo info = view.portal();
        String id = info.portalId();
        Map<String, List<GaugeDataPointSnapshot>> always = new HashMap<>();
        if (!view.polled()) {
            // Not polled yet: only what a restored state holds, its counters; no health or sessions to show yet.
            return withCounters(view, always, Map.of(), Instant.MIN);
        }
        always.put(PORTAL_UP, List.of(point(view.up() ? 1 : 0, Labels.of("portal_id", id))));
        always.put(PORTAL_INFO, List.of(point(1, Labels.of(
                "portal_id", id, "portal_arn", info.portalArn(), "display_name", info.displayName(),
                "portal_status", info.portalStatus(), "instance_type", info.instanceType(),
                "account_id", info.accountId(), "region", info.region()))));
        if (info.maxConcurrentSessions() != null) {
            always.put(MAX_CONCURRENT, List.of(point(info.maxConcurrentSessions(), Labels.of("portal_id", id))));
        }
        if (view.lastSuccess() != null) {
            always.put(LAST_SUCCESS, List.of(point(view.lastSuccess().toEpochMilli() / 1000.0, Labels.of("portal_id", id))));
        }
        PortalSnapshot snap = view.lastGood();
        if (snap == null) {
            return withCounters(view, always, Map.of(), Instant.MIN);
        }
        Labels portal = Labels.of("portal_id", id);
        Map<String, List<GaugeDataPointSnapshot>> data = new HashMap<>();
        data.put(ACTIVE_SESSIONS, List.of(point(snap.activeSessions(), portal)));
        data.put(ACTIVE_USERS, List.of(point(snap.activeUsers(), portal)));
        data.put(ACTIVE_CLIENT_IPS, List.of(point(snap.activeClientIps(), portal)));
        double oldest = snap.oldestStart() == null ? 0
                : Math.max(0, snap.ageOf(snap.oldestStart()).toMillis() / 1000.0);
        data.put(OLDEST_AGE, List.of(point(oldest, portal)));
        LabelValues.Shaper shaper = labelValues.shaper();
        List<GaugeDataPointSnapshot> dropped = new ArrayList<>(2);
        if (!labelValues.usernamesDropped()) {
            Map<String, Integer> perUser = snap.sessionsPerUser();
            if (shaperChangesUsers()) {
                perUser = new HashMap<>();
                for (Map.Entry<String, Integer> e : snap.sessionsPerUser().entrySet()) {
                    perUser.merge(shaper.username(e.getKey()), e.getValue(), Integer::sum);
                }
            }
            SeriesCap.Capped capped = SeriesCap.cap(perUser, limits.maxUsersPerPortal());
            data.put(USER_ACTIVE_SESSIONS, points(id, "username", capped));
            data.put(USER_CLIENT_IPS, userClientIps(id, snap, capped, shaper));
            dropped.add(point(capped.folded(), Labels.of("portal_id", id, "metric", USER_ACTIVE_SESSIONS)));
            if (geo != null) {
                geo.userCountries(id, snap, capped.series(), userSeries(capped, shaper), data);
            }
        }
        if (geo != null) {
            geo.portalSeries(id, snap, data, dropped);
        }
        if (!labelValues.clientIpsDropped()) {
            Map<String, Integer> perIp = snap.sessionsPerIp();
            if (shaperChangesIps()) {
                // Shaped per session: a session with two addresses in one /24 holds one session on that /24.
                perIp = new HashMap<>();
                for (SessionSnapshot s : snap.sessions()) {
                    Set<String> shaped = new HashSet<>();
                    for (String ip : s.clientIps()) {
                        shaped.add(shaper.clientIp(ip));
                    }
                    for (String v : shaped) {
                        perIp.merge(v, 1, Integer::sum);
                    }
                }
            }
            SeriesCap.Capped capped = SeriesCap.cap(perIp, limits.maxClientIpsPerPortal());
            data.put(CLIENT_IP_ACTIVE_SESSIONS, points(id, "client_ip", capped));
            dropped.add(point(capped.folded(), Labels.of("portal_id", id, "metric", CLIENT_IP_ACTIVE_SESSIONS)));
        }
        if (!dropped.isEmpty()) {
            data.put(SERIES_DROPPED, dropped);
        }
        return withCounters(view, always, data, sessionDataUntil(view, snap));
    }

    /** The portal's data points: the given gauges, and its counters and histogram when it has an accounting. */
    private RenderedPortal withCounters(PortalView view, Map<String, List<GaugeDataPointSnapshot>> always,
            Map<String, List<GaugeDataPointSnapshot>> data, Instant dataUntil) {
        SessionAccounting acc = view.accounting();
        CounterDataPointSnapshot startedPoint = null;
        CounterDataPointSnapshot endedPoint = null;
        HistogramDataPointSnapshot durationPoint = null;
        if (acc != null) {
            Labels portalLabels = Labels.of("portal_id", view.portalId());
            startedPoint = new CounterDataPointSnapshot(acc.started(), portalLabels, null, 0);
            endedPoint = new CounterDataPointSnapshot(acc.ended(), portalLabels, null, 0);
            durationPoint = histogramPoint(acc, portalLabels);
        }
        return new RenderedPortal(view, always, data, dataUntil, startedPoint, endedPoint, durationPoint);
    }

    /**
     * Until when a portal's session data is shown: for as long as its polls succeed (a slow poll in progress keeps the
     * last data; the poll-age metric shows the delay), and for {@code poll.stale_after} after the last good poll once
     * they fail, so a broken portal's numbers do not pass for current ones.
     */
    private Instant sessionDataUntil(PortalView view, PortalSnapshot snap) {
        return view.up() || !view.polled() ? Instant.MAX : snap.polledAt().plus(staleAfter);
    }

    private HistogramDataPointSnapshot histogramPoint(SessionAccounting acc, Labels labels) {
        double[] bounds = new double[acc.upperBounds().length + 1];
        System.arraycopy(acc.upperBounds(), 0, bounds, 0, acc.upperBounds().length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        ClassicHistogramBuckets classic = ClassicHistogramBuckets.of(bounds, acc.bucketCounts());
        if (!nativeHistograms) {
            return new HistogramDataPointSnapshot(classic, acc.durationSum(), labels, Exemplars.EMPTY, 0);
        }
        int[] indexes = new int[acc.nativeCounts().size()];
        long[] counts = new long[indexes.length];
        int i = 0;
        for (Map.Entry<Integer, Long> e : acc.nativeCounts().entrySet()) {
            indexes[i] = e.getKey();
            counts[i++] = e.getValue();
        }
        return new HistogramDataPointSnapshot(classic, SessionAccounting.NATIVE_SCHEMA, acc.zeroCount(), 0.0,
                NativeHistogramBuckets.of(indexes, counts), NativeHistogramBuckets.EMPTY, acc.durationSum(), labels,
                Exemplars.EMPTY, 0);
    }

    /** The user series a session counts in: its (shaped) user's, or {@code __other__} for a folded user. */
    private java.util.function.Function<SessionSnapshot, String> userSeries(SeriesCap.Capped capped,
            LabelValues.Shaper shaper) {
        Set<String> kept = new HashSet<>();
        for (Map.Entry<String, Integer> e : capped.series()) {
            kept.add(e.getKey());
        }
        boolean folding = capped.folded() > 0;
        return s -> {
            String user = shaperChangesUsers() ? shaper.username(s.username()) : s.username();
            return folding && !kept.contains(user) ? SeriesCap.OTHER : user;
        };
    }

    /**
     * Distinct client IPs per user, for the users that have their own series; the folded users' IPs are counted
     * together under {@code __other__}. Distinct raw addresses, whatever {@code labels.client_ip} says.
     */
    private List<GaugeDataPointSnapshot> userClientIps(String portalId, PortalSnapshot snap, SeriesCap.Capped capped,
            LabelValues.Shaper shaper) {
        Set<String> kept = new HashSet<>();
        for (Map.Entry<String, Integer> e : capped.series()) {
            kept.add(e.getKey());
        }
        boolean folding = capped.folded() > 0;
        Map<String, Set<String>> ipsByUser = new HashMap<>();
        for (SessionSnapshot s : snap.sessions()) {
            String user = shaperChangesUsers() ? shaper.username(s.username()) : s.username();
            String series = folding && !kept.contains(user) ? SeriesCap.OTHER : user;
            ipsByUser.computeIfAbsent(series, k -> new HashSet<>()).addAll(s.clientIps());
        }
        List<GaugeDataPointSnapshot> points = new ArrayList<>(ipsByUser.size());
        for (Map.Entry<String, Integer> e : capped.series()) {
            Set<String> ips = ipsByUser.getOrDefault(e.getKey(), Set.of());
            points.add(point(ips.size(), Labels.of("portal_id", portalId, "username", e.getKey())));
        }
        return points;
    }

    private boolean shaperChangesUsers() {
        return labelValues.config().username() != AgentConfig.UsernameMode.PLAIN;
    }

    private boolean shaperChangesIps() {
        return labelValues.config().clientIp() != AgentConfig.ClientIpMode.PLAIN;
    }

    private static List<GaugeDataPointSnapshot> points(String portalId, String label, SeriesCap.Capped capped) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>(capped.series().size());
        for (Map.Entry<String, Integer> e : capped.series()) {
            points.add(point(e.getValue(), Labels.of("portal_id", portalId, label, e.getKey())));
        }
        return points;
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return new GaugeDataPointSnapshot(value, labels, null);
    }

    @Override
    public MetricSnapshots collect() {
        return collect(name -> true);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames) {
        if (NAMES.stream().noneMatch(includedNames)) {
            // A scrape that takes these families from encoded(): nothing to build.
            return new MetricSnapshots(List.of());
        }
        Instant now = clock.instant();
        Built b = built;
        if (b == null || b.version() != store.version() || now.isBefore(b.builtAt()) || !now.isBefore(b.validUntil())) {
            b = build(now);
            built = b;
        }
        List<MetricSnapshot> included = new ArrayList<>(b.snapshots().size());
        for (int i = 0; i < b.snapshots().size(); i++) {
            if (includedNames.test(b.names().get(i))) {
                included.add(b.snapshots().get(i));
            }
        }
        return new MetricSnapshots(included);
    }

    private Built build(Instant now) {
        // Read before the views: a poll that lands while building leaves an older version, so the next scrape
        // builds again.
        long builtVersion = store.version();
        List<RenderedPortal> current = List.copyOf(renderedPortals().values());
        Instant validUntil = Instant.MAX;
        for (RenderedPortal p : current) {
            if (now.isBefore(p.sessionDataUntil()) && p.sessionDataUntil().isBefore(validUntil)) {
                validUntil = p.sessionDataUntil();
            }
        }
        List<String> names = new ArrayList<>(FAMILIES.size() + 3);
        List<MetricSnapshot> snapshots = new ArrayList<>(FAMILIES.size() + 3);
        for (Family family : FAMILIES) {
            List<GaugeDataPointSnapshot> points = new ArrayList<>();
            for (RenderedPortal p : current) {
                List<GaugeDataPointSnapshot> always = p.alwaysShown().get(family.name());
                if (always != null) {
                    points.addAll(always);
                } else if (now.isBefore(p.sessionDataUntil())) {
                    // A portal whose last good poll is older than poll.stale_after shows no session data at all.
                    List<GaugeDataPointSnapshot> data = p.sessionData().get(family.name());
                    if (data != null) {
                        points.addAll(data);
                    }
                }
            }
            if (!points.isEmpty()) {
                names.add(family.name());
                snapshots.add(gauge(family, points));
            }
        }
        if (geo != null) {
            List<GaugeDataPointSnapshot> buildTimes = geo.buildTimes();
            if (!buildTimes.isEmpty()) {
                names.add(GeoSeries.DATABASE_BUILD);
                snapshots.add(new GaugeSnapshot(new MetricMetadata(GeoSeries.DATABASE_BUILD, GeoSeries.DATABASE_BUILD_HELP),
                        buildTimes));
            }
        }
        List<CounterDataPointSnapshot> started = current.stream().map(RenderedPortal::started).filter(Objects::nonNull).toList();
        if (!started.isEmpty()) {
            names.add(STARTED);
            snapshots.add(started(started));
        }
        List<CounterDataPointSnapshot> ended = current.stream().map(RenderedPortal::ended).filter(Objects::nonNull).toList();
        if (!ended.isEmpty()) {
            names.add(ENDED);
            snapshots.add(ended(ended));
        }
        List<HistogramDataPointSnapshot> durations = current.stream().map(RenderedPortal::duration).filter(Objects::nonNull).toList();
        if (!durations.isEmpty()) {
            names.add(DURATION);
            snapshots.add(duration(durations));
        }
        return new Built(builtVersion, now, validUntil, List.copyOf(names), List.copyOf(snapshots));
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }
}
