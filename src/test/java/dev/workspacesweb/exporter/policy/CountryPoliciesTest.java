package dev.workspacesweb.exporter.policy;

import static dev.workspacesweb.exporter.testing.GeoFixture.COUNTRY;
import static dev.workspacesweb.exporter.testing.GeoFixture.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.simulator.PortalTruth;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.Truth;
import dev.workspacesweb.exporter.testing.GeoFixture;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The country policies (deny_countries, allow_countries) of an agent on its simulator, against the ground truth. */
class CountryPoliciesTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void countryPoliciesDecideOncePerSessionAgainstTheGroundTruth() throws InterruptedException {
        ManualClock clock = new ManualClock(T0);
        List<AgentConfig.Policy> policies = List.of(
                new AgentConfig.Policy("no-sweden", null, null, null, List.of("SE"), null, true),
                new AgentConfig.Policy("europe-only", null, null, null, null, List.of("GB", "DE", "SE"), false));
        AgentConfig config;
        try {
            config = new GeoFixture(dir).config(TestConfigs.defaults().labels(), policies);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try (AgentRuntime agent = AgentRuntime.start(config, AgentRuntime.Options.forTests(clock))) {
            Truth before = agent.simulator().workload().truth();
            agent.scheduler().pollOnce();
            agent.awaitPolicies();
            // A second poll: nothing is decided twice.
            agent.scheduler().pollOnce();
            agent.awaitPolicies();
            Truth after = agent.simulator().workload().truth();

            List<String> swedish = new ArrayList<>();
            List<String> outside = new ArrayList<>();
            for (PortalTruth portal : before.portals()) {
                for (SessionRecord s : portal.activeSessions()) {
                    List<String> countries = s.clientIpAddresses().stream().map(ip -> lookup(COUNTRY, ip)).toList();
                    if (countries.contains("SE")) {
                        swedish.add(s.sessionId());
                    }
                    if (countries.stream().anyMatch(c -> !Set.of("GB", "DE", "SE").contains(c))) {
                        outside.add(s.sessionId()); // unknown is outside the list too
                    }
                }
            }
            assertThat(swedish).isNotEmpty();
            assertThat(outside).isNotEmpty();
            Samples samples = Samples.of(agent.registry());
            assertThat(samples.value("workspaces_web_policy_actions_total", "policy", "no-sweden", "outcome", "would_expire"))
                    .contains((double) swedish.size());
            assertThat(samples.value("workspaces_web_policy_actions_total", "policy", "europe-only", "outcome", "expired"))
                    .contains((double) outside.size());
            // Expired in the simulator: ended, and the dry-run policy's Swedish sessions that are inside the list live on.
            Set<String> endedNow = new HashSet<>();
            after.portals().forEach(p -> p.endedSessions().forEach(s -> endedNow.add(s.sessionId())));
            assertThat(endedNow).containsAll(outside);
            Set<String> activeNow = new HashSet<>();
            after.portals().forEach(p -> p.activeSessions().forEach(s -> activeNow.add(s.sessionId())));
            swedish.stream().filter(id -> !outside.contains(id)).forEach(id -> assertThat(activeNow).contains(id));
        }
    }
}
