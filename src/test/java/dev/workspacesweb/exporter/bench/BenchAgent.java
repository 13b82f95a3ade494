package dev.workspacesweb.exporter.bench;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** The agent as the benchmarks run it: the documented defaults, pointed at a simulator in another JVM. */
final class BenchAgent {
    private BenchAgent() {}

    /**
     * @param maxConcurrency GetSession calls in flight per portal
     * @param capSeries      the per-user and per-IP series caps per portal
     */
    static AgentConfig config(URI simulator, int maxConcurrency, int capSeries) {
        AgentConfig c = TestConfigs.defaults();
        AgentConfig.Aws aws = new AgentConfig.Aws(List.of("us-east-1"), simulator.toString(), List.of(),
                0 /* no rate limit */, maxConcurrency, 100, c.aws().apiCallTimeout(), c.aws().apiCallAttemptTimeout(),
                c.aws().maxAttempts(), "", "");
        return new AgentConfig(c.server(), c.web(), AgentConfig.Source.AWS, aws, c.poll(),
                new AgentConfig.Limits(capSeries, capSeries), c.labels(), c.metrics(), c.state(), c.otlp(), c.admin(),
                c.policies(), c.shard(), c.simulator(), c.log(), c.geoip());
    }

    static AgentRuntime start(AgentConfig config, InstantSource clock) {
        // No timer: the benchmark drives every cycle with pollOnce(); retries without back-off, as in the tests.
        return AgentRuntime.start(config, new AgentRuntime.Options(clock, false,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench-secret")),
                BackoffStrategy.retryImmediately(), true));
    }
}
