package dev.workspacesweb.exporter.http;

import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.helidon.http.Method;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test helpers: an {@link AgentServer} with stand-in admin routes under {@code /api/v1}, the TLS fixtures of
 * {@code src/test/resources/web-tls} (see {@code generate.sh} there), and clients that speak real TLS to it.
 */
final class SecureServers {
    /** Stand-in admin API: no basic auth applies here (the real one checks its own bearer token). */
    static final String ADMIN_PING = "/api/v1/ping";

    private SecureServers() {}

    static AgentServer start(WebConfig web) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("test_events_total").help("events").register(registry).inc();
        return AgentServer.start("127.0.0.1", 0, registry, new SnapshotStore(), "test", web, routing -> routing
                .get(ADMIN_PING, (req, res) -> res.send("pong\n"))
                .route(Method.POST, "/api/v1/echo", (req, res) -> res.send("read " + req.content().as(byte[].class).length + " bytes\n"))
                .get("/api/v1/boom", (req, res) -> {
                    throw new IllegalStateException("internal detail: password=hunter2");
                }));
    }

    /** Copies every fixture into {@code dir}, so a web config there can name them relatively. */
    static void copyFixtures(Path dir) {
        try (Stream<Path> files = Files.list(fixtures())) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path fixtures() {
        try {
            return Path.of(SecureServers.class.getResource("/web-tls/ca.crt").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code yaml} as {@code web.yml} in {@code dir} and loads it. */
    static WebConfig webConfig(Path dir, String yaml) {
        return WebConfig.load(write(dir, yaml));
    }

    static Path write(Path dir, String yaml) {
        try {
            return Files.writeString(dir.resolve("web.yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client trusting the test CA, optionally presenting {@code clientCert}/{@code clientKey} (fixture names). */
    static HttpClient tlsClient(String clientCert, String clientKey, String... protocols) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificates("ca.crt").get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (clientCert != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                PrivateKey key = PemMaterial.privateKey(Files.readAllBytes(fixtures().resolve(clientKey)), clientKey);
                keys.setKeyEntry("client", key, new char[0], certificates(clientCert).toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keyManagers = kmf == null ? null
                    : new KeyManager[] {new AlwaysOffer((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
            context.init(keyManagers, tmf.getTrustManagers(), null);
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .sslContext(context)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10));
            if (protocols.length > 0) {
                builder.sslParameters(new SSLParameters(null, protocols));
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Offers the client certificate whatever CAs the server names as acceptable; the JDK's own key manager would
     * stay silent for a certificate from another CA, and the server could not be shown refusing it.
     */
    private static final class AlwaysOffer extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;

        AlwaysOffer(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    static HttpClient tlsClient() {
        return tlsClient(null, null);
    }

    static List<X509Certificate> certificates(String fixture) throws IOException {
        return PemMaterial.certificates(Files.readAllBytes(fixtures().resolve(fixture)), fixture);
    }

    static HttpResponse<String> get(HttpClient client, String url, String... headers) throws IOException, InterruptedException {
        return send(client, "GET", url, headers);
    }

    static HttpResponse<String> send(HttpClient client, String method, String url, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends raw bytes on a plain socket and returns everything the server answers until it closes or goes quiet:
     * for requests the JDK client refuses to send (malformed, oversized, un-normalised paths).
     */
    static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            int total = 0;
            try {
                int n;
                while (total < buffer.length && (n = in.read(buffer, total, buffer.length - total)) > 0) {
                    total += n;
                    String soFar = new String(buffer, 0, total, StandardCharsets.ISO_8859_1);
                    if (complete(soFar)) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | SocketException e) {
                // The server closed or stopped talking: what arrived is the answer.
            }
            return new String(buffer, 0, total, StandardCharsets.ISO_8859_1);
        }
    }

    /** Whether a raw response has its headers and a body of the announced length. */
    private static boolean complete(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = response.substring(0, end).toLowerCase(Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int lineEnd = head.indexOf("\r\n", at);
        int length = Integer.parseInt(head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).strip());
        return response.length() - end - 4 >= length;
    }

    /** The status code of a raw response, or -1 when there was none. */
    static int status(String rawResponse) {
        if (!rawResponse.startsWith("HTTP/1.1 ")) {
            return -1;
        }
        return Integer.parseInt(rawResponse.substring(9, 12));
    }
}
