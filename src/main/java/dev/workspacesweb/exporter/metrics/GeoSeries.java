package dev.workspacesweb.exporter.metrics;

import dev.workspacesweb.exporter.geo.GeoDatabase;
import dev.workspacesweb.exporter.geo.GeoIp;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The GeoIP families of one portal, built with its other gauges once per poll: every client IP is located through
 * {@link GeoIp}'s memo, never on the scrape path. Raw addresses are located, whatever {@code labels.client_ip} says,
 * so the families stay when per-IP labels are hashed or dropped.
 */
final class GeoSeries {
    static final String COUNTRY_ACTIVE_SESSIONS = "workspaces_web_country_active_sessions";
    static final String ASN_ACTIVE_SESSIONS = "workspaces_web_asn_active_sessions";
    static final String USER_COUNTRIES = "workspaces_web_user_countries";
    static final String DATABASE_BUILD = "workspaces_web_geoip_database_build_timestamp_seconds";

    static final String COUNTRY_HELP = "Active sessions per country (ISO 3166-1 alpha-2) of their client IPs, as of the "
            + "last poll; a session with IPs in two countries counts in both; country=\"unknown\" for addresses the "
            + "GeoIP database does not know.";
    static final String ASN_HELP = "Active sessions per autonomous system of their client IPs, as of the last poll; "
            + "asn=\"unknown\" for addresses the database does not know; networks beyond limits.max_asns_per_portal "
            + "are folded into asn=\"__other__\".";
    static final String USER_COUNTRIES_HELP = "Distinct countries of each user's active sessions (unknown addresses "
            + "are no country), as of the last poll; the same users as workspaces_web_user_active_sessions.";
    static final String DATABASE_BUILD_HELP = "Build time recorded in the loaded GeoIP database, Unix seconds.";

    private final GeoIp geo;
    private final int maxAsnsPerPortal;

    GeoSeries(GeoIp geo, int maxAsnsPerPortal) {
        this.geo = geo;
        this.maxAsnsPerPortal = maxAsnsPerPortal;
    }

    /** Before a poll's lookups: a database replaced on disk is used from this poll on. */
    void refresh() {
        geo.refresh();
    }

    /**
     * Adds the portal's country and ASN series to {@code data}, and the number of folded networks to {@code dropped}.
     */
    void portalSeries(String portalId, PortalSnapshot snap, Map<String, List<GaugeDataPointSnapshot>> data,
            List<GaugeDataPointSnapshot> dropped) {
        Map<String, Integer> perCountry = new HashMap<>();
        Map<String, Integer> perAsn = new HashMap<>();
        Map<String, String> orgOfAsn = new HashMap<>();
        for (SessionSnapshot s : snap.sessions()) {
            Set<String> countries = new HashSet<>();
            Set<String> asns = new HashSet<>();
            for (String ip : s.clientIps()) {
                GeoIp.Place place = geo.locate(ip);
                countries.add(place.country());
                asns.add(place.asn());
                orgOfAsn.putIfAbsent(place.asn(), place.asOrg());
            }
            countries.forEach(c -> perCountry.merge(c, 1, Integer::sum));
            asns.forEach(a -> perAsn.merge(a, 1, Integer::sum));
        }
        if (geo.hasCountry()) {
            List<GaugeDataPointSnapshot> points = new ArrayList<>(perCountry.size());
            perCountry.forEach((country, sessions) ->
                    points.add(point(sessions, Labels.of("portal_id", portalId, "country", country))));
            data.put(COUNTRY_ACTIVE_SESSIONS, points);
        }
        if (geo.hasAsn()) {
            SeriesCap.Capped capped = SeriesCap.cap(perAsn, maxAsnsPerPortal);
            List<GaugeDataPointSnapshot> points = new ArrayList<>(capped.series().size());
            for (Map.Entry<String, Integer> e : capped.series()) {
                points.add(point(e.getValue(), Labels.of("portal_id", portalId, "asn", e.getKey(),
                        "as_org", orgOfAsn.getOrDefault(e.getKey(), ""))));
            }
            data.put(ASN_ACTIVE_SESSIONS, points);
            dropped.add(point(capped.folded(), Labels.of("portal_id", portalId, "metric", ASN_ACTIVE_SESSIONS)));
        }
    }

    /**
     * Distinct countries per user series: {@code seriesOfSession} names the series a session belongs to (the
     * user's own, or {@code __other__} for folded users), {@code series} lists them all.
     */
    void userCountries(String portalId, PortalSnapshot snap, List<Map.Entry<String, Integer>> series,
            Function<SessionSnapshot, String> seriesOfSession, Map<String, List<GaugeDataPointSnapshot>> data) {
        if (!geo.hasCountry()) {
            return;
        }
        Map<String, Set<String>> countriesBySeries = new HashMap<>();
        for (SessionSnapshot s : snap.sessions()) {
            Set<String> countries = countriesBySeries.computeIfAbsent(seriesOfSession.apply(s), k -> new HashSet<>());
            for (String ip : s.clientIps()) {
                String country = geo.locate(ip).country();
                if (!country.equals(GeoIp.UNKNOWN)) {
                    countries.add(country);
                }
            }
        }
        List<GaugeDataPointSnapshot> points = new ArrayList<>(series.size());
        for (Map.Entry<String, Integer> e : series) {
            Set<String> countries = countriesBySeries.getOrDefault(e.getKey(), Set.of());
            points.add(point(countries.size(), Labels.of("portal_id", portalId, "username", e.getKey())));
        }
        data.put(USER_COUNTRIES, points);
    }

    /** One point per configured database. */
    List<GaugeDataPointSnapshot> buildTimes() {
        List<GaugeDataPointSnapshot> points = new ArrayList<>(2);
        for (GeoDatabase.Kind kind : GeoDatabase.Kind.values()) {
            geo.buildTime(kind).ifPresent(t -> points.add(point(t.toEpochMilli() / 1000.0,
                    Labels.of("database", kind.label()))));
        }
        return points;
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return new GaugeDataPointSnapshot(value, labels, null);
    }
}
