package dev.workspacesweb.exporter.bench;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.lang.management.ManagementFactory;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The target of the load benchmark (issue 6): the real agent on the system clock, polling every
 * {@code interval_seconds}, against the simulator in a separate JVM (like the real API, it does not share the
 * agent's CPU scheduling) holding 20k active sessions of {@code users} users on {@code ips} client IPs in one portal (caps raised so every
 * user and IP is a series: users x 2 + ips session series), with 1% churn per interval so the polls keep doing work
 * while {@code wrk} scrapes. Prints heap and poll progress every 5 s.
 * Arguments: {@code port [interval_seconds [users [ips]]]} (defaults 5, 5000, 5000).
 */
public final class LoadTarget {
    private LoadTarget() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Duration interval = Duration.ofSeconds(Long.parseLong(args.length > 1 ? args[1] : "5"));
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        int ips = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
        RemoteSimulator sim = new RemoteSimulator(1, 20_000, 0, users, ips, Instant.now(), "1g");
        AgentConfig c = BenchAgent.config(sim.endpoint(), 32, 20_000);
        AgentConfig.Poll p = c.poll();
        c = TestConfigs.withPoll(c, new AgentConfig.Poll(interval, p.ipRefreshInterval(), p.overlap(), p.discoveryInterval(), p.staleAfter()));
        c = withServer(c, new AgentConfig.Server("127.0.0.1", port));
        AgentRuntime agent = BenchAgent.start(c, InstantSource.system());
        AtomicLong polls = new AtomicLong();
        AtomicLong maxPollMillis = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        // The agent's own cadence (PollScheduler's timer) plus the simulator's churn and clock, one interval apart.
        timer.scheduleAtFixedRate(() -> {
            try {
                sim.churn(0.01, 3, interval);
                long t0 = System.nanoTime();
                agent.scheduler().pollOnce();
                maxPollMillis.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                polls.incrementAndGet();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        System.out.println("load target on http://127.0.0.1:" + agent.port() + "/metrics");
        while (true) {
            Thread.sleep(5000);
            var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.out.printf(Locale.ROOT, "stats polls=%d max_poll_ms=%d heap_used_mb=%.0f heap_committed_mb=%.0f%n",
                    polls.get(), maxPollMillis.getAndSet(0), heap.getUsed() / 1e6, heap.getCommitted() / 1e6);
        }
    }

    /**
     * {@code c} listening on {@code server}, every other section kept. Through the record's components rather than
     * its constructor: scripts/bench.sh compiles this file into older revisions too (e.g. 23cf44b, whose
     * {@code AgentConfig} has fewer sections), so it may only name API that every compared revision has.
     */
    static AgentConfig withServer(AgentConfig c, AgentConfig.Server server) throws ReflectiveOperationException {
        RecordComponent[] components = AgentConfig.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = types[i] == AgentConfig.Server.class ? server : components[i].getAccessor().invoke(c);
        }
        return AgentConfig.class.getDeclaredConstructor(types).newInstance(values);
    }
}
