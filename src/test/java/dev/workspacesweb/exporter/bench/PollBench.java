package dev.workspacesweb.exporter.bench;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.testing.ManualClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * API efficiency (issue 8 §1), poll cost (§2) and memory (§4) of steady-state cycles, with the simulator in a
 * separate JVM ({@link SimulatorProcess}) so that this JVM's process CPU time and heap are the agent's own.
 *
 * <p>Each cycle: the simulator ends the oldest {@code churn} share of every portal's active sessions, starts as many
 * new ones and {@code short} short-lived ones per portal, and both clocks move one poll interval; then one
 * {@code pollOnce()}. The minimum number of API calls a cycle needs, per portal: the pages of the active listing,
 * one GetSession per new session (its IPs) and per ended one (its end time), one page of recently terminated
 * sessions (the short-lived ones fit one page), the IP refreshes (the poller's own spread: active x interval /
 * ip_refresh_interval per cycle, from the first cycle where the baseline's fetches become due), and ListPortals when
 * discovery is due. Measured calls come from the simulator's request counts.
 *
 * <p>Arguments (key=value): portals, active, history (totals), cycles, churn, short, concurrency, users, ips,
 * simheap.
 */
public final class PollBench {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private PollBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("portals", "20", "active", "100000", "history", "1000000",
                "cycles", "12", "churn", "0.01", "short", "3", "concurrency", "32", "users", "5000", "ips", "5000",
                "simheap", "3g"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        int portals = Integer.parseInt(a.get("portals"));
        int active = Integer.parseInt(a.get("active"));
        int history = Integer.parseInt(a.get("history"));
        int cycles = Integer.parseInt(a.get("cycles"));
        double churn = Double.parseDouble(a.get("churn"));
        int shortLived = Integer.parseInt(a.get("short"));
        System.out.printf(Locale.ROOT, "# PollBench portals=%d active=%d history=%d churn=%.3f short=%d concurrency=%s load=%s%n",
                portals, active, history, churn, shortLived, a.get("concurrency"), Stats.loadAverage());

        long setup = System.nanoTime();
        try (RemoteSimulator sim = new RemoteSimulator(portals, active, history, Integer.parseInt(a.get("users")),
                Integer.parseInt(a.get("ips")), T0, a.get("simheap"))) {
            System.out.printf(Locale.ROOT, "simulator ready in %.1f s (pid %d)%n", (System.nanoTime() - setup) / 1e9, sim.pid());
            ManualClock clock = new ManualClock(T0);
            AgentConfig config = BenchAgent.config(sim.endpoint(), Integer.parseInt(a.get("concurrency")), 1000);
            Duration interval = config.poll().interval();
            double refreshShare = (double) interval.toMillis() / config.poll().ipRefreshInterval().toMillis();
            long refreshFromCycle = config.poll().ipRefreshInterval().toMillis() / interval.toMillis();
            long discoveryEvery = config.poll().discoveryInterval().toMillis() / interval.toMillis();
            try (AgentRuntime agent = BenchAgent.start(config, clock)) {
                long heapIdle = heapAfterGc();
                Map<String, Long> before = sim.counts();
                long w0 = System.nanoTime();
                resetPeaks();
                long c0 = processCpu();
                check(agent.scheduler().pollOnce(), portals);
                System.out.printf(Locale.ROOT, "baseline cycle: wall %.0f ms, agent CPU %.0f ms, peak heap %.0f MB, calls %s%n",
                        (System.nanoTime() - w0) / 1e6, (processCpu() - c0) / 1e6, peakHeap() / 1e6, minus(sim.counts(), before));

                List<Double> walls = new ArrayList<>();
                List<Double> cpus = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                List<Long> callsNoRefresh = new ArrayList<>();
                List<Double> wallsRefresh = new ArrayList<>();
                List<Double> cpusRefresh = new ArrayList<>();
                List<Long> peaks = new ArrayList<>();
                long churned = 0;
                System.out.println("| cycle | calls | of which ListSessions / GetSession / ListPortals | minimum | ratio | wall ms | agent CPU ms | peak heap MB |");
                System.out.println("|---|---|---|---|---|---|---|---|");
                for (int k = 1; k <= cycles; k++) {
                    RemoteSimulator.Churn c = sim.churn(churn, shortLived, interval);
                    clock.advance(interval);
                    churned += c.totalChurned();
                    before = sim.counts();
                    resetPeaks();
                    w0 = System.nanoTime();
                    c0 = processCpu();
                    check(agent.scheduler().pollOnce(), portals);
                    double wall = (System.nanoTime() - w0) / 1e6;
                    double cpu = (processCpu() - c0) / 1e6;
                    long peak = peakHeap();
                    Map<String, Long> spent = minus(sim.counts(), before);
                    long calls = spent.getOrDefault("ListSessions", 0L) + spent.getOrDefault("GetSession", 0L)
                            + spent.getOrDefault("ListPortals", 0L);
                    long minimum = 0;
                    for (int p = 0; p < portals; p++) {
                        minimum += Math.max(1, (c.active()[p] + 99) / 100); // active listing pages
                        minimum += 2L * c.churned()[p];                       // first-seen + ended GetSessions
                        minimum += 1;                                        // recently terminated: one page
                        if (k >= refreshFromCycle) {
                            minimum += (long) Math.ceil(c.active()[p] * refreshShare);
                        }
                    }
                    if (k % discoveryEvery == 0) {
                        minimum += (portals + 99) / 100;
                    }
                    double ratio = (double) calls / minimum;
                    System.out.printf(Locale.ROOT, "| %d | %d | %d / %d / %d | %d | %.3f | %.0f | %.0f | %.0f |%n", k, calls,
                            spent.getOrDefault("ListSessions", 0L), spent.getOrDefault("GetSession", 0L),
                            spent.getOrDefault("ListPortals", 0L), minimum, ratio, wall, cpu, peak / 1e6);
                    if (spent.getOrDefault("errors", 0L) > 0) {
                        System.out.println("  !! simulator answered errors: " + spent);
                    }
                    ratios.add(ratio);
                    peaks.add(peak);
                    if (k >= refreshFromCycle) {
                        wallsRefresh.add(wall);
                        cpusRefresh.add(cpu);
                    } else if (k >= 2) { // cycle 1 still warms up the JIT
                        walls.add(wall);
                        cpus.add(cpu);
                        callsNoRefresh.add(calls);
                    }
                }
                long heapTracked = heapAfterGc();
                if (Boolean.parseBoolean(a.getOrDefault("histo", "false"))) {
                    printHistogram(30);
                }
                long tracked = agent.store().views().stream().mapToLong(v -> v.lastGood() == null ? 0 : v.lastGood().activeSessions()).sum();
                long endedCounted = agent.store().views().stream().map(PortalView::accounting).mapToLong(x -> x.ended()).sum();
                long expectedEnded = churned + (long) cycles * portals * shortLived;

                System.out.printf(Locale.ROOT, "%nSUMMARY portals=%d active=%d history=%d load=%s%n", portals, active, history, Stats.loadAverage());
                System.out.printf(Locale.ROOT, "calls/minimum: median %.3f, max %.3f over %d steady cycles%n",
                        Stats.median(ratios), Stats.max(ratios), ratios.size());
                System.out.printf(Locale.ROOT, "calls per steady cycle without IP refresh (cycles 2..%d): median %.0f%n",
                        refreshFromCycle - 1, Stats.median(callsNoRefresh));
                System.out.printf(Locale.ROOT, "cycle without IP refresh: wall median %.0f ms (min %.0f), agent CPU median %.0f ms%n",
                        Stats.median(walls), Stats.min(walls), Stats.median(cpus));
                if (!wallsRefresh.isEmpty()) {
                    System.out.printf(Locale.ROOT, "cycle with IP refresh share: wall median %.0f ms, agent CPU median %.0f ms%n",
                            Stats.median(wallsRefresh), Stats.median(cpusRefresh));
                }
                System.out.printf(Locale.ROOT, "heap after full GC: idle agent %.1f MB, tracking %d sessions %.1f MB -> %.0f bytes per session%n",
                        heapIdle / 1e6, tracked, heapTracked / 1e6, (double) (heapTracked - heapIdle) / Math.max(1, tracked));
                System.out.printf(Locale.ROOT, "peak heap during a cycle (sum of pool peaks): median %.0f MB, max %.0f MB%n",
                        Stats.median(peaks) / 1e6, Stats.max(peaks) / 1e6);
                System.out.printf(Locale.ROOT, "accounting: ended counted %d, scripted %d -> %s%n", endedCounted, expectedEnded,
                        endedCounted == expectedEnded ? "exact" : "MISMATCH");
            }
        }
    }

    private static void check(List<PortalCycle> cycles, int portals) {
        long up = cycles.stream().filter(c -> c.view().up()).count();
        if (up != portals) {
            throw new IllegalStateException("only " + up + " of " + portals + " portals polled fine: "
                    + cycles.stream().map(c -> c.view().lastError()).filter(e -> !e.isEmpty()).distinct().toList());
        }
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> diff = new LinkedHashMap<>();
        after.forEach((op, n) -> {
            long d = n - before.getOrDefault(op, 0L);
            if (d != 0) {
                diff.put(op, d);
            }
        });
        return diff;
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // let reference processing settle between the collections (measurement, not sync)
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The top classes of the live heap (the GC.class_histogram diagnostic command, in-process). */
    private static void printHistogram(int top) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        histogram.lines().limit(top + 3).forEach(l -> System.out.println("histo " + l));
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
