package dev.workspacesweb.exporter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts {@link SimulatorProcess} in a child JVM (same class path and java) and drives it over its stdin. */
final class RemoteSimulator implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final int port;
    private final List<String> portalIds;

    /** Per portal after a churn: active sessions and how many were started (= ended) by it. */
    record Churn(int[] active, int[] churned) {
        int totalActive() {
            return Arrays.stream(active).sum();
        }

        int totalChurned() {
            return Arrays.stream(churned).sum();
        }
    }

    RemoteSimulator(int portals, int active, int history, int users, int ips, Instant t0, String heap) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), SimulatorProcess.class.getName(),
                String.valueOf(portals), String.valueOf(active), String.valueOf(history), String.valueOf(users),
                String.valueOf(ips), String.valueOf(t0.getEpochSecond())));
        process = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target", "bench-simulator.log").toFile()))
                .start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String[] ready = answer("ready").split(" ");
        port = Integer.parseInt(ready[0]);
        portalIds = List.of(ready[1].split(","));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    List<String> portalIds() {
        return portalIds;
    }

    long pid() {
        return process.pid();
    }

    Churn churn(double fraction, int shortLived, Duration advance) throws IOException {
        in.println("churn " + fraction + " " + shortLived + " " + advance.toSeconds());
        String[] portals = answer("ok").split(",");
        int[] active = new int[portals.length];
        int[] churned = new int[portals.length];
        for (int i = 0; i < portals.length; i++) {
            String[] parts = portals[i].split(":");
            active[i] = Integer.parseInt(parts[0]);
            churned[i] = Integer.parseInt(parts[1]);
        }
        return new Churn(active, churned);
    }

    /** API requests so far per operation, and "errors" (any non-200 outcome). */
    Map<String, Long> counts() throws IOException {
        in.println("counts");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String kv : answer("counts").split(" ")) {
            String[] parts = kv.split("=");
            counts.put(parts[0], Long.parseLong(parts[1]));
        }
        return counts;
    }

    private String answer(String kind) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("@@" + kind)) {
                return line.substring(kind.length() + 2).trim();
            }
            if (line.startsWith("@@error")) {
                throw new IllegalStateException(line);
            }
        }
        throw new IOException("simulator process ended (see target/bench-simulator.log)");
    }

    @Override
    public void close() throws Exception {
        in.println("quit");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
        }
    }
}
