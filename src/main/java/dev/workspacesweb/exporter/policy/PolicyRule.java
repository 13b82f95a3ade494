package dev.workspacesweb.exporter.policy;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.Cidr;
import dev.workspacesweb.exporter.geo.GeoIp;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rule of one policy: which sessions of a snapshot it wants expired, and why. */
sealed interface PolicyRule {

    /** A session the rule wants expired, with a reason for the log. */
    record Match(SessionSnapshot session, String reason) {}

    /**
     * @param snapshot  the portal's fresh snapshot (sessions ordered by start time, then id)
     * @param goingAway sessions already expired, or already decided on by this policy: they are on their way out
     *                  even if a lagging list still shows them, so a per-user limit does not count them
     */
    List<Match> matches(PortalSnapshot snapshot, Set<String> goingAway);

    /**
     * The one rule a configured policy holds.
     *
     * @param geo the GeoIP databases, or null when none is configured
     * @throws IllegalArgumentException for a country rule without a country database
     */
    static PolicyRule of(AgentConfig.Policy policy, GeoIp geo) {
        if (policy.denyCountries() != null || policy.allowCountries() != null) {
            if (geo == null || !geo.hasCountry()) {
                throw new IllegalArgumentException("policy '" + policy.name() + "': "
                        + (policy.denyCountries() != null ? "deny_countries" : "allow_countries")
                        + " needs geoip.country_database");
            }
            return policy.denyCountries() != null
                    ? new Countries(Set.copyOf(policy.denyCountries()), true, geo)
                    : new Countries(Set.copyOf(policy.allowCountries()), false, geo);
        }
        if (policy.maxSessionDuration() != null) {
            return new MaxDuration(policy.maxSessionDuration());
        }
        if (policy.denyClientCidrs() != null) {
            return new DenyCidrs(policy.denyClientCidrs());
        }
        if (policy.maxSessionsPerUser() != null) {
            return new MaxPerUser(policy.maxSessionsPerUser());
        }
        throw new IllegalArgumentException("policy '" + policy.name() + "' has no rule");
    }

    /** Sessions running longer than {@code max} at the time of the poll. */
    record MaxDuration(Duration max) implements PolicyRule {
        @Override
        public List<Match> matches(PortalSnapshot snapshot, Set<String> goingAway) {
            List<Match> out = new ArrayList<>();
            for (SessionSnapshot s : snapshot.sessions()) {
                Duration age = snapshot.ageOf(s.startTime());
                if (age.compareTo(max) > 0) {
                    out.add(new Match(s, "running " + age.withNanos(0) + " > " + max));
                }
            }
            return out;
        }
    }

    /** Sessions with a client IP in one of the networks. Sessions whose IPs are not fetched yet match nothing. */
    record DenyCidrs(List<Cidr> networks) implements PolicyRule {
        public DenyCidrs {
            networks = List.copyOf(networks);
        }

        @Override
        public List<Match> matches(PortalSnapshot snapshot, Set<String> goingAway) {
            List<Match> out = new ArrayList<>();
            for (SessionSnapshot s : snapshot.sessions()) {
                String hit = null;
                for (String ip : s.clientIps()) {
                    for (Cidr n : networks) {
                        if (n.contains(ip)) {
                            // The address itself is personal data: the audit log has it at debug only.
                            hit = "a client IP in " + n;
                            break;
                        }
                    }
                    if (hit != null) {
                        break;
                    }
                }
                if (hit != null) {
                    out.add(new Match(s, hit));
                }
            }
            return out;
        }
    }

    /**
     * {@code deny_countries} (listed = true): sessions with a client IP in one of the countries; {@code
     * allow_countries} (listed = false): sessions with a client IP outside them, an address the database does not
     * know included. Sessions whose IPs are not fetched yet match nothing. Each IP is located through the GeoIP memo.
     */
    record Countries(Set<String> countries, boolean deny, GeoIp geo) implements PolicyRule {
        public Countries {
            countries = Set.copyOf(countries);
        }

        @Override
        public List<Match> matches(PortalSnapshot snapshot, Set<String> goingAway) {
            List<Match> out = new ArrayList<>();
            for (SessionSnapshot s : snapshot.sessions()) {
                for (String ip : s.clientIps()) {
                    String country = geo.locate(ip).country();
                    if (countries.contains(country) == deny) {
                        // The address itself is personal data: the audit log has it at debug only.
                        out.add(new Match(s, "a client IP in " + country
                                + (deny ? ", a denied country" : ", outside the allowed countries")));
                        break;
                    }
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return (deny ? "deny_countries " : "allow_countries ") + countries.stream().sorted().toList();
        }
    }

    /**
     * Per user, the oldest sessions beyond {@code max}: the newest {@code max} are kept. Sessions without a username
     * belong to no user and are never matched.
     */
    record MaxPerUser(int max) implements PolicyRule {
        @Override
        public List<Match> matches(PortalSnapshot snapshot, Set<String> goingAway) {
            Map<String, List<SessionSnapshot>> byUser = new LinkedHashMap<>();
            for (SessionSnapshot s : snapshot.sessions()) {
                if (!s.username().isEmpty() && !goingAway.contains(s.sessionId())) {
                    byUser.computeIfAbsent(s.username(), u -> new ArrayList<>()).add(s);
                }
            }
            List<Match> out = new ArrayList<>();
            for (List<SessionSnapshot> sessions : byUser.values()) {
                int excess = sessions.size() - max;
                // The snapshot is ordered by start time, so the first ones are the oldest.
                for (int i = 0; i < excess; i++) {
                    out.add(new Match(sessions.get(i), "user has " + sessions.size() + " active sessions > " + max));
                }
            }
            return out;
        }
    }
}
