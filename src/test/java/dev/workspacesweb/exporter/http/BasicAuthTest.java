package dev.workspacesweb.exporter.http;

import static dev.workspacesweb.exporter.http.SecureServers.get;
import static dev.workspacesweb.exporter.http.SecureServers.send;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Basic auth from a web config, over real HTTP (plain here; TLS is TlsServerTest's). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BasicAuthTest {
    /**
     * Made by another implementation, Apache's {@code htpasswd -nbBC 5 prometheus 'scrape-Secret-1'}: a real
     * {@code $2y$} hash, not one of ours with the prefix rewritten.
     */
    private static final String HTPASSWD_HASH = "$2y$05$MXFwLQV0jgpMK/2IiZIdSuUwVDMNzJV3Q4qkeY2opiSFCMjUvFCVS";
    private static final String HTPASSWD_PASSWORD = "scrape-Secret-1";

    private AgentServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start(@TempDir Path dir) {
        // One hash per form; the library writes $2a$, and $2b$/$2y$ are the same algorithm with another label.
        String a = BCrypt.withDefaults().hashToString(5, "pass-a".toCharArray());
        String b = BCrypt.with(BCrypt.Version.VERSION_2B).hashToString(5, "pass-b".toCharArray());
        String y = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(5, "pass-y".toCharArray());
        assertThat(a).startsWith("$2a$");
        assertThat(b).startsWith("$2b$");
        assertThat(y).startsWith("$2y$");
        Map<String, String> users = new LinkedHashMap<>();
        users.put("alice", a);
        users.put("bob", b);
        users.put("yvonne", y);
        users.put("prometheus", HTPASSWD_HASH);
        StringBuilder yaml = new StringBuilder("http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n")
                .append("basic_auth_users:\n");
        // Quoted: a bcrypt hash is full of '$', harmless in YAML, but this is how people write them.
        users.forEach((user, hash) -> yaml.append("  ").append(user).append(": '").append(hash).append("'\n"));
        server = SecureServers.start(SecureServers.webConfig(dir, yaml.toString()));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"workspaces-web-exporter\"");
        assertThat(response.body()).isEqualTo("Unauthorized\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/", "/-/healthy", "/-/ready", "/no-such-page"})
    void everyReadPathNeedsCredentials(String path) throws Exception {
        assertUnauthorized(get(http, url(path)));
        assertUnauthorized(get(http, url(path), "Authorization", basic("alice", "wrong")));
    }

    @Test
    void eachHashFormAcceptsItsPassword() throws Exception {
        assertThat(get(http, url("/metrics"), "Authorization", basic("alice", "pass-a")).statusCode()).isEqualTo(200);
        assertThat(get(http, url("/metrics"), "Authorization", basic("bob", "pass-b")).statusCode()).isEqualTo(200);
        assertThat(get(http, url("/metrics"), "Authorization", basic("yvonne", "pass-y")).statusCode()).isEqualTo(200);
        assertThat(get(http, url("/metrics"), "Authorization", basic("prometheus", HTPASSWD_PASSWORD)).statusCode())
                .isEqualTo(200);
        // The lower-case scheme is the same scheme (RFC 7235).
        assertThat(get(http, url("/-/healthy"), "Authorization", "basic " + basic("alice", "pass-a").substring(6))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordUnknownUserAndMalformedHeadersAreRefused() throws Exception {
        assertUnauthorized(get(http, url("/metrics"), "Authorization", basic("bob", "pass-a")));
        assertUnauthorized(get(http, url("/metrics"), "Authorization", basic("mallory", "pass-a")));
        assertUnauthorized(get(http, url("/metrics"), "Authorization", basic("alice", "")));
        assertUnauthorized(get(http, url("/metrics"), "Authorization", basic("", "pass-a")));
        assertUnauthorized(get(http, url("/metrics"), "Authorization", "Basic not-base64!"));
        assertUnauthorized(get(http, url("/metrics"), "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("alice".getBytes(StandardCharsets.UTF_8))));
        assertUnauthorized(get(http, url("/metrics"), "Authorization", "Bearer pass-a"));
        // A password longer than bcrypt's 72 bytes is an ordinary wrong password, not a server error.
        assertUnauthorized(get(http, url("/metrics"), "Authorization", basic("alice", "x".repeat(500))));
    }

    @Test
    void adminApiIsNotBehindBasicAuth() throws Exception {
        HttpResponse<String> ping = get(http, url(SecureServers.ADMIN_PING));
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong\n");
    }

    @Test
    void onlyGetAndHeadOnReadEndpoints() throws Exception {
        String alice = basic("alice", "pass-a");
        assertThat(send(http, "HEAD", url("/metrics"), "Authorization", alice).statusCode()).isEqualTo(200);
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            HttpResponse<String> refused = send(http, method, url("/metrics"), "Authorization", alice);
            assertThat(refused.statusCode()).as(method).isEqualTo(405);
            assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        // Without credentials the answer is 401 first: nothing about the endpoint before authentication.
        assertUnauthorized(send(http, "POST", url("/metrics")));
    }

    @Test
    void configuredHeadersAreOnEveryResponseIncludingRefusals() throws Exception {
        assertThat(get(http, url("/metrics")).headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(get(http, url("/metrics"), "Authorization", basic("alice", "pass-a")).headers()
                .firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(get(http, url(SecureServers.ADMIN_PING)).headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/../metrics", "/api/v1/%2e%2e/metrics", "/api/v1/..%2fmetrics", "//metrics",
            "/api/v1/./../metrics", "/api/v1/%2E%2E/%2E%2E/metrics"})
    void pathTricksDoNotReachReadEndpointsWithoutCredentials(String path) throws Exception {
        String response = SecureServers.raw(server.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        int status = SecureServers.status(response);
        assertThat(status).as(response).isNotEqualTo(200);
        assertThat(response).doesNotContain("test_events_total");
    }

    @Test
    void logsNeverShowCredentialsEvenAtTheFinestLevel() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                logged.add(format.format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(capture);
        try {
            get(http, url("/metrics"), "Authorization", basic("alice", "wrong-secret-1"));
            get(http, url("/metrics"), "Authorization", basic("mallory", "wrong-secret-2"));
            get(http, url("/metrics"), "Authorization", basic("yvonne", "pass-y"));
            get(http, url("/api/v1/boom"), "Authorization", "Bearer admin-token-3");
        } finally {
            root.removeHandler(capture);
            root.setLevel(before);
        }
        assertThat(logged).isNotEmpty();
        String all = String.join("\n", logged);
        for (String secret : new String[] {"wrong-secret-1", "wrong-secret-2", "pass-y", "admin-token-3", "hunter2",
                basic("yvonne", "pass-y").substring(6), "$2"}) {
            assertThat(all).as(secret).doesNotContain(secret);
        }
    }
}
