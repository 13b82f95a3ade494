package dev.workspacesweb.exporter.testing;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.Cidr;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GeoIP databases written by MaxMind's writer for networks chosen here, the simulator drawing its client IPs from
 * the same networks, and the expected answers computed from this table (not by the agent's reader).
 */
public final class GeoFixture {
    public static final Instant BUILT = Instant.parse("2026-11-20T00:00:00Z");
    public static final int MAX_ASNS = 5;
    private static final int CAP_NETWORKS = 12;

    /** Network -> country in the country database; "unknown" networks are in neither database. */
    public static final Map<String, String> COUNTRY = new LinkedHashMap<>();
    /** Network -> ASN in the ASN database. */
    public static final Map<String, Long> ASN = new LinkedHashMap<>();
    public static final Map<Long, String> ORG = new HashMap<>();

    static {
        COUNTRY.put("81.2.69.0/24", "GB");
        ASN.put("81.2.69.0/24", 20712L);
        COUNTRY.put("89.160.20.0/24", "SE");
        ASN.put("89.160.20.0/24", 29518L);
        COUNTRY.put("2003::/19", "DE");
        ASN.put("2003::/19", 3320L);
        COUNTRY.put("91.0.0.0/16", "DE");
        ASN.put("91.0.0.0/16", 3320L);
        COUNTRY.put("203.0.113.0/24", "unknown");
        // Small networks of one country, each its own autonomous system: more than limits.max_asns_per_portal.
        for (int i = 0; i < CAP_NETWORKS; i++) {
            COUNTRY.put("100.64." + i + ".0/24", "US");
            ASN.put("100.64." + i + ".0/24", 64500L + i);
        }
        ORG.put(20712L, "Andrews & Arnold Ltd");
        ORG.put(29518L, "Bredband2 AB");
        ORG.put(3320L, "Deutsche Telekom AG");
        for (int i = 0; i < CAP_NETWORKS; i++) {
            ORG.put(64500L + i, "Network \"" + i + "\"");
        }
    }

    public final Path countryDb;
    public final Path asnDb;

    /** Writes both databases into {@code dir}. */
    public GeoFixture(Path dir) throws Exception {
        countryDb = dir.resolve("GeoLite2-Country.mmdb");
        asnDb = dir.resolve("GeoLite2-ASN.mmdb");
        writeCountries(COUNTRY, BUILT);
        MmdbWriter asns = MmdbWriter.ofType("GeoLite2-ASN").builtAt(BUILT.plusSeconds(3600));
        ASN.forEach((net, asn) -> asns.asn(net, asn, ORG.get(asn)));
        asns.writeTo(asnDb);
    }

    /** (Re)writes the country database, as geoipupdate does: a new file renamed over the old one. */
    public void writeCountries(Map<String, String> countries, Instant built) throws Exception {
        MmdbWriter w = MmdbWriter.ofType("GeoLite2-Country").builtAt(built);
        countries.forEach((net, cc) -> {
            if (!cc.equals("unknown")) {
                w.country(net, cc);
            }
        });
        w.writeTo(countryDb);
    }

    /** The defaults with both databases, the simulator's clients from the fixture's networks, and these settings. */
    public AgentConfig config(AgentConfig.Labels labels, List<AgentConfig.Policy> policies) {
        AgentConfig d = TestConfigs.withSimulator(TestConfigs.defaults(),
                SimulatorSettings.defaults().withClientNetworks(List.copyOf(COUNTRY.keySet())));
        return new AgentConfig(d.server(), d.web(), d.source(), d.aws(), d.poll(), new AgentConfig.Limits(1000, 1000, MAX_ASNS),
                labels, d.metrics(), d.state(), d.otlp(), d.admin(), policies, d.shard(), d.simulator(), d.log(),
                new AgentConfig.Geoip(countryDb.toString(), asnDb.toString()));
    }

    /** The value of the first network of {@code table} that holds {@code ip}, or "unknown". */
    public static String lookup(Map<String, ?> table, String ip) {
        for (Map.Entry<String, ?> e : table.entrySet()) {
            if (Cidr.parse(e.getKey()).contains(ip)) {
                return String.valueOf(e.getValue());
            }
        }
        return "unknown";
    }

    /** The expected series of a per-session family for one portal, from the truth: label value -> sessions. */
    public static Map<String, Double> expectedPerSession(PortalTruth truth, Map<String, ?> table) {
        Map<String, Double> out = new HashMap<>();
        for (SessionRecord s : truth.activeSessions()) {
            Set<String> values = new HashSet<>();
            s.clientIpAddresses().forEach(ip -> values.add(lookup(table, ip)));
            values.forEach(v -> out.merge(v, 1.0, Double::sum));
        }
        return out;
    }
}
