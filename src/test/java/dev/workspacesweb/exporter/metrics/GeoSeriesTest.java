package dev.workspacesweb.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.Truth;
import static dev.workspacesweb.exporter.testing.GeoFixture.ASN;
import static dev.workspacesweb.exporter.testing.GeoFixture.BUILT;
import static dev.workspacesweb.exporter.testing.GeoFixture.COUNTRY;
import static dev.workspacesweb.exporter.testing.GeoFixture.MAX_ASNS;
import static dev.workspacesweb.exporter.testing.GeoFixture.ORG;
import static dev.workspacesweb.exporter.testing.GeoFixture.expectedPerSession;
import static dev.workspacesweb.exporter.testing.GeoFixture.lookup;

import dev.workspacesweb.exporter.testing.GeoFixture;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GeoIP families of an agent polling its simulator, with databases written by MaxMind's writer for networks
 * chosen by {@link GeoFixture}: every gauge against the simulator's ground truth, located with the fixture's table.
 */
class GeoSeriesTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @TempDir
    static Path dir;

    private static GeoFixture geo;

    @BeforeAll
    static void databases() throws Exception {
        geo = new GeoFixture(dir);
    }

    private static AgentConfig config(AgentConfig.Labels labels, List<AgentConfig.Policy> policies) {
        return geo.config(labels, policies);
    }

    private static AgentConfig.Labels plain() {
        return TestConfigs.defaults().labels();
    }

    @Test
    void countryNetworkAndUserCountryGaugesMatchTheGroundTruth() {
        ManualClock clock = new ManualClock(T0);
        try (AgentRuntime agent = AgentRuntime.start(config(plain(), List.of()), AgentRuntime.Options.forTests(clock))) {
            agent.scheduler().pollOnce();
            Truth truth = agent.simulator().workload().truth();
            Samples samples = Samples.of(agent.registry());
            boolean someUserInTwoCountries = false;
            boolean someUnknown = false;
            for (PortalTruth portal : truth.portals()) {
                String id = portal.portalId();
                Map<String, Double> countries = expectedPerSession(portal, COUNTRY);
                assertThat(samples.byLabel(GeoSeries.COUNTRY_ACTIVE_SESSIONS, "country", "portal_id", id))
                        .as("countries of %s", id).isEqualTo(countries);
                someUnknown |= countries.containsKey("unknown");

                // ASNs: the networks with the most sessions keep their series, the rest are folded and counted.
                Map<String, Double> asns = expectedPerSession(portal, ASN);
                Map<String, Double> shown = samples.byLabel(GeoSeries.ASN_ACTIVE_SESSIONS, "asn", "portal_id", id);
                assertThat(asns.size()).as("more networks than the cap").isGreaterThan(MAX_ASNS);
                Double other = shown.remove("__other__");
                assertThat(shown).hasSize(MAX_ASNS);
                shown.forEach((asn, sessions) -> assertThat(sessions).as("AS%s", asn).isEqualTo(asns.get(asn)));
                Map<String, Double> folded = new HashMap<>(asns);
                folded.keySet().removeAll(shown.keySet());
                assertThat(other).isEqualTo(folded.values().stream().mapToDouble(Double::doubleValue).sum());
                assertThat(shown.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow())
                        .isGreaterThanOrEqualTo(folded.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
                assertThat(samples.value(SessionMetrics.SERIES_DROPPED, "portal_id", id, "metric",
                        GeoSeries.ASN_ACTIVE_SESSIONS)).contains((double) folded.size());
                for (String asn : shown.keySet()) {
                    String org = asn.equals("unknown") ? "" : ORG.get(Long.parseLong(asn));
                    assertThat(samples.value(GeoSeries.ASN_ACTIVE_SESSIONS, "portal_id", id, "asn", asn, "as_org", org))
                            .as("as_org of AS%s", asn).isPresent();
                }

                // Per user: distinct known countries of the user's active sessions.
                Map<String, Set<String>> userCountries = new HashMap<>();
                for (SessionRecord s : portal.activeSessions()) {
                    Set<String> set = userCountries.computeIfAbsent(s.username(), u -> new HashSet<>());
                    s.clientIpAddresses().stream().map(ip -> lookup(COUNTRY, ip)).filter(c -> !c.equals("unknown"))
                            .forEach(set::add);
                }
                Map<String, Double> expectedUsers = new HashMap<>();
                userCountries.forEach((u, set) -> expectedUsers.put(u, (double) set.size()));
                assertThat(samples.byLabel(GeoSeries.USER_COUNTRIES, "username", "portal_id", id)).isEqualTo(expectedUsers);
                someUserInTwoCountries |= expectedUsers.values().stream().anyMatch(v -> v >= 2);
            }
            assertThat(someUnknown).as("the workload reaches an unknown address").isTrue();
            assertThat(someUserInTwoCountries).as("the workload has a user in two countries").isTrue();
            assertThat(samples.value(GeoSeries.DATABASE_BUILD, "database", "country"))
                    .contains((double) BUILT.getEpochSecond());
            assertThat(samples.value(GeoSeries.DATABASE_BUILD, "database", "asn"))
                    .contains((double) BUILT.plusSeconds(3600).getEpochSecond());
        }
    }

    @Test
    void theFamiliesStayWhenClientIpLabelsAreDroppedOrHashed() {
        for (AgentConfig.ClientIpMode mode : List.of(AgentConfig.ClientIpMode.DROP, AgentConfig.ClientIpMode.HASH)) {
            AgentConfig.Labels labels = new AgentConfig.Labels(AgentConfig.UsernameMode.PLAIN, mode, "key");
            try (AgentRuntime agent = AgentRuntime.start(config(labels, List.of()), AgentRuntime.Options.forTests(new ManualClock(T0)))) {
                agent.scheduler().pollOnce();
                PortalTruth portal = agent.simulator().workload().truth().portals().get(0);
                Samples samples = Samples.of(agent.registry());
                assertThat(samples.byLabel(GeoSeries.COUNTRY_ACTIVE_SESSIONS, "country", "portal_id", portal.portalId()))
                        .as(mode.toString()).isEqualTo(expectedPerSession(portal, COUNTRY));
                assertThat(samples.byLabel(GeoSeries.ASN_ACTIVE_SESSIONS, "asn", "portal_id", portal.portalId()))
                        .as(mode.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void aReplacedDatabaseIsUsedFromTheNextPollWithoutLosingCounts() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (AgentRuntime agent = AgentRuntime.start(config(plain(), List.of()), AgentRuntime.Options.forTests(clock))) {
            agent.scheduler().pollOnce();
            clock.advance(Duration.ofMinutes(5));
            agent.scheduler().pollOnce();
            // geoipupdate's way: the new file is renamed over the old one. GB's network moves to IE.
            Map<String, String> moved = new LinkedHashMap<>(COUNTRY);
            moved.put("81.2.69.0/24", "IE");
            Instant rebuilt = BUILT.plus(Duration.ofDays(7));
            geo.writeCountries(moved, rebuilt);
            clock.advance(Duration.ofMinutes(5));
            agent.scheduler().pollOnce();

            Truth truth = agent.simulator().workload().truth();
            Samples samples = Samples.of(agent.registry());
            for (PortalTruth portal : truth.portals()) {
                Map<String, Double> expected = expectedPerSession(portal, moved);
                assertThat(samples.byLabel(GeoSeries.COUNTRY_ACTIVE_SESSIONS, "country", "portal_id", portal.portalId()))
                        .isEqualTo(expected).doesNotContainKey("GB");
                // The session counters go on across the swap, exact.
                assertThat(samples.value(SessionMetrics.STARTED, "portal_id", portal.portalId()))
                        .contains((double) portal.sessionsStarted());
            }
            assertThat(truth.portals().stream().anyMatch(p -> expectedPerSession(p, moved).containsKey("IE"))).isTrue();
            assertThat(samples.value(GeoSeries.DATABASE_BUILD, "database", "country"))
                    .contains((double) rebuilt.getEpochSecond());
        }
    }
}
