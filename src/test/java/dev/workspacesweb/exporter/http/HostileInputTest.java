package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.testing.ManualClock;
import dev.workspacesweb.exporter.testing.TestConfigs;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usernames as hostile as the API allows (quotes, backslashes, newlines, braces, commas, control characters,
 * non-ASCII, 256 characters, empty) and IPv6 client addresses: every format stays valid, every value stays in its
 * own label, and each one comes back exactly as the API sent it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    static final List<String> USERNAMES = List.of(
            "quote\"d@example.com",
            "back\\slash\\",
            "new\nline",
            "x\"} 1\nworkspaces_web_active_sessions{portal_id=\"evil\"} 99",
            "brace}{,comma=\"v\"",
            "ünïcödé@例え.jp",
            "bell\u0007esc\u001b[31mred",
            "tab\tand\rreturn",
            "a".repeat(256),
            "",
            "# HELP fake",
            "😀 emoji");
    static final List<String> IPS = List.of("2001:db8::1a", "::1", "198.51.100.7", "fe80::1");

    private AgentRuntime agent;
    private String portal;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-25T08:00:00Z"));
        SimulatorSettings scripted = new SimulatorSettings(5, 0, "us-east-1", "123456789012", 1, 10, 0.0,
                Duration.ofMinutes(20), 1.0, 0, 0, 2, 20, 100, SimulatorSettings.Faults.none());
        agent = AgentRuntime.start(TestConfigs.withSimulator(TestConfigs.defaults(), scripted), AgentRuntime.Options.forTests(clock));
        portal = agent.simulator().portalIds().get(0);
        for (int i = 0; i < USERNAMES.size(); i++) {
            agent.simulator().workload().startSession(portal, USERNAMES.get(i), List.of(IPS.get(i % IPS.size())),
                    clock.instant().minusSeconds(60 + i));
        }
        agent.scheduler().pollOnce();
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    private byte[] scrape(String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics"));
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(res.statusCode()).isEqualTo(200);
        return res.body();
    }

    @Test
    void protobufCarriesEveryUsernameExactly() throws Exception {
        Set<String> usernames = new HashSet<>();
        Set<String> ips = new HashSet<>();
        try (InputStream in = new ByteArrayInputStream(scrape(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"))) {
            Metrics.MetricFamily f;
            while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                for (Metrics.Metric m : f.getMetricList()) {
                    for (Metrics.LabelPair l : m.getLabelList()) {
                        if (f.getName().equals("workspaces_web_user_active_sessions") && l.getName().equals("username")) {
                            usernames.add(l.getValue());
                        }
                        if (f.getName().equals("workspaces_web_client_ip_active_sessions") && l.getName().equals("client_ip")) {
                            ips.add(l.getValue());
                        }
                    }
                }
            }
        }
        assertThat(usernames).containsExactlyInAnyOrderElementsOf(USERNAMES);
        assertThat(ips).containsExactlyInAnyOrderElementsOf(IPS);
    }

    @Test
    void textFormatsKeepEachValueInsideItsLabel() throws Exception {
        for (String accept : new String[] {null, "application/openmetrics-text; version=1.0.0"}) {
            String text = new String(scrape(accept), StandardCharsets.UTF_8);
            List<String> userLines = Arrays.stream(text.split("\n")).filter(l -> l.startsWith("workspaces_web_user_active_sessions{")).toList();
            assertThat(userLines).hasSize(USERNAMES.size());
            Set<String> parsed = new HashSet<>();
            for (String line : userLines) {
                parsed.add(labelValue(line, "username"));
            }
            assertThat(parsed).containsExactlyInAnyOrderElementsOf(USERNAMES);
            assertThat(Arrays.stream(text.split("\n")).filter(l -> l.startsWith("workspaces_web_active_sessions{")))
                    .containsExactly("workspaces_web_active_sessions{portal_id=\"" + portal + "\"} " + (double) USERNAMES.size());
            assertThat(text).doesNotContain("portal_id=\"evil\"");
        }
    }

    @Test
    void promtoolAcceptsTheScrape(@TempDir Path dir) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(promtool),
                "promtool (Debian package prometheus) is installed by .ci/run; not on this machine");
        Path scrape = dir.resolve("scrape.txt");
        Files.write(scrape, scrape(null));
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(scrape.toFile())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as("promtool check metrics").isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    /** The value of one label in a text-format sample line, unescaped as the format defines (\\, \", \n). */
    static String labelValue(String line, String label) {
        Matcher m = Pattern.compile("[{,]" + label + "=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        String raw = m.group(1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char n = raw.charAt(++i);
                out.append(n == 'n' ? '\n' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

}
