package dev.workspacesweb.exporter.bench;

import dev.workspacesweb.exporter.simulator.SessionRecord;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.simulator.Workload;
import dev.workspacesweb.exporter.testing.ManualClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator in its own JVM, so that the agent's JVM measures only the agent (process CPU, heap). A fully
 * scripted workload on a manual clock, driven line by line over stdin by {@link RemoteSimulator}; answers are the
 * stdout lines starting with {@code @@} (everything else, e.g. logging, is ignored by the driver).
 *
 * <p>Arguments: {@code portals active history users ips startEpochSecond}; active and history are totals spread
 * evenly over the portals. Active sessions are started through the hook (no planned end), so the only churn is the
 * scripted one: {@code churn FRACTION SHORT_LIVED ADVANCE_SECONDS} ends the oldest FRACTION of each portal's active
 * sessions, starts as many new ones, adds SHORT_LIVED sessions per portal that start and end inside the interval,
 * and moves the clock on. {@code counts} prints the API requests so far; {@code quit} stops.
 */
public final class SimulatorProcess {
    private SimulatorProcess() {}

    public static void main(String[] args) throws Exception {
        int portals = Integer.parseInt(args[0]);
        int active = Integer.parseInt(args[1]);
        int history = Integer.parseInt(args[2]);
        int users = Integer.parseInt(args[3]);
        int ips = Integer.parseInt(args[4]);
        Instant t0 = Instant.ofEpochSecond(Long.parseLong(args[5]));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // only the protocol goes to stdout

        ManualClock clock = new ManualClock(t0);
        SimulatorSettings settings = new SimulatorSettings(7, 0, "us-east-1", "123456789012", portals, Math.max(1, users),
                0.0, Duration.ofMinutes(20), 1.0, 0, 0, 2, 20, 100, SimulatorSettings.Faults.none());
        try (SimulatorServer sim = SimulatorServer.start(settings, clock, "127.0.0.1", 0)) {
            Workload workload = sim.workload();
            List<String> ids = sim.portalIds();
            List<ArrayDeque<String>> activeIds = new ArrayList<>();
            long serial = 0;
            for (int p = 0; p < portals; p++) {
                workload.preload(ids.get(p), 0, share(history, portals, p));
                ArrayDeque<String> mine = new ArrayDeque<>();
                int n = share(active, portals, p);
                for (int i = 0; i < n; i++, serial++) {
                    // Started within the hour before t0, oldest first, so that the deque's head is the oldest.
                    Instant start = t0.minusMillis(3_600_000L).plusMillis((long) i * 3_600_000L / Math.max(1, n));
                    mine.add(workload.startSession(ids.get(p), user(serial, users), List.of(ip(serial, ips)), start).sessionId());
                }
                activeIds.add(mine);
            }
            out.println("@@ready " + sim.port() + " " + String.join(",", ids));

            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split("\\s+");
                switch (cmd[0]) {
                    case "churn" -> {
                        double fraction = Double.parseDouble(cmd[1]);
                        int shortLived = Integer.parseInt(cmd[2]);
                        Duration advance = Duration.ofSeconds(Long.parseLong(cmd[3]));
                        Instant cycleStart = clock.instant();
                        clock.advance(advance);
                        long millis = advance.toMillis();
                        StringBuilder perPortal = new StringBuilder();
                        for (int p = 0; p < portals; p++) {
                            ArrayDeque<String> mine = activeIds.get(p);
                            int n = (int) Math.round(mine.size() * fraction);
                            for (int i = 0; i < n; i++, serial++) {
                                Instant start = cycleStart.plusMillis(1 + (long) i * (millis / 3) / Math.max(1, n));
                                mine.add(workload.startSession(ids.get(p), user(serial, users), List.of(ip(serial, ips)), start).sessionId());
                            }
                            for (int i = 0; i < n; i++) {
                                workload.endSession(ids.get(p), mine.poll(), cycleStart.plusMillis(millis / 3 + i % 1000));
                            }
                            for (int i = 0; i < shortLived; i++, serial++) {
                                SessionRecord s = workload.startSession(ids.get(p), "brief" + i + "@example.com",
                                        List.of(ip(serial, ips)), cycleStart.plusMillis(millis / 2 + i));
                                workload.endSession(ids.get(p), s.sessionId(), cycleStart.plusMillis(millis * 3 / 4 + i));
                            }
                            perPortal.append(p == 0 ? "" : ",").append(mine.size()).append(':').append(n);
                        }
                        out.println("@@ok " + perPortal);
                    }
                    case "counts" -> {
                        Map<String, Long> total = new TreeMap<>();
                        long errors = 0;
                        for (var op : sim.requestCounts().entrySet()) {
                            for (var outcome : op.getValue().entrySet()) {
                                total.merge(op.getKey(), outcome.getValue(), Long::sum);
                                if (!outcome.getKey().equals("200")) {
                                    errors += outcome.getValue();
                                }
                            }
                        }
                        StringBuilder sb = new StringBuilder("@@counts errors=").append(errors);
                        total.forEach((op, n) -> sb.append(' ').append(op).append('=').append(n));
                        out.println(sb);
                    }
                    case "quit" -> {
                        out.println("@@bye");
                        return;
                    }
                    default -> out.println("@@error unknown command " + line);
                }
            }
        }
    }

    private static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    static String user(long serial, int users) {
        return "user" + (serial % Math.max(1, users)) + "@example.com";
    }

    /** Distinct IPv4 addresses 10.x.y.z for 0..ips-1. */
    static String ip(long serial, int ips) {
        long k = serial % Math.max(1, ips);
        return "10." + (k >> 16 & 255) + "." + (k >> 8 & 255) + "." + (k & 255);
    }
}
