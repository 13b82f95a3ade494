package dev.workspacesweb.exporter.http;

import static dev.workspacesweb.exporter.http.SecureServers.get;
import static dev.workspacesweb.exporter.http.SecureServers.tlsClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import javax.net.ssl.SSLHandshakeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real TLS handshakes (java.net.http against the Helidon listener) with the fixtures of src/test/resources/web-tls. */
class TlsServerTest {
    @TempDir
    Path dir;

    private AgentServer start(String yaml) {
        SecureServers.copyFixtures(dir);
        return SecureServers.start(SecureServers.webConfig(dir, yaml));
    }

    /** The server refused the handshake with this TLS alert, which the client received. */
    private static void assertAlert(ThrowingCallable request, String alert) {
        assertThatThrownBy(request).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("Received fatal alert: " + alert);
    }

    private static String url(AgentServer server, String path) {
        return "https://127.0.0.1:" + server.port() + path;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
            "server.crt, server.key",       // RSA, PKCS#8
            "server.crt, server-pkcs1.key", // RSA, PKCS#1 (BEGIN RSA PRIVATE KEY)
            "server-ec.crt, server-ec.key", // EC P-256, SEC1 (BEGIN EC PRIVATE KEY)
            "server-ec.crt, server-ec-pkcs8.key",
            "server-ed25519.crt, server-ed25519.key"}) // Ed25519, PKCS#8
    void tlsCoversEveryEndpoint(String cert, String key) throws Exception {
        try (AgentServer server = start("tls_server_config:\n  cert_file: " + cert + "\n  key_file: " + key + "\n")) {
            assertThat(server.tls()).isTrue();
            HttpClient client = tlsClient();
            HttpResponse<String> metrics = get(client, url(server, "/metrics"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("test_events_total 1.0");
            // The key kind under test is the one the handshake used.
            assertThat(metrics.sslSession().orElseThrow().getPeerCertificates()[0].getPublicKey().getAlgorithm())
                    .isEqualTo(SecureServers.certificates(cert).get(0).getPublicKey().getAlgorithm())
                    .isEqualTo(cert.contains("ed25519") ? "EdDSA" : cert.contains("-ec") ? "EC" : "RSA");
            assertThat(get(client, url(server, "/-/healthy")).statusCode()).isEqualTo(200);
            // Nothing polled yet: not ready, and that answer comes over TLS like the rest.
            assertThat(get(client, url(server, "/-/ready")).statusCode()).isEqualTo(503);
            assertThat(get(client, url(server, "/")).body()).contains("WorkSpaces Web Exporter");
            assertThat(get(client, url(server, SecureServers.ADMIN_PING)).body()).isEqualTo("pong\n");
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsNoAnswer() throws Exception {
        try (AgentServer server = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")) {
            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + server.port() + "/metrics"))
                    .isInstanceOf(IOException.class).hasMessageStartingWith("parsing HTTP/1.1 status line");
            // On a raw socket, what comes back is a TLS alert record (content type 21, version 3.x), no HTTP.
            String answer = SecureServers.raw(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(answer).hasSizeGreaterThanOrEqualTo(7);
            assertThat((int) answer.charAt(0)).as("TLS content type alert").isEqualTo(21);
            assertThat((int) answer.charAt(1)).as("TLS major version").isEqualTo(3);
        }
    }

    @Test
    void clientThatDoesNotTrustTheCaFails() throws Exception {
        try (AgentServer server = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")) {
            HttpClient jdkDefaults = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThatThrownBy(() -> get(jdkDefaults, url(server, "/metrics")))
                    .isInstanceOf(SSLHandshakeException.class).hasRootCauseInstanceOf(CertPathBuilderException.class);
        }
    }

    @Test
    void mutualTlsRequiresACertificateFromTheClientCa() throws Exception {
        try (AgentServer server = start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.crt
                """)) {
            assertThat(get(tlsClient("client.crt", "client.key"), url(server, "/metrics")).statusCode()).isEqualTo(200);
            assertThat(get(tlsClient("client.crt", "client.key"), url(server, SecureServers.ADMIN_PING)).statusCode())
                    .isEqualTo(200);
            assertAlert(() -> get(tlsClient(), url(server, "/metrics")), "certificate_required");
            assertAlert(() -> get(tlsClient(), url(server, SecureServers.ADMIN_PING)), "certificate_required");
            assertAlert(() -> get(tlsClient("rogue-client.crt", "rogue-client.key"), url(server, "/metrics")),
                    "certificate_unknown");
        }
    }

    @Test
    void verifyClientCertIfGivenLetsAnonymousClientsInButNotStrangers() throws Exception {
        try (AgentServer server = start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: VerifyClientCertIfGiven
                  client_ca_file: ca.crt
                """)) {
            assertThat(get(tlsClient(), url(server, "/metrics")).statusCode()).isEqualTo(200);
            assertThat(get(tlsClient("client.crt", "client.key"), url(server, "/metrics")).statusCode()).isEqualTo(200);
            assertAlert(() -> get(tlsClient("rogue-client.crt", "rogue-client.key"), url(server, "/metrics")),
                    "certificate_unknown");
        }
    }

    @Test
    void requireAnyClientCertTakesAnyCertificateButNeedsOne() throws Exception {
        try (AgentServer server = start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: RequireAnyClientCert
                """)) {
            assertThat(get(tlsClient("rogue-client.crt", "rogue-client.key"), url(server, "/metrics")).statusCode())
                    .isEqualTo(200);
            assertAlert(() -> get(tlsClient(), url(server, "/metrics")), "certificate_required");
        }
    }

    @Test
    void clientAllowedSansRestrictsWhichCertificatesGetIn() throws Exception {
        String config = """
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.crt
                  client_allowed_sans: [%s]
                """;
        try (AgentServer server = start(config.formatted("prometheus.example.com"))) {
            assertThat(get(tlsClient("client.crt", "client.key"), url(server, "/metrics")).statusCode()).isEqualTo(200);
        }
        try (AgentServer server = SecureServers.start(SecureServers.webConfig(dir, config.formatted("grafana.example.com")))) {
            HttpResponse<String> refused = get(tlsClient("client.crt", "client.key"), url(server, "/metrics"));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(get(tlsClient("client.crt", "client.key"), url(server, SecureServers.ADMIN_PING)).statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void minVersionIsEnforced() throws Exception {
        try (AgentServer server = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n")) {
            assertThat(get(tlsClient(null, null, "TLSv1.3"), url(server, "/metrics")).sslSession().orElseThrow().getProtocol())
                    .isEqualTo("TLSv1.3");
            assertAlert(() -> get(tlsClient(null, null, "TLSv1.2"), url(server, "/metrics")), "protocol_version");
        }
    }

    @Test
    void cipherSuitesLimitTls12AndLeaveTls13On() throws Exception {
        try (AgentServer server = start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]
                  curve_preferences: [CurveP256]
                """)) {
            HttpResponse<String> tls12 = get(tlsClient(null, null, "TLSv1.2"), url(server, "/metrics"));
            assertThat(tls12.sslSession().orElseThrow().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
            assertThat(get(tlsClient(null, null, "TLSv1.3"), url(server, "/metrics")).statusCode()).isEqualTo(200);
        }
    }
}
