package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.testing.TestConfigs;
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
}
