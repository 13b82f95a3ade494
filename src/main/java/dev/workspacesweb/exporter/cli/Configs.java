package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import java.util.List;

/** Small, explicit rewrites of a validated config (whole records are replaced, never mutated). */
final class Configs {
    private Configs() {}

    /** The same config with the AWS endpoint and region set, e.g. to the embedded simulator. */
    static AgentConfig pointedAt(AgentConfig c, String endpoint, String region) {
        AgentConfig.Aws a = c.aws();
        AgentConfig.Aws aws = new AgentConfig.Aws(List.of(region), endpoint, a.portals(), a.maxRequestsPerSecond(),
                a.maxConcurrency(), a.pageSize(), a.apiCallTimeout(), a.apiCallAttemptTimeout(), a.maxAttempts(), "", "");
        return new AgentConfig(c.server(), c.web(), c.source(), aws, c.poll(), c.limits(), c.labels(), c.metrics(),
                c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator(), c.log());
    }
}
