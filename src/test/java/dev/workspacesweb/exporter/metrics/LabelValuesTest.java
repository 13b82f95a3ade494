package dev.workspacesweb.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.config.AgentConfig;
import org.junit.jupiter.api.Test;

class LabelValuesTest {
    private static LabelValues.Shaper shaper(AgentConfig.UsernameMode u, AgentConfig.ClientIpMode ip, String key) {
        return new LabelValues(new AgentConfig.Labels(u, ip, key)).shaper();
    }

    @Test
    void plainLeavesValuesAlone() {
        var s = shaper(AgentConfig.UsernameMode.PLAIN, AgentConfig.ClientIpMode.PLAIN, "");
        assertThat(s.username("ana@example.com")).isEqualTo("ana@example.com");
        assertThat(s.clientIp("198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void hashIsKeyedStableAndDoesNotRevealTheValue() {
        var a = shaper(AgentConfig.UsernameMode.HASH, AgentConfig.ClientIpMode.HASH, "key-one");
        var b = shaper(AgentConfig.UsernameMode.HASH, AgentConfig.ClientIpMode.HASH, "key-one");
        var other = shaper(AgentConfig.UsernameMode.HASH, AgentConfig.ClientIpMode.HASH, "key-two");
        String h = a.username("ana@example.com");
        assertThat(h).hasSize(16).matches("[0-9a-f]+").doesNotContain("ana");
        assertThat(b.username("ana@example.com")).isEqualTo(h);
        assertThat(other.username("ana@example.com")).isNotEqualTo(h);
        assertThat(a.username("bob@example.com")).isNotEqualTo(h);
    }

    @Test
    void prefixAggregatesIpv4To24AndIpv6To48() {
        assertThat(LabelValues.prefix("198.51.100.7")).isEqualTo("198.51.100.0/24");
        assertThat(LabelValues.prefix("2001:db8:1:2::1")).isEqualTo("2001:db8:1::/48");
        assertThat(LabelValues.prefix("2001:db8::1a")).isEqualTo("2001:db8:0::/48");
    }

    @Test
    void prefixNeverResolvesNamesAndKeepsGarbageAsIs() {
        assertThat(LabelValues.prefix("example.com")).isEqualTo("example.com");
        assertThat(LabelValues.prefix("not an ip")).isEqualTo("not an ip");
        assertThat(LabelValues.prefix("")).isEqualTo("");
    }
}
