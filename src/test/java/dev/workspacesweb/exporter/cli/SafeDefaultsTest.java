package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install that forgets the {@code source} key must never serve invented sessions: the agent started with {@code run}
 * in an empty directory (no config.yaml, no --config, no SOURCE variable) polls the AWS API, here an endpoint that
 * refuses connections, and serves no simulated session.
 */
class SafeDefaultsTest {
    private static final Pattern LIST_PORTALS_ERRORS =
            Pattern.compile("^workspaces_web_api_request_errors_total\\{[^}]*operation=\"ListPortals\"[^}]*\\} (\\S+)$",
                    Pattern.MULTILINE);

    @TempDir
    Path dir;

    private Process agent;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            agent.waitFor();
        }
    }

    @Test
    void withNoConfigFileAndNoSourceVariableTheAgentPollsAwsAndServesNoSimulatedSessions() throws Exception {
        int port = Await.freePort();
        int refused = Await.freePort(); // closed again: connections to it are refused at once
        // Only where AWS is: offline here, and quick to fail. The source is left to the defaults.
        start(port, "AWS_ENDPOINT", "http://127.0.0.1:" + refused);

        String metrics = "";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!LIST_PORTALS_ERRORS.matcher(metrics).find()) {
            assertThat(agent.isAlive()).as("the agent runs; its log:%n%s", log()).isTrue();
            assertThat(Instant.now()).as("ListPortals was tried within 90 s; log:%n%s", log()).isBefore(deadline);
            metrics = get(port, "/metrics");
        }
        Matcher errors = LIST_PORTALS_ERRORS.matcher(metrics);
        assertThat(errors.find()).isTrue();
        assertThat(Double.parseDouble(errors.group(1))).as("ListPortals failed against the (refusing) AWS endpoint")
                .isPositive();
        assertThat(metrics).as("no portal, so no session").doesNotContainPattern("(?m)^workspaces_web_active_sessions\\{");
        assertThat(get(port, "/")).doesNotContain("simulated data");
        assertThat(log()).doesNotContain("SIMULATED").doesNotContain("embedded simulator");
    }

    @Test
    void onTheSimulatorTheFirstLogLinesAndTheLandingPageSaySo() throws Exception {
        int port = Await.freePort();
        start(port, "SOURCE", "simulator");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (get(port, "/-/healthy").isEmpty()) {
            assertThat(agent.isAlive()).as("the agent runs; its log:%n%s", log()).isTrue();
            assertThat(Instant.now()).as("listening within 90 s; log:%n%s", log()).isBefore(deadline);
        }
        assertThat(log().lines().limit(3)).as(log())
                .anySatisfy(line -> assertThat(line).contains("level=warn").contains("SIMULATED sessions, not AWS data"));
        String landing = get(port, "/");
        assertThat(landing.indexOf("simulated data")).isNotNegative().isLessThan(landing.indexOf("<h1>"));
    }

    /** {@code run} in the empty directory, with a clean environment plus the variables given. */
    private void start(int port, String... variables) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", classpath, Main.class.getName(), "run")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().keySet().removeIf(var -> !var.equals("PATH") && !var.equals("HOME"));
        pb.environment().put("SERVER_HOST", "127.0.0.1");
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test-secret");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        for (int i = 0; i < variables.length; i += 2) {
            pb.environment().put(variables[i], variables[i + 1]);
        }
        assertThat(dir.resolve("config.yaml")).doesNotExist();
        agent = pb.start();
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("agent.log"));
    }

    private String get(int port, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return ""; // not listening yet
        }
    }
}
