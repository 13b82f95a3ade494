package dev.workspacesweb.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.workspacesweb.exporter.config.AgentConfig.Shard;
import org.junit.jupiter.api.Test;

class ShardsTest {

    @Test
    void autoTakesTheTrailingOrdinalOfTheHostName() throws Exception {
        assertThat(Shards.resolve(new Shard(3, Shards.AUTO), "wwe-exporter-2")).isEqualTo(new Shard(3, 2));
        assertThat(Shards.resolve(new Shard(3, Shards.AUTO), "wwe-exporter-1.wwe.monitoring.svc.cluster.local"))
                .isEqualTo(new Shard(3, 1));
    }

    @Test
    void aConfiguredIndexIsKept() throws Exception {
        assertThat(Shards.resolve(new Shard(3, 1), "host-2")).isEqualTo(new Shard(3, 1));
    }

    @Test
    void autoFailsWithoutAnOrdinalOrBeyondTheCount() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> Shards.resolve(new Shard(3, Shards.AUTO), "laptop"))
                .satisfies(e -> assertThat(e.key()).isEqualTo("shard.index"));
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> Shards.resolve(new Shard(3, Shards.AUTO), "wwe-exporter-3"))
                .withMessageContaining("not less than shard.count (3)");
    }
}
