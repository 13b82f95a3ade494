package dev.workspacesweb.exporter.http;

import dev.workspacesweb.exporter.config.ConfigException;
import dev.workspacesweb.exporter.config.YamlDocument;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * The {@code web.config_file}: TLS, basic auth and extra response headers in the Prometheus exporter-toolkit format
 * (https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md), so one file serves this
 * agent and the exporters beside it.
 *
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt          # or cert: inline PEM
 *   key_file: server.key           # or key: inline PEM
 *   client_auth_type: RequireAndVerifyClientCert
 *   client_ca_file: clients-ca.crt # or client_ca: inline PEM
 *   client_allowed_sans: [prometheus.example.com]
 *   min_version: TLS12
 *   max_version: TLS13
 *   cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]   # TLS 1.2; TLS 1.3 suites stay enabled
 *   prefer_server_cipher_suites: true
 *   curve_preferences: [X25519, CurveP256]
 * http_server_config:
 *   http2: true                    # accepted; the server speaks HTTP/1.1
 *   headers: {X-Content-Type-Options: nosniff}
 * basic_auth_users:
 *   prometheus: $2y$10$...         # bcrypt ($2a$, $2b$ or $2y$)
 * </pre>
 *
 * <p>Relative file names resolve against the directory of the web config file, as in exporter-toolkit. Everything is
 * read and checked when the file is loaded: an unknown key, a missing file, a key that does not match its
 * certificate or a malformed hash stops the start with a {@link WebConfigException} naming the key and line. The file
 * is bound to records ({@link WebFile}) by the same Jackson YAML binding as {@code config.yaml}. Unlike
 * exporter-toolkit, the file is read once (no reload per connection); certificate rotation needs a restart.
 */
public final class WebConfig {
    private static final System.Logger LOG = System.getLogger(WebConfig.class.getName());

    private static final Pattern BCRYPT_HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    /** The headers exporter-toolkit lets a web config set, with their allowed values (empty: any value). */
    private static final Map<String, List<String>> EXTRA_HEADERS = Map.of(
            "Strict-Transport-Security", List.of(),
            "X-Content-Type-Options", List.of("nosniff"),
            "X-Frame-Options", List.of("deny", "sameorigin"),
            "X-XSS-Protection", List.of(),
            "Content-Security-Policy", List.of());
    private static final Map<String, String> TLS_VERSIONS = Map.of(
            "TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");
    private static final List<String> VERSION_ORDER = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final Map<String, String> CURVES = Map.of(
            "CurveP256", "secp256r1", "CurveP384", "secp384r1", "CurveP521", "secp521r1", "X25519", "x25519");
    private static final String CURVE_NAMES = "CurveP256, CurveP384, CurveP521, X25519";

    private static final Map<String, String> TOP_UNSUPPORTED = Map.of(
            "rate_limit", "not supported by this exporter; limit request rates in a reverse proxy",
            "auth_excluded_paths", "not supported by this exporter: basic auth always covers /metrics, / and /-/*; "
                    + "the admin API under /api/v1 authenticates with its own bearer token");

    /** The file, exporter-toolkit's keys in snake_case; an absent section or list is null. */
    record WebFile(TlsFile tlsServerConfig, HttpFile httpServerConfig, Map<String, String> basicAuthUsers) {}

    /** {@code tls_server_config}: {@code cert}/{@code key}/{@code client_ca} are inline PEM, {@code *_file} paths. */
    record TlsFile(String cert, String key, String clientCa, String certFile, String keyFile, String clientAuthType,
            String clientCaFile, List<String> clientAllowedSans, String minVersion, String maxVersion,
            List<String> cipherSuites, Boolean preferServerCipherSuites, List<String> curvePreferences) {}

    /** {@code http_server_config}. */
    record HttpFile(Boolean http2, Map<String, String> headers) {}

    private static final WebConfig NONE = new WebConfig(null, null, Map.of(), Map.of());

    private final Path source;
    private final TlsServerConfig tls;
    private final Map<String, String> headers;
    private final Map<String, String> users;

    private WebConfig(Path source, TlsServerConfig tls, Map<String, String> headers, Map<String, String> users) {
        this.source = source;
        this.tls = tls;
        this.headers = headers;
        this.users = users;
    }

