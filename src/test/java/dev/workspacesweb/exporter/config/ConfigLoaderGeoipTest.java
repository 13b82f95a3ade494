package dev.workspacesweb.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GeoIP keys: geoip.*, limits.max_asns_per_portal, the country policies and simulator.client_networks. */
class ConfigLoaderGeoipTest {
    @TempDir
    Path dir;

    private AgentConfig load(String yaml, Map<String, String> env) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("config.yaml"), yaml), env);
    }

    @Test
    void defaultsHaveNoDatabaseTwoHundredNetworksAndTheDefaultClientNetworks() {
        AgentConfig d = ConfigLoader.defaults();
        assertThat(d.geoip()).isEqualTo(new AgentConfig.Geoip("", ""));
        assertThat(d.limits().maxAsnsPerPortal()).isEqualTo(200);
        // defaults.yaml and the simulator's own list are one list.
        assertThat(d.simulator().clientNetworks()).map(Cidr::toString).isEqualTo(SimulatorSettings.DEFAULT_CLIENT_NETWORKS);
        assertThat(SimulatorSettings.of(d.simulator()).clientNetworks()).isEqualTo(SimulatorSettings.DEFAULT_CLIENT_NETWORKS);
    }

    @Test
    void keysFromTheFileAndTheEnvironment() throws Exception {
        AgentConfig c = load("""
                geoip:
                  country_database: /var/lib/GeoIP/GeoLite2-Country.mmdb
                limits:
                  max_asns_per_portal: 50
                policies:
                  - name: no-sanctioned
                    deny_countries: [kp, IR]
                  - name: europe
                    allow_countries: [DE, FR]
                    dry_run: false
                simulator:
                  client_networks: [81.2.69.0/24, "2003::/19"]
                """, Map.of("GEOIP_ASN_DATABASE", "/var/lib/GeoIP/GeoLite2-ASN.mmdb"));
        assertThat(c.geoip()).isEqualTo(new AgentConfig.Geoip("/var/lib/GeoIP/GeoLite2-Country.mmdb",
                "/var/lib/GeoIP/GeoLite2-ASN.mmdb"));
        assertThat(c.limits().maxAsnsPerPortal()).isEqualTo(50);
        assertThat(c.policies()).containsExactly(
                new AgentConfig.Policy("no-sanctioned", null, null, null, List.of("KP", "IR"), null, true),
                new AgentConfig.Policy("europe", null, null, null, null, List.of("DE", "FR"), false));
        assertThat(c.simulator().clientNetworks()).map(Cidr::toString).containsExactly("81.2.69.0/24", "2003::/19");
    }

    @Test
    void mistakesNameKeyAndLine() {
        assertThatThrownBy(() -> load("""
                geoip:
                  country_database: /x.mmdb
                policies:
                  - name: p
                    deny_countries: [DE, Germany]
                """, Map.of())).isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("policies[0].deny_countries[1]");
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.getMessage()).contains("not an ISO 3166-1 alpha-2 country code: 'Germany'");
                });
        assertThatThrownBy(() -> load("""
                policies:
                  - name: p
                    allow_countries: [DE]
                """, Map.of())).isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("policies[0].allow_countries");
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("needs geoip.country_database");
                });
        assertThatThrownBy(() -> load("""
                geoip:
                  country_database: /x.mmdb
                policies:
                  - name: p
                    allow_countries: [DE]
                    deny_countries: [FR]
                """, Map.of())).hasMessageContaining("exactly one rule").hasMessageContaining("deny_countries and allow_countries");
        assertThatThrownBy(() -> load("simulator:\n  client_networks: [81.2.69.0/24, example.com/24]\n", Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).startsWith("simulator.client_networks");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("example.com");
                });
        // A network the simulator cannot draw GetSession-sized addresses from: refused when it starts, naming the key.
        assertThatThrownBy(() -> SimulatorSettings.of(ConfigLoader.load(java.nio.file.Files.writeString(
                dir.resolve("long.yaml"), "simulator:\n  client_networks: [\"2001:db8:1:2::/64\"]\n"), Map.of()).simulator()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("simulator.client_networks: '2001:db8:1:2::/64'").hasMessageContaining("15 characters");
        assertThatThrownBy(() -> load("limits:\n  max_asns_per_portal: -1\n", Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("limits.max_asns_per_portal"));
    }
}
