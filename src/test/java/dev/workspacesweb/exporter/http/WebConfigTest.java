package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the exporter-toolkit web config: what is accepted, and that every mistake names its key and line. */
class WebConfigTest {
    private static final String HASH = "$2y$05$MXFwLQV0jgpMK/2IiZIdSuUwVDMNzJV3Q4qkeY2opiSFCMjUvFCVS";

    @TempDir
    Path dir;

    @BeforeEach
    void fixtures() {
        SecureServers.copyFixtures(dir);
    }

    private WebConfig load(String yaml) {
        return SecureServers.webConfig(dir, yaml);
    }

    private WebConfigException failure(String yaml) {
        Path file = SecureServers.write(dir, yaml);
        WebConfigException e = catchThrowableOfType(WebConfigException.class, () -> WebConfig.load(file));
        assertThat(e).as("a WebConfigException").isNotNull();
        assertThat(e.getMessage()).startsWith("web config " + file);
        return e;
    }

    @Test
    void fullConfigLoadsWithPathsRelativeToTheFile() {
        WebConfig web = load("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.crt
                  client_allowed_sans: [prometheus.example.com, 10.0.0.1]
                  min_version: TLS12
                  max_version: TLS13
                  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]
                  prefer_server_cipher_suites: false
                  curve_preferences: [X25519, CurveP256]
                http_server_config:
                  http2: true
                  headers:
                    X-Frame-Options: deny
                    Strict-Transport-Security: max-age=31536000
                basic_auth_users:
                  prometheus: '%s'
                """.formatted(HASH));
        assertThat(web.tlsEnabled()).isTrue();
        assertThat(web.basicAuthEnabled()).isTrue();
        assertThat(web.describe()).isEqualTo(
                "TLS (RequireAndVerifyClientCert, TLSv1.2-TLSv1.3), basic auth for 1 user, 2 extra headers");
        TlsServerConfig tls = web.tls().orElseThrow();
        assertThat(tls.clientCas()).hasSize(1);
        assertThat(tls.namedGroups()).containsExactly("x25519", "secp256r1");
        assertThat(tls.cipherSuites()).startsWith("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256").contains("TLS_AES_128_GCM_SHA256");
        assertThat(tls.preferServerCipherSuites()).isFalse();
        assertThat(web.headers()).containsEntry("X-Frame-Options", "deny");
    }

    @Test
    void emptyFileAndEmptySectionsMeanPlainHttp() {
        assertThat(load("").describe()).isEqualTo("plain HTTP, no basic auth");
        assertThat(load("tls_server_config:\nbasic_auth_users: {}\n").tlsEnabled()).isFalse();
        // As in exporter-toolkit: TLS options without certificate, key or client auth leave TLS off.
        assertThat(load("tls_server_config:\n  min_version: TLS13\n").tlsEnabled()).isFalse();
    }

    @Test
    void inlinePemWorksLikeFiles() throws Exception {
        String cert = Files.readString(dir.resolve("server-ec.crt"));
        String key = Files.readString(dir.resolve("server-ec.key"));
        WebConfig web = load("tls_server_config:\n  cert: |\n" + cert.indent(4) + "  key: |\n" + key.indent(4));
        assertThat(web.tls().orElseThrow().privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void checkBuildsTheTlsContextAndSummarises() {
        Path file = SecureServers.write(dir, "tls_server_config:\n  cert_file: server.crt\n  key_file: server-pkcs1.key\n");
        assertThat(WebConfig.check(file)).isEqualTo("TLS (NoClientCert, TLSv1.2-TLSv1.3), no basic auth");
    }

    @Test
    void unknownKeysAreNamedWithTheirLine() {
        WebConfigException top = failure("basic_auth_users: {}\ntls_config:\n  cert_file: x\n");
        assertThat(top.key()).isEqualTo("tls_config");
        assertThat(top.line()).isEqualTo(2);
        assertThat(top.getMessage()).contains("tls_config (line 2): unknown key in the top level").contains("tls_server_config");

        WebConfigException nested = failure("tls_server_config:\n  cert_file: server.crt\n  key_fil: server.key\n");
        assertThat(nested.key()).isEqualTo("tls_server_config.key_fil");
        assertThat(nested.line()).isEqualTo(3);
        assertThat(nested.getMessage()).contains("known keys:").contains("key_file");

        assertThat(failure("http_server_config:\n  gzip: true\n").key()).isEqualTo("http_server_config.gzip");
        assertThat(failure("rate_limit:\n  burst: 1\n").getMessage()).contains("not supported");
        assertThat(failure("tls_server_config: {}\ntls_server_config: {}\n").getMessage()).contains("duplicate key");
    }

    @Test
    void missingOrUnreadableFilesAreNamed() {
        WebConfigException cert = failure("tls_server_config:\n  cert_file: missing.crt\n  key_file: server.key\n");
        assertThat(cert.key()).isEqualTo("tls_server_config.cert_file");
        assertThat(cert.line()).isEqualTo(2);
        assertThat(cert.getMessage()).contains(dir.resolve("missing.crt").toString()).contains("no such file");

        WebConfigException noKey = failure("tls_server_config:\n  cert_file: server.crt\n");
        assertThat(noKey.key()).isEqualTo("tls_server_config");
        assertThat(noKey.getMessage()).contains("missing key_file (or key)");

        WebConfigException missing = catchThrowableOfType(WebConfigException.class,
                () -> WebConfig.load(dir.resolve("nope.yml")));
        assertThat(missing.getMessage()).contains("cannot read the file: no such file");
    }

    @Test
    void badKeyMaterialIsExplainedWithoutShowingIt() throws Exception {
        Files.writeString(dir.resolve("bad.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertThat(failure("tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n").getMessage())
                .contains("tls_server_config.cert_file").contains("no readable PEM certificate");
        assertThat(failure("tls_server_config:\n  cert_file: server.crt\n  key_file: server.crt\n").getMessage())
                .contains("tls_server_config.key_file").contains("no PEM private key");
        WebConfigException mismatch = failure("tls_server_config:\n  cert_file: server-ec.crt\n  key_file: server.key\n");
        assertThat(mismatch.key()).isEqualTo("tls_server_config.key_file");
        assertThat(mismatch.getMessage()).contains("does not match")
                .contains(dir.resolve("server.key").toString()).contains(dir.resolve("server-ec.crt").toString());
        WebConfigException unsupported = failure("tls_server_config:\n  cert_file: server.crt\n  key_file: x25519.key\n");
        assertThat(unsupported.key()).isEqualTo("tls_server_config.key_file");
        assertThat(unsupported.line()).isEqualTo(3);
        assertThat(unsupported.getMessage()).contains(dir.resolve("x25519.key").toString()).contains("cannot serve TLS");
        WebConfigException corrupt = failure("tls_server_config:\n  cert_file: server.crt\n  key_file: bad.key\n");
        assertThat(corrupt.key()).isEqualTo("tls_server_config.key_file");
        assertThat(corrupt.getMessage()).contains(dir.resolve("bad.key").toString()).contains("cannot be read");
        WebConfigException otherRsa = failure("tls_server_config:\n  cert_file: client.crt\n  key_file: server.key\n");
        assertThat(otherRsa.getMessage()).contains("does not belong to the certificate");
        assertThat(failure("tls_server_config:\n  cert_file: server.crt\n  key_file: server-encrypted.key\n").getMessage())
                .contains("encrypted");
        assertThat(failure("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cert: x\n").getMessage())
                .contains("either cert or cert_file");
    }

    @Test
    void clientAuthMistakes() {
        String base = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
        assertThat(failure(base + "  client_auth_type: RequireClientCerts\n").getMessage())
                .contains("unknown client_auth_type 'RequireClientCerts'").contains("RequireAndVerifyClientCert");
        assertThat(failure(base + "  client_ca_file: ca.crt\n").getMessage()).contains("NoClientCert");
        assertThat(failure(base + "  client_auth_type: RequireAndVerifyClientCert\n").getMessage())
                .contains("needs client_ca_file");
        assertThat(failure(base + "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n"
                + "  client_allowed_sans: [a]\n").getMessage()).contains("client_allowed_sans requires");
        // exporter-toolkit's old name still works.
        assertThat(load(base + "  client_auth_type: RequireClientCert\n").tls().orElseThrow().clientAuth())
                .isEqualTo(ClientAuthType.REQUIRE_ANY_CLIENT_CERT);
    }

    @Test
    void versionCipherAndCurveMistakes() {
        String base = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
        assertThat(failure(base + "  min_version: TLS1.2\n").getMessage()).contains("unknown TLS version 'TLS1.2'");
        assertThat(failure(base + "  min_version: TLS13\n  max_version: TLS12\n").getMessage()).contains("above max_version");
        assertThat(failure(base + "  cipher_suites: [TLS_MADE_UP]\n").getMessage()).contains("'TLS_MADE_UP' is not supported");
        assertThat(failure(base + "  curve_preferences: [CurveP999]\n").getMessage()).contains("unknown curve 'CurveP999'");
        assertThat(failure(base + "  prefer_server_cipher_suites: sometimes\n").getMessage()).contains("true or false");
    }

    @Test
    void headerMistakes() {
        assertThat(failure("http_server_config:\n  headers:\n    Server: nginx\n").getMessage())
                .contains("http_server_config.headers.Server (line 3)").contains("cannot be configured");
        assertThat(failure("http_server_config:\n  headers:\n    X-Frame-Options: allow\n").getMessage())
                .contains("one of deny, sameorigin");
    }

    @Test
    void badHashesAreRefusedWithoutEchoingThem() {
        WebConfigException plain = failure("basic_auth_users:\n  alice: my-cleartext-password\n");
        assertThat(plain.key()).isEqualTo("basic_auth_users.alice");
        assertThat(plain.line()).isEqualTo(2);
        assertThat(plain.getMessage()).contains("not a bcrypt hash").contains("htpasswd -nBC 10 alice")
                .doesNotContain("my-cleartext-password");
        String md5 = "$apr1$abcdefgh$0123456789abcdefghijkl";
        assertThat(failure("basic_auth_users:\n  alice: '" + md5 + "'\n").getMessage()).doesNotContain(md5);
        assertThat(failure("basic_auth_users:\n  alice: '" + HASH.substring(0, 50) + "'\n").getMessage())
                .contains("not a bcrypt hash");
        assertThat(failure("basic_auth_users:\n  'a:b': '" + HASH + "'\n").getMessage()).contains("cannot contain ':'");
    }

    @Test
    void yamlSyntaxErrorsHaveALine() {
        WebConfigException e = failure("basic_auth_users:\n  alice: [unclosed\n");
        assertThat(e.line()).isPositive();
        assertThat(e.getMessage()).contains("YAML syntax error");
        assertThat(failure("- a\n- b\n").getMessage()).contains("expected a mapping");
    }
}
