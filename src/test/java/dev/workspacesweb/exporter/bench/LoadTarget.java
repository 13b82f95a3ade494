package dev.workspacesweb.exporter.bench;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.simulator.Workload;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The target of the load benchmark (issue 6): the real agent on the system clock with its own poll timer, an
 * embedded scripted simulator holding 20k active sessions of 5k users on 5k client IPs in one portal (caps raised so
 * every user and IP is a series), and churn of 1% every poll interval so the polls keep doing work while
 * {@code wrk} scrapes. Prints heap and poll progress every 5 s. Arguments: {@code port interval_seconds}.
 */
public final class LoadTarget {
    private LoadTarget() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Duration interval = Duration.ofSeconds(Long.parseLong(args.length > 1 ? args[1] : "5"));
        int active = 20_000;
        int users = 5_000;
        AgentConfig c = TestConfigs.defaults();
        c = TestConfigs.withSimulator(c, new SimulatorSettings(11, 0, "us-east-1", "123456789012", 1, users, 0.0,
                Duration.ofMinutes(20), 1.0, 0, 0, 2, 20, 100, SimulatorSettings.Faults.none()));
        c = TestConfigs.withLimits(c, new AgentConfig.Limits(20_000, 20_000));
        AgentConfig.Poll p = c.poll();
        c = TestConfigs.withPoll(c, new AgentConfig.Poll(interval, p.ipRefreshInterval(), p.overlap(), p.discoveryInterval(), p.staleAfter()));
        c = TestConfigs.withAws(c, a -> new AgentConfig.Aws(a.regions(), a.endpoint(), a.portals(), 0, 32, 100,
                a.apiCallTimeout(), a.apiCallAttemptTimeout(), a.maxAttempts(), "", ""));
        c = new AgentConfig(new AgentConfig.Server("127.0.0.1", port), c.web(), c.source(), c.aws(), c.poll(), c.limits(),
                c.labels(), c.metrics(), c.state(), c.otlp(), c.admin(), c.policies(), c.shard(), c.simulator());
        AgentRuntime.Options production = AgentRuntime.Options.production();
        // The simulator needs its sessions before the first poll: start without the timer, load, then poll on time.
        AgentRuntime agent = AgentRuntime.start(c, new AgentRuntime.Options(InstantSource.system(), false,
                production.credentials(), production.backoff(), production.adaptiveRetries()));
        Workload workload = agent.simulator().workload();
        String portal = agent.simulator().portalIds().get(0);
        ArrayDeque<String> ids = new ArrayDeque<>();
        Instant now = Instant.now();
        long serial = 0;
        for (; serial < active; serial++) {
            ids.add(workload.startSession(portal, SimulatorProcess.user(serial, users), List.of(SimulatorProcess.ip(serial, users)),
                    now.minusSeconds(3600).plusMillis(serial)).sessionId());
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long[] polls = {0};
        timer.scheduleWithFixedDelay(() -> {
            agent.scheduler().pollOnce();
            polls[0]++;
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        long[] next = {serial};
        timer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < active / 100; i++, next[0]++) {
                workload.endSession(portal, ids.poll());
                ids.add(workload.startSession(portal, SimulatorProcess.user(next[0], users),
                        List.of(SimulatorProcess.ip(next[0], users))).sessionId());
            }
        }, interval.toMillis() / 2, interval.toMillis(), TimeUnit.MILLISECONDS);
        System.out.println("load target on http://127.0.0.1:" + agent.port() + "/metrics");
        while (true) {
            Thread.sleep(5000);
            var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.out.printf(Locale.ROOT, "stats polls=%d heap_used_mb=%.0f heap_committed_mb=%.0f%n", polls[0],
                    heap.getUsed() / 1e6, heap.getCommitted() / 1e6);
        }
    }
}