    /** No web config file: plain HTTP, no basic auth, no extra headers. */
    public static WebConfig none() {
        return NONE;
    }

    /**
     * Reads and checks a web config file, including every certificate and key it names.
     *
     * @throws WebConfigException naming the file, key and line of the first mistake
     */
    public static WebConfig load(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebConfigException(file, "", 0, "cannot read the file: " + ioProblem(e));
        }
        WebConfig config = new Parser(file, content).parse();
        if (config.basicAuthEnabled() && !config.tlsEnabled()) {
            LOG.log(Level.WARNING, "web config {0}: basic auth without TLS sends passwords in clear text; "
                    + "add tls_server_config", file);
        }
        return config;
    }

    /**
     * For {@code check-config}: loads the file and builds the TLS context from it, as the server would.
     *
     * @return a one-line summary, e.g. {@code TLS (RequireAndVerifyClientCert, TLSv1.2-TLSv1.3), basic auth for 2 users}
     * @throws WebConfigException on the first mistake
     */
    public static String check(Path file) {
        WebConfig config = load(file);
        if (config.tls != null) {
            try {
                config.tls.toHelidon();
            } catch (RuntimeException e) {
                throw new WebConfigException(file, "tls_server_config", 0, "TLS cannot be set up: " + e.getMessage());
            }
        }
        return config.describe();
    }

    public boolean tlsEnabled() {
        return tls != null;
    }

    public boolean basicAuthEnabled() {
        return !users.isEmpty();
    }

    /** The file this came from, empty for {@link #none()}. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    Optional<TlsServerConfig> tls() {
        return Optional.ofNullable(tls);
    }

    /** Extra response headers, on every response. */
    Map<String, String> headers() {
        return headers;
    }

    /** User name to bcrypt hash. Secret: never log the values. */
    Map<String, String> basicAuthUsers() {
        return users;
    }

    /** A one-line summary without secrets. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (tls == null) {
            parts.add("plain HTTP");
        } else {
            parts.add("TLS (" + tls.clientAuth().configName() + ", " + tls.protocols().get(0)
                    + (tls.protocols().size() > 1 ? "-" + tls.protocols().get(tls.protocols().size() - 1) : "") + ")");
        }
        parts.add(users.isEmpty() ? "no basic auth" : "basic auth for " + users.size() + (users.size() == 1 ? " user" : " users"));
        if (!headers.isEmpty()) {
            parts.add(headers.size() + (headers.size() == 1 ? " extra header" : " extra headers"));
        }
        return String.join(", ", parts);
    }

    private static String ioProblem(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            default -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }

    /** Binds the file to {@link WebFile} and checks what it names, every error on its key and line. */
    private static final class Parser {
        private final Path file;
        private final Path directory;
        private final YamlDocument document;

        Parser(Path file, String content) {
            this.file = file;
            Path parent = file.toAbsolutePath().getParent();
            this.directory = parent == null ? Path.of("").toAbsolutePath() : parent;
            try {
                this.document = YamlDocument.parse(content, "");
            } catch (ConfigException e) {
                throw new WebConfigException(file, e.key(), e.line(), e.problem());
            }
        }

        WebConfig parse() {
            TOP_UNSUPPORTED.forEach((key, problem) -> {
                if (document.contains(key)) {
                    throw error(key, problem);
                }
            });
            WebFile bound;
            try {
                bound = document.bind(WebFile.class);
            } catch (ConfigException e) {
                throw new WebConfigException(file, e.key(), e.line(), e.problem());
            }
            Map<String, String> users = bound.basicAuthUsers() == null ? Map.of() : users(bound.basicAuthUsers());
            return new WebConfig(file, tls(bound.tlsServerConfig()), http(bound.httpServerConfig()), users);
        }

        private TlsServerConfig tls(TlsFile t) {
            if (t == null || Stream.of(t.cert(), t.key(), t.clientCa(), t.certFile(), t.keyFile(), t.clientCaFile(),
                    t.clientAuthType()).allMatch(WebConfig::isEmpty)) {
                // As in exporter-toolkit: a tls_server_config without certificate, key or client auth is plain HTTP.
                return null;
            }
            Pem cert = Pem.of("cert", t.cert(), "cert_file", t.certFile(), this);
            Pem key = Pem.of("key", t.key(), "key_file", t.keyFile(), this);
            if (cert == null || key == null) {
                throw error("tls_server_config", "missing " + (cert == null ? "cert_file (or cert)" : "key_file (or key)"));
            }
            List<X509Certificate> chain = pem(cert, PemMaterial::certificates);
            PrivateKey privateKey = pem(key, PemMaterial::privateKey);
            try {
                PemMaterial.checkPair(privateKey, source(key), chain.get(0), source(cert));
            } catch (IllegalArgumentException e) {
                throw error(key.path(), e.getMessage());
            }

            String authKey = "tls_server_config.client_auth_type";
            String authName = t.clientAuthType() == null ? "" : t.clientAuthType();
            ClientAuthType clientAuth = ClientAuthType.byConfigName(authName);
            if (clientAuth == null) {
                throw error(authKey, "unknown client_auth_type '" + authName + "' (one of NoClientCert, "
                        + "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert)");
            }
            Pem ca = Pem.of("client_ca", t.clientCa(), "client_ca_file", t.clientCaFile(), this);
            List<X509Certificate> clientCas = ca == null ? List.of() : pem(ca, PemMaterial::certificates);
            if (ca != null && clientAuth == ClientAuthType.NO_CLIENT_CERT) {
                throw error(ca.path(), "a client CA is set but client_auth_type is NoClientCert; "
                        + "use RequireAndVerifyClientCert for mutual TLS");
            }
            if (ca == null && clientAuth.verifies()) {
                // Go would verify against the system roots: any publicly issued certificate would pass. Refuse.
                throw error(authKey, clientAuth.configName() + " needs client_ca_file (or client_ca): "
                        + "the CA that issues the client certificates");
            }
            List<String> allowedSans = orEmpty(t.clientAllowedSans());
            if (!allowedSans.isEmpty() && !clientAuth.requiresCertificate()) {
                throw error("tls_server_config.client_allowed_sans", "client_allowed_sans requires client_auth_type "
                        + "RequireAnyClientCert or RequireAndVerifyClientCert");
            }

            String min = version("min_version", t.minVersion(), "TLS12");
            String max = version("max_version", t.maxVersion(), "TLS13");
            if (VERSION_ORDER.indexOf(min) > VERSION_ORDER.indexOf(max)) {
                throw error("tls_server_config.min_version", "min_version " + min + " is above max_version " + max);
            }
            List<String> protocols = VERSION_ORDER.subList(VERSION_ORDER.indexOf(min), VERSION_ORDER.indexOf(max) + 1)
                    .stream().map(TLS_VERSIONS::get).toList();
            List<String> cipherSuites = t.cipherSuites() == null ? List.of()
                    : cipherSuites(t.cipherSuites(), protocols.contains("TLSv1.3"));
            List<String> namedGroups = new ArrayList<>();
            for (String curve : orEmpty(t.curvePreferences())) {
                String group = CURVES.get(curve);
                if (group == null) {
                    throw error("tls_server_config.curve_preferences", "unknown curve '" + curve + "' (one of "
                            + CURVE_NAMES + ")");
                }
                namedGroups.add(group);
            }
            boolean preferServer = t.preferServerCipherSuites() == null || t.preferServerCipherSuites();
            return new TlsServerConfig(privateKey, chain, clientCas, clientAuth, protocols, cipherSuites, namedGroups,
                    preferServer, allowedSans);
        }

        private List<String> cipherSuites(List<String> names, boolean tls13) {
            SSLContext context;
            try {
                context = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
            Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
            Set<String> suites = new LinkedHashSet<>();
            for (String name : names) {
                // Go once named the ChaCha20 suites without the hash; the JDK uses the IANA names.
                String jdkName = name.endsWith("_CHACHA20_POLY1305") ? name + "_SHA256" : name;
                if (!supported.contains(jdkName)) {
                    throw error("tls_server_config.cipher_suites", "cipher suite '" + name + "' is not supported by this JDK");
                }
                suites.add(jdkName);
            }
            if (tls13) {
                // cipher_suites only governs TLS 1.2 (as in Go); keep the JDK's TLS 1.3 suites, or TLS 1.3 would be off.
                Arrays.stream(context.getDefaultSSLParameters().getCipherSuites())
                        .filter(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_"))
                        .forEach(suites::add);
            }
            return List.copyOf(suites);
        }

        private String version(String key, String value, String defaultVersion) {
            if (isEmpty(value)) {
                return defaultVersion;
            }
            if (!TLS_VERSIONS.containsKey(value)) {
                throw error("tls_server_config." + key, "unknown TLS version '" + value + "' (one of "
                        + String.join(", ", VERSION_ORDER) + ")");
            }
            return value;
        }

        private Map<String, String> http(HttpFile http) {
            if (http == null) {
                return Map.of();
            }
            if (Boolean.TRUE.equals(http.http2())) {
                LOG.log(Level.DEBUG, "web config {0}: http_server_config.http2 has no effect, the server speaks HTTP/1.1", file);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> h : (http.headers() == null ? Map.<String, String>of() : http.headers()).entrySet()) {
                String key = "http_server_config.headers." + h.getKey();
                List<String> allowed = EXTRA_HEADERS.get(h.getKey());
                String value = h.getValue() == null ? "" : h.getValue();
                if (allowed == null) {
                    throw error(key, "header " + h.getKey() + " cannot be configured (only Strict-Transport-Security, "
                            + "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, Content-Security-Policy)");
                }
                if (!allowed.isEmpty() && !allowed.contains(value)) {
                    throw error(key, "invalid value '" + value + "' (one of " + String.join(", ", allowed) + ")");
                }
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw error(key, "a header value cannot contain a line break");
                }
                if (!value.isEmpty()) {
                    headers.put(h.getKey(), value);
                }
            }
            return Map.copyOf(headers);
        }

        private Map<String, String> users(Map<String, String> configured) {
            Map<String, String> users = new LinkedHashMap<>();
            configured.forEach((name, hash) -> {
                String key = "basic_auth_users." + name;
                if (name.indexOf(':') >= 0) {
                    throw error(key, "a user name cannot contain ':' (basic auth splits at the first colon)");
                }
                if (hash == null || !BCRYPT_HASH.matcher(hash).matches()) {
                    // Never echo the value: it is a password hash, or a password typed by mistake.
                    throw error(key, "not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 60 characters); "
                            + "generate one with: htpasswd -nBC 10 " + name);
                }
                users.put(name, hash);
            });
            return Map.copyOf(users);
        }

        // --- key material ------------------------------------------------------------------------------------

        /** An inline PEM ({@code cert}) or a file ({@code cert_file}), with its key path for errors. */
        private record Pem(String path, String value, boolean isFile) {
            /** Exactly one of an inline value and a file, or null when neither is set. */
            static Pem of(String inline, String inlineValue, String fileKey, String fileValue, Parser parser) {
                if (!isEmpty(inlineValue) && !isEmpty(fileValue)) {
                    throw parser.error("tls_server_config." + fileKey, "set either " + inline + " or " + fileKey + ", not both");
                }
                return !isEmpty(inlineValue) ? new Pem("tls_server_config." + inline, inlineValue, false)
                        : !isEmpty(fileValue) ? new Pem("tls_server_config." + fileKey, fileValue, true) : null;
            }
        }

        /** Reads the PEM's bytes and parses them, errors on its key. */
        private <T> T pem(Pem pem, BiFunction<byte[], String, T> parser) {
            byte[] bytes;
            String what = source(pem);
            if (pem.isFile()) {
                Path path = directory.resolve(pem.value());
                try {
                    bytes = Files.readAllBytes(path);
                } catch (IOException e) {
                    throw error(pem.path(), "cannot read " + path + ": " + ioProblem(e));
                }
            } else {
                bytes = pem.value().getBytes(StandardCharsets.US_ASCII);
            }
            try {
                return parser.apply(bytes, what);
            } catch (IllegalArgumentException e) {
                throw error(pem.path(), e.getMessage());
            }
        }

        /** Where a PEM value comes from, for messages: the file's path, never the inline text. */
        private String source(Pem pem) {
            return pem.isFile() ? directory.resolve(pem.value()).toString() : "the inline PEM";
        }

        private WebConfigException error(String key, String problem) {
            return new WebConfigException(file, key, document.line(key), problem);
        }
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }
}
