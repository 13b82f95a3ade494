package dev.workspacesweb.exporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The agent as a real child process ({@code run --config}) of this build's classes, and what tests ask of it. */
public final class AgentProcess {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Base credentials and region of an agent that talks to a simulator. */
    public static final Map<String, String> TEST_AWS = Map.of(
            "AWS_ACCESS_KEY_ID", "AKIDTEST", "AWS_SECRET_ACCESS_KEY", "test-secret", "AWS_REGION", "us-east-1");

    private AgentProcess() {}

    /**
     * Writes {@code dir/config.yaml} for a child agent that polls the simulator at {@code endpoint} every
     * {@code interval} (no client-side rate limit, two attempts) and keeps its state in {@code state}.
     */
    public static Path writeConfig(Path dir, int port, URI endpoint, Path state, String interval) throws IOException {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                server: { host: 127.0.0.1, port: %d }
                source: aws
                aws:
                  regions: [us-east-1]
                  endpoint: "%s"
                  max_requests_per_second: 0
                  max_attempts: 2
                poll: { interval: %s, overlap: 2m }
                state: { path: "%s" }
                """.formatted(port, endpoint, interval, state));
        return config;
    }

    /** Starts {@code Main run --config config}, stdout and stderr to {@code log}, with {@code env} added. */
    public static Process start(Path config, Path log, Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", classpath, "dev.workspacesweb.exporter.cli.Main", "run",
                "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** GET on the agent's loopback port, or null when it does not answer (yet). */
    public static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Whether {@code /-/ready} answers 200. */
    public static boolean ready(int port) {
        HttpResponse<String> res = get(port, "/-/ready");
        return res != null && res.statusCode() == 200;
    }

    /** Whether the state file holds at least {@code portals} portals, each with a successful poll begun after {@code after}. */
    public static boolean savedAfter(Path state, Instant after, int portals) {
        try {
            JsonNode all = JSON.readTree(Files.readAllBytes(state)).get("portals");
            if (all == null || all.size() < portals) {
                return false;
            }
            for (JsonNode p : all) {
                JsonNode last = p.get("lastSuccess");
                if (last == null || last.isNull() || !Instant.parse(last.asText()).isAfter(after)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
