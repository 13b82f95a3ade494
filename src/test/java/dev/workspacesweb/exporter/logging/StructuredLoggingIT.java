package dev.workspacesweb.exporter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import dev.workspacesweb.exporter.config.AgentConfig.LogLevel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import dev.workspacesweb.exporter.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped fat jar run as a real process: whatever it writes to stderr, from start to SIGTERM, is one log event
 * per line in the chosen format, with {@code time}, {@code level} and {@code msg}; that holds for Helidon's, the AWS
 * SDK's and the JVM's lines too, through scrapes in all three exposition formats (protobuf included: its first use
 * made the JVM print raw {@code sun.misc.Unsafe} warnings) and a portal that fails. No username or client IP of the
 * simulator's ground truth appears at info or above.
 */
class StructuredLoggingIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");
    private static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    /** @param via where level and format are set: flag, file (log.level, log.format) or env (LOG_LEVEL, LOG_FORMAT) */
    @ParameterizedTest(name = "{0} at {1}, set by {2}")
    @CsvSource({"logfmt, info, flag", "json, info, file", "logfmt, debug, env", "json, debug, flag"})
    void everyLineOfARunningAgentIsOneEvent(String formatName, String levelName, String via) throws Exception {
        LogFormat format = LogFormat.valueOf(formatName.toUpperCase(Locale.ROOT));
        LogLevel level = LogLevel.valueOf(levelName.toUpperCase(Locale.ROOT));
        int port = Await.freePort();
        int simulatorPort = Await.freePort();
        String logSection = via.equals("file") ? "log:\n  level: %s\n  format: %s\n".formatted(levelName, formatName) : "";
        Path config = Files.writeString(dir.resolve("config.yaml"), logSection + """
                server:
                  host: 127.0.0.1
                  port: %d
                source: simulator
                poll:
                  interval: 1s
                policies:
                  - name: everywhere
                    deny_client_cidrs: [0.0.0.0/0, "::/0"]
                  - name: one-browser
                    max_sessions_per_user: 1
                simulator:
                  port: %d
                  portals: 3
                  initial_active_sessions: 15
                  history_sessions: 30
                  arrivals_per_minute: 60
                  faults:
                    access_denied_portals: [1]
                    internal_error_probability: 0.05
                    retry_after_seconds: 0
                """.formatted(port, simulatorPort));
        Path stderr = dir.resolve("stderr.log");
        List<String> args = new ArrayList<>(List.of("run", "--config", config.toString()));
        Map<String, String> env = new HashMap<>();
        if (via.equals("flag")) {
            args.addAll(List.of("--log.format", formatName, "--log.level", levelName));
            env.putAll(Map.of("LOG_FORMAT", format == LogFormat.JSON ? "logfmt" : "json", "LOG_LEVEL", "error")); // flags win
        } else if (via.equals("env")) {
            env.putAll(Map.of("LOG_FORMAT", formatName, "LOG_LEVEL", levelName));
        }
        Process agent = start(stderr, env, args.toArray(String[]::new));

        Await.until("the agent is ready", WAIT, () -> status(port, "/-/ready", TEXT) == 200);
        for (String accept : List.of(PROTOBUF, OPENMETRICS, TEXT, PROTOBUF)) {
            assertThat(status(port, "/metrics", accept)).as(accept).isEqualTo(200);
        }
        Await.until("the denied portal's failure is logged", WAIT, () -> events(format, stderr).stream()
                .anyMatch(e -> e.get("level").equals("warn") && e.get("msg").contains("poll failed")));
        Await.until("the dry-run policies' decisions are audited", WAIT, () -> events(format, stderr).stream()
                .anyMatch(e -> e.getOrDefault("logger", "").equals("audit") && e.get("msg").contains("result=would_expire")));
        JsonNode truth = json.readTree(get(simulatorPort, "/_simulator/truth?history=true"));

        agent.destroy(); // SIGTERM: the shutdown is logged too
        assertThat(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();

        List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
        List<Map<String, String>> events = new ArrayList<>();
        for (String line : lines) {
            Map<String, String> event = LogLines.parse(format, line);
            assertThat(event).as(line).containsKeys("time", "level", "msg");
            assertThat(Instant.parse(event.get("time"))).as(line).isNotNull();
            assertThat(LEVELS).as(line).contains(event.get("level"));
            assertThat(event.get("logger")).as("nothing printed straight to System.err: " + line).isNotEqualTo("stderr");
            events.add(event);
        }
        assertThat(events).as("Helidon's start-up lines").anyMatch(e -> e.getOrDefault("logger", "").startsWith("io.helidon"));
        assertThat(events).as("the agent's own").anyMatch(e -> e.get("msg").startsWith("serving metrics on"));
        if (level == LogLevel.DEBUG) {
            assertThat(events).as("debug events at --log.level=debug").anyMatch(e -> e.get("level").equals("debug"));
            assertThat(events).as("debug reaches the agent's own loggers only: the libraries' debug holds HTTP headers")
                    .filteredOn(e -> e.get("level").equals("debug"))
                    .allMatch(e -> e.getOrDefault("logger", "").startsWith("dev.workspacesweb.exporter.")
                            || e.getOrDefault("logger", "").equals("audit"));
        } else {
            assertThat(events).as("no debug events at info").noneMatch(e -> e.get("level").equals("debug"));
        }

        Set<String> personal = personalValues(truth);
        assertThat(personal).as("usernames and client IPs in the ground truth").hasSizeGreaterThan(20);
        if (level == LogLevel.DEBUG) {
            // The check below can fail: at debug the audit log names whose sessions the policies picked.
            assertThat(events).filteredOn(e -> e.get("level").equals("debug") && e.getOrDefault("logger", "").equals("audit"))
                    .anyMatch(e -> personal.stream().anyMatch(p -> e.get("msg").contains(p)));
        }
        for (int i = 0; i < lines.size(); i++) {
            if (events.get(i).get("level").equals("debug")) {
                continue;
            }
            String line = lines.get(i);
            Map<String, String> event = events.get(i);
            for (String value : personal) {
                assertThat(line).as("no username or client IP at info or above").doesNotContain(value);
                assertThat(event.values()).as(line).noneMatch(v -> v.contains(value));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void mistakesThatStopTheAgentAreEventsToo(LogFormat format) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "poll:\n  interval: soon\n");
        String label = EventFormatter.label(format);
        Map<String, String> configError = onlyEvent(format, 2, "run", "--config", bad.toString(), "--log.format", label);
        assertThat(configError.get("level")).isEqualTo("error");
        assertThat(configError.get("msg")).contains("poll.interval (line 2)");

        Map<String, String> usage = onlyEvent(format, 2, "run", "--log.format", label, "--log.level", "verbose");
        assertThat(usage.get("msg")).contains("--log.level").contains("debug, info, warn, error");
    }

    @Test
    void theEnvironmentSetsLevelAndFormatAndAFlagWins() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "poll:\n  interval: soon\n");
        Path stderr = dir.resolve("env.log");
        Process p = start(stderr, Map.of("LOG_FORMAT", "json"), "run", "--config", bad.toString());
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(LogLines.json(Files.readString(stderr).strip()).get("msg")).contains("poll.interval");

        Path flagged = dir.resolve("flag.log");
        p = start(flagged, Map.of("LOG_FORMAT", "json"), "run", "--config", bad.toString(), "--log.format", "logfmt");
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(LogLines.logfmt(Files.readString(flagged).strip()).get("msg")).contains("poll.interval");

        Path good = Files.writeString(dir.resolve("good.yaml"), "poll:\n  interval: 30s\n");
        Path badVariable = dir.resolve("variable.log");
        p = start(badVariable, Map.of("LOG_LEVEL", "loud"), "run", "--config", good.toString());
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(LogLines.logfmt(Files.readString(badVariable).strip()).get("msg")).contains("LOG_LEVEL (environment)");
    }

    private Map<String, String> onlyEvent(LogFormat format, int exitCode, String... args) throws Exception {
        Path stderr = dir.resolve("single-" + System.nanoTime() + ".log");
        Process p = start(stderr, args);
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(exitCode);
        List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        Map<String, String> event = LogLines.parse(format, lines.get(0));
        assertThat(event).containsKeys("time", "level", "msg");
        return event;
    }

    /** Every username and client IP the simulator has handed out, active, ended or preloaded. */
    private static Set<String> personalValues(JsonNode truth) {
        Set<String> out = new HashSet<>();
        for (JsonNode portal : truth.get("portals")) {
            for (String list : List.of("activeSessions", "endedSessions", "historySessions")) {
                for (JsonNode session : portal.path(list)) {
                    String user = session.path("username").asText("");
                    if (!user.isEmpty()) {
                        out.add(user);
                    }
                    session.path("clientIpAddresses").forEach(ip -> out.add(ip.asText()));
                }
            }
        }
        return out;
    }

    private List<Map<String, String>> events(LogFormat format, Path stderr) {
        try {
            List<Map<String, String>> out = new ArrayList<>();
            for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
                try {
                    out.add(LogLines.parse(format, line));
                } catch (IllegalArgumentException e) {
                    // The last line may still be being written; the final check reads them all strictly.
                }
            }
            out.removeIf(e -> !e.containsKey("level") || !e.containsKey("msg"));
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    private Process start(Path stderr, String... args) throws IOException {
        return start(stderr, Map.of(), args);
    }

    private Process start(Path stderr, Map<String, String> env, String... args) throws IOException {
        Path jar = Path.of("target", "workspaces-web-exporter.jar").toAbsolutePath();
        assertThat(jar).as("the fat jar (mvn package)").isRegularFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(stderr.toFile())
                .redirectOutput(dir.resolve(stderr.getFileName() + ".stdout").toFile());
        pb.environment().remove("LOG_LEVEL");
        pb.environment().remove("LOG_FORMAT");
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // the JVM would announce it on stderr
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private int status(int port, String path, String accept) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }


}
