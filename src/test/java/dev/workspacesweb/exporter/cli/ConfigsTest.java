package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigsTest {
    @Test
    void theEmbeddedSimulatorIsPolledWithoutAClientSideRateLimit() {
        AgentConfig limited = TestConfigs.withAws(TestConfigs.defaults(), a -> new AgentConfig.Aws(a.regions(), a.endpoint(),
                a.portals(), 20, a.maxConcurrency(), a.pageSize(), a.apiCallTimeout(), a.apiCallAttemptTimeout(),
                a.maxAttempts(), a.roleArn(), a.externalId(), a.accounts()));
        AgentConfig pointed = Configs.pointedAt(limited, "http://127.0.0.1:4566", "eu-west-1");
        assertThat(pointed.aws().maxRequestsPerSecond()).isZero();
        assertThat(pointed.aws().endpoint()).isEqualTo("http://127.0.0.1:4566");
        assertThat(pointed.aws().regions()).isEqualTo(List.of("eu-west-1"));
        assertThat(pointed.aws().maxConcurrency()).isEqualTo(limited.aws().maxConcurrency());
    }

    @Test
    void rewritesKeepTheGeoIpDatabases() {
        AgentConfig.Geoip geoip = new AgentConfig.Geoip("/var/lib/GeoIP/GeoLite2-Country.mmdb", "/var/lib/GeoIP/GeoLite2-ASN.mmdb");
        AgentConfig withGeo = withGeoip(TestConfigs.defaults(), geoip);
        assertThat(Configs.pointedAt(withGeo, "http://127.0.0.1:4566", "eu-west-1").geoip()).isEqualTo(geoip);

        List<String> kept = new ArrayList<>();
        AgentConfig same = Configs.keepRestartOnly(withGeo, withGeo, kept);
        assertThat(same.geoip()).isEqualTo(geoip);
        assertThat(kept).isEmpty();
    }

    @Test
    void aReloadThatChangesTheGeoIpDatabasesKeepsTheRunningOnesAndSaysSo() {
        AgentConfig.Geoip running = new AgentConfig.Geoip("/var/lib/GeoIP/GeoLite2-Country.mmdb", "");
        AgentConfig.Geoip next = new AgentConfig.Geoip("/srv/geo/dbip-country-lite.mmdb", "/srv/geo/dbip-asn-lite.mmdb");
        List<String> kept = new ArrayList<>();
        AgentConfig applied = Configs.keepRestartOnly(withGeoip(TestConfigs.defaults(), running),
                withGeoip(TestConfigs.defaults(), next), kept);
        assertThat(applied.geoip()).isEqualTo(running);
        assertThat(kept).containsExactly("geoip");
    }

    private static AgentConfig withGeoip(AgentConfig c, AgentConfig.Geoip geoip) {
        return new AgentConfig(c.server(), c.web(), c.source(), c.aws(), c.poll(), c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log(), geoip);
    }
}
