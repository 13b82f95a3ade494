package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.workspacesweb.exporter.config.ConfigException;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /-/reload} over real HTTP behind basic auth: POST and PUT reload, GET does not; without credentials nothing
 * reloads; a configuration error comes back as a 500 naming key and line, any other failure without its message.
 */
class ReloadHandlerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger reloads = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private AgentServer server;

    @BeforeEach
    void start(@TempDir Path dir) {
        String hash = BCrypt.withDefaults().hashToString(5, "reload-Secret-1".toCharArray());
        ReloadHandler reload = new ReloadHandler(() -> {
            reloads.incrementAndGet();
            Exception e = failure.get();
            if (e != null) {
                throw e;
            }
        });
        server = AgentServer.start("127.0.0.1", 0, new PrometheusRegistry(), new SnapshotStore(), "test",
                SecureServers.webConfig(dir, "basic_auth_users:\n  ops: '" + hash + "'\n"), reload::register);
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    private HttpResponse<String> send(String method, String auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/-/reload"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reloadsOnlyForAnAuthenticatedPostOrPut() throws Exception {
        assertThat(send("POST", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "ops:wrong").statusCode()).isEqualTo(401);
        assertThat(reloads).hasValue(0);

        HttpResponse<String> get = send("GET", "ops:reload-Secret-1");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST, PUT");
        assertThat(reloads).hasValue(0);

        HttpResponse<String> post = send("POST", "ops:reload-Secret-1");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("OK\n");
        assertThat(send("PUT", "ops:reload-Secret-1").statusCode()).isEqualTo(200);
        assertThat(reloads).hasValue(2);
    }

    @Test
    void aConfigurationErrorNamesKeyAndLineOtherFailuresOnlyTheirKind() throws Exception {
        failure.set(new ConfigException("limits.max_users_per_portal", 12, "must be 0 or more, got -1"));
        HttpResponse<String> bad = send("POST", "ops:reload-Secret-1");
        assertThat(bad.statusCode()).isEqualTo(500);
        assertThat(bad.body()).isEqualTo(
                "failed to reload config: limits.max_users_per_portal (line 12): must be 0 or more, got -1\n");

        failure.set(new java.io.IOException("/secret/path/of/something"));
        HttpResponse<String> other = send("POST", "ops:reload-Secret-1");
        assertThat(other.statusCode()).isEqualTo(500);
        assertThat(other.body()).isEqualTo("failed to reload config: IOException\n");
    }
}
