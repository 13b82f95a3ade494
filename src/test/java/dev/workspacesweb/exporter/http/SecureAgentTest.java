package dev.workspacesweb.exporter.http;

import static dev.workspacesweb.exporter.http.SecureServers.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** The whole agent with {@code web.config_file} set: HTTPS and basic auth in front of real metrics. */
class SecureAgentTest {
    @TempDir
    Path dir;

    private static AgentConfig withWebConfig(Path file) {
        AgentConfig c = TestConfigs.defaults();
        return new AgentConfig(c.server(), new AgentConfig.Web(file.toString()), c.source(), c.aws(), c.poll(), c.limits(),
                c.labels(), c.metrics(), c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log(), c.geoip());
    }

    private static AgentRuntime start(AgentConfig config) {
        return AgentRuntime.start(config, AgentRuntime.Options.forTests(new ManualClock(Instant.parse("2026-11-25T08:00:00Z"))));
    }

    @Test
    void agentServesMetricsOverTlsBehindBasicAuth() throws Exception {
        SecureServers.copyFixtures(dir);
        String hash = BCrypt.withDefaults().hashToString(5, "scrape".toCharArray());
        Path file = SecureServers.write(dir, """
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                basic_auth_users:
                  prometheus: '%s'
                """.formatted(hash));
        try (AgentRuntime agent = start(withWebConfig(file))) {
            agent.scheduler().pollOnce();
            HttpClient client = SecureServers.tlsClient();
            String url = "https://127.0.0.1:" + agent.port() + "/metrics";
            assertThat(get(client, url).statusCode()).isEqualTo(401);
            String credentials = Base64.getEncoder().encodeToString("prometheus:scrape".getBytes(StandardCharsets.UTF_8));
            var metrics = get(client, url, "Authorization", "Basic " + credentials);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("workspaces_web_active_sessions");
            assertThat(get(client, "https://127.0.0.1:" + agent.port() + "/-/ready", "Authorization", "Basic " + credentials)
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void brokenWebConfigStopsTheStartWithItsKey() {
        Path file = SecureServers.write(dir, "tls_server_config:\n  cert_file: nowhere.crt\n  key_file: nowhere.key\n");
        assertThatThrownBy(() -> start(withWebConfig(file)))
                .isInstanceOf(WebConfigException.class)
                .hasMessageContaining("tls_server_config.cert_file (line 2)")
                .hasMessageContaining("no such file");
    }
}
