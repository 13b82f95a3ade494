package dev.workspacesweb.exporter.http;

import java.io.IOException;
import java.io.StringReader;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

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
 * certificate or a malformed hash stops the start with a {@link WebConfigException} naming the key and line. Unlike
 * exporter-toolkit, the file is read once (no reload per connection); certificate rotation needs a restart.
 */
public final class WebConfig {
    private static final System.Logger LOG = System.getLogger(WebConfig.class.getName());

    private static final Pattern BCRYPT_HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    /** The headers exporter-toolkit lets a web config set, with their allowed values (empty: any value). */
    private static final Map<String, List<String>> EXTRA_HEADERS = orderedMap(
            "Strict-Transport-Security", List.of(),
            "X-Content-Type-Options", List.of("nosniff"),
            "X-Frame-Options", List.of("deny", "sameorigin"),
            "X-XSS-Protection", List.of(),
            "Content-Security-Policy", List.of());
    private static final Map<String, String> TLS_VERSIONS = orderedMap(
            "TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");
    private static final Map<String, String> CURVES = orderedMap(
            "CurveP256", "secp256r1", "CurveP384", "secp384r1", "CurveP521", "secp521r1", "X25519", "x25519");

    private static final Set<String> TOP_KEYS = Set.of("tls_server_config", "http_server_config", "basic_auth_users");
    private static final Map<String, String> TOP_UNSUPPORTED = Map.of(
            "rate_limit", "not supported by this exporter; limit request rates in a reverse proxy",
            "auth_excluded_paths", "not supported by this exporter: basic auth always covers /metrics, / and /-/*; "
                    + "the admin API under /api/v1 authenticates with its own bearer token");
    private static final Set<String> TLS_KEYS = Set.of("cert", "key", "client_ca", "cert_file", "key_file",
            "client_auth_type", "client_ca_file", "client_allowed_sans", "min_version", "max_version", "cipher_suites",
            "prefer_server_cipher_suites", "curve_preferences");
    private static final Set<String> HTTP_KEYS = Set.of("http2", "headers");

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
        WebConfig config = new Parser(file).parse(content);
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

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> orderedMap(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** One key of a mapping: its dotted path, value node and 1-based line. */
    private record Entry(String path, Node value, int line) {}

    /** Walks the composed YAML tree (which keeps line numbers) key by key. */
    private static final class Parser {
        private final Path file;
        private final Path directory;

        Parser(Path file) {
            this.file = file;
            Path parent = file.toAbsolutePath().getParent();
            this.directory = parent == null ? Path.of("").toAbsolutePath() : parent;
        }

        WebConfig parse(String content) {
            Node root;
            try {
                root = new Yaml(new LoaderOptions()).compose(new StringReader(content));
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String problem = e.getProblem() != null ? e.getProblem() : "invalid YAML";
                throw new WebConfigException(file, "", mark == null ? 0 : mark.getLine() + 1,
                        "YAML syntax error: " + problem.strip());
            } catch (YAMLException e) {
                throw new WebConfigException(file, "", 0, "YAML syntax error: " + e.getMessage());
            }
            if (root == null || isNull(root)) {
                return new WebConfig(file, null, Map.of(), Map.of());
            }
            Map<String, Entry> top = mapping(root, "", "the top level", TOP_KEYS, TOP_UNSUPPORTED);
            TlsServerConfig tls = top.containsKey("tls_server_config") ? tls(top.get("tls_server_config")) : null;
            Map<String, String> headers = Map.of();
            if (top.containsKey("http_server_config")) {
                headers = http(top.get("http_server_config"));
            }
            Map<String, String> users = top.containsKey("basic_auth_users") ? users(top.get("basic_auth_users")) : Map.of();
            return new WebConfig(file, tls, headers, users);
        }

        private TlsServerConfig tls(Entry section) {
            Map<String, Entry> keys = mapping(section.value(), section.path(), section.path(), TLS_KEYS, Map.of());
            boolean enabled = keys.keySet().stream().anyMatch(k -> Set.of("cert", "key", "client_ca", "cert_file",
                    "key_file", "client_ca_file", "client_auth_type").contains(k) && !string(keys.get(k)).isEmpty());
            if (!enabled) {
                // As in exporter-toolkit: a tls_server_config without certificate, key or client auth is plain HTTP.
                return null;
            }
            Entry certEntry = oneOf(keys, section, "cert", "cert_file");
            Entry keyEntry = oneOf(keys, section, "key", "key_file");
            List<X509Certificate> chain = pem(certEntry, (bytes, what) -> PemMaterial.certificates(bytes, what));
            PrivateKey privateKey = pem(keyEntry, (bytes, what) -> PemMaterial.privateKey(bytes, what));
            try {
                PemMaterial.checkPair(privateKey, source(keyEntry), chain.get(0), source(certEntry));
            } catch (IllegalArgumentException e) {
                throw error(keyEntry, e.getMessage());
            }

            Entry authEntry = keys.get("client_auth_type");
            String authName = authEntry == null ? "" : string(authEntry);
            ClientAuthType clientAuth = ClientAuthType.byConfigName(authName);
            if (clientAuth == null) {
                throw error(authEntry, "unknown client_auth_type '" + authName + "' (one of NoClientCert, RequestClientCert, "
                        + "RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert)");
            }
            Entry caEntry = optionalOneOf(keys, "client_ca", "client_ca_file");
            List<X509Certificate> clientCas = caEntry == null ? List.of()
                    : pem(caEntry, (bytes, what) -> PemMaterial.certificates(bytes, what));
            if (caEntry != null && clientAuth == ClientAuthType.NO_CLIENT_CERT) {
                throw error(caEntry, "a client CA is set but client_auth_type is NoClientCert; "
                        + "use RequireAndVerifyClientCert for mutual TLS");
            }
            if (caEntry == null && clientAuth.verifies()) {
                // Go would verify against the system roots: any publicly issued certificate would pass. Refuse.
                throw error(authEntry, clientAuth.configName() + " needs client_ca_file (or client_ca): "
                        + "the CA that issues the client certificates");
            }
            List<String> allowedSans = keys.containsKey("client_allowed_sans") ? strings(keys.get("client_allowed_sans")) : List.of();
            if (!allowedSans.isEmpty() && !clientAuth.requiresCertificate()) {
                throw error(keys.get("client_allowed_sans"), "client_allowed_sans requires client_auth_type "
                        + "RequireAnyClientCert or RequireAndVerifyClientCert");
            }

            String min = version(keys.get("min_version"), "TLS12");
            String max = version(keys.get("max_version"), "TLS13");
            List<String> order = List.copyOf(TLS_VERSIONS.keySet());
            if (order.indexOf(min) > order.indexOf(max)) {
                throw error(keys.get("min_version"), "min_version " + min + " is above max_version " + max);
            }
            List<String> protocols = order.subList(order.indexOf(min), order.indexOf(max) + 1).stream()
                    .map(TLS_VERSIONS::get).toList();

            List<String> cipherSuites = keys.containsKey("cipher_suites")
                    ? cipherSuites(keys.get("cipher_suites"), protocols.contains("TLSv1.3")) : List.of();
            List<String> namedGroups = new ArrayList<>();
            if (keys.containsKey("curve_preferences")) {
                Entry curves = keys.get("curve_preferences");
                for (String curve : strings(curves)) {
                    String group = CURVES.get(curve);
                    if (group == null) {
                        throw error(curves, "unknown curve '" + curve + "' (one of " + String.join(", ", CURVES.keySet()) + ")");
                    }
                    namedGroups.add(group);
                }
            }
            boolean preferServer = !keys.containsKey("prefer_server_cipher_suites") || bool(keys.get("prefer_server_cipher_suites"));
            return new TlsServerConfig(privateKey, chain, clientCas, clientAuth, protocols, cipherSuites, namedGroups,
                    preferServer, allowedSans);
        }

        private List<String> cipherSuites(Entry entry, boolean tls13) {
            SSLContext context;
            try {
                context = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
            Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
            Set<String> suites = new LinkedHashSet<>();
            for (String name : strings(entry)) {
                // Go once named the ChaCha20 suites without the hash; the JDK uses the IANA names.
                String jdkName = name.endsWith("_CHACHA20_POLY1305") ? name + "_SHA256" : name;
                if (!supported.contains(jdkName)) {
                    throw error(entry, "cipher suite '" + name + "' is not supported by this JDK");
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

        private String version(Entry entry, String defaultVersion) {
            if (entry == null) {
                return defaultVersion;
            }
            String v = string(entry);
            if (!TLS_VERSIONS.containsKey(v)) {
                throw error(entry, "unknown TLS version '" + v + "' (one of " + String.join(", ", TLS_VERSIONS.keySet()) + ")");
            }
            return v;
        }

        private Map<String, String> http(Entry section) {
            Map<String, Entry> keys = mapping(section.value(), section.path(), section.path(), HTTP_KEYS, Map.of());
            if (keys.containsKey("http2") && bool(keys.get("http2"))) {
                LOG.log(Level.DEBUG, "web config {0}: http_server_config.http2 has no effect, the server speaks HTTP/1.1", file);
            }
            if (!keys.containsKey("headers")) {
                return Map.of();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> h : stringMap(keys.get("headers")).entrySet()) {
                List<String> allowed = EXTRA_HEADERS.get(h.getKey());
                String value = string(h.getValue());
                if (allowed == null) {
                    throw error(h.getValue(), "header " + h.getKey() + " cannot be configured (only "
                            + String.join(", ", EXTRA_HEADERS.keySet()) + ")");
                }
                if (!allowed.isEmpty() && !allowed.contains(value)) {
                    throw error(h.getValue(), "invalid value '" + value + "' (one of " + String.join(", ", allowed) + ")");
                }
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw error(h.getValue(), "a header value cannot contain a line break");
                }
                if (!value.isEmpty()) {
                    headers.put(h.getKey(), value);
                }
            }
            return Map.copyOf(headers);
        }

        private Map<String, String> users(Entry section) {
            Map<String, String> users = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> u : stringMap(section).entrySet()) {
                String name = u.getKey();
                if (name.indexOf(':') >= 0) {
                    throw error(u.getValue(), "a user name cannot contain ':' (basic auth splits at the first colon)");
                }
                String hash = string(u.getValue());
                if (!BCRYPT_HASH.matcher(hash).matches()) {
                    // Never echo the value: it is a password hash, or a password typed by mistake.
                    throw error(u.getValue(), "not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 60 characters); "
                            + "generate one with: htpasswd -nBC 10 " + name);
                }
                users.put(name, hash);
            }
            return Map.copyOf(users);
        }

        // --- key material ------------------------------------------------------------------------------------

        private interface PemParser<T> {
            T parse(byte[] pem, String what);
        }

        /** Reads an inline PEM ({@code cert}) or a file ({@code cert_file}) and parses it, errors on that key. */
        private <T> T pem(Entry entry, PemParser<T> parser) {
            String value = string(entry);
            byte[] bytes;
            String what = source(entry);
            if (entry.path().endsWith("_file")) {
                Path path = directory.resolve(value);
                try {
                    bytes = Files.readAllBytes(path);
                } catch (IOException e) {
                    throw error(entry, "cannot read " + path + ": " + ioProblem(e));
                }
            } else {
                bytes = value.getBytes(StandardCharsets.US_ASCII);
            }
            try {
                return parser.parse(bytes, what);
            } catch (IllegalArgumentException e) {
                throw error(entry, e.getMessage());
            }
        }

        /** Where a PEM value comes from, for messages: the file's path, never the inline text. */
        private String source(Entry entry) {
            return entry.path().endsWith("_file") ? directory.resolve(string(entry)).toString() : "the inline PEM";
        }

        /** Exactly one of an inline value and a file. */
        private Entry oneOf(Map<String, Entry> keys, Entry section, String inline, String fileKey) {
            Entry found = optionalOneOf(keys, inline, fileKey);
            if (found == null) {
                throw error(section, "missing " + fileKey + " (or " + inline + ")");
            }
            return found;
        }

        private Entry optionalOneOf(Map<String, Entry> keys, String inline, String fileKey) {
            Entry a = keys.get(inline);
            Entry b = keys.get(fileKey);
            boolean hasA = a != null && !string(a).isEmpty();
            boolean hasB = b != null && !string(b).isEmpty();
            if (hasA && hasB) {
                throw error(b, "set either " + inline + " or " + fileKey + ", not both");
            }
            return hasA ? a : hasB ? b : null;
        }

        // --- YAML shapes -------------------------------------------------------------------------------------

        private Map<String, Entry> mapping(Node node, String path, String what, Set<String> known, Map<String, String> unsupported) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            if (isNull(node)) {
                return entries;
            }
            if (!(node instanceof MappingNode mapping)) {
                throw new WebConfigException(file, path, line(node), "expected a mapping, got " + describe(node));
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String name = keyName(tuple.getKeyNode(), path);
                String childPath = path.isEmpty() ? name : path + "." + name;
                int keyLine = line(tuple.getKeyNode());
                Entry previous = entries.get(name);
                if (previous != null) {
                    throw new WebConfigException(file, childPath, keyLine, "duplicate key (first set at line " + previous.line() + ")");
                }
                if (unsupported.containsKey(name)) {
                    throw new WebConfigException(file, childPath, keyLine, unsupported.get(name));
                }
                if (!known.contains(name)) {
                    throw new WebConfigException(file, childPath, keyLine, "unknown key in " + what + " (known keys: "
                            + String.join(", ", known.stream().sorted().toList()) + ")");
                }
                entries.put(name, new Entry(childPath, tuple.getValueNode(), keyLine));
            }
            return entries;
        }

        private Map<String, Entry> stringMap(Entry entry) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            if (isNull(entry.value())) {
                return entries;
            }
            if (!(entry.value() instanceof MappingNode mapping)) {
                throw error(entry, "expected a mapping of names to values, got " + describe(entry.value()));
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String name = keyName(tuple.getKeyNode(), entry.path());
                Entry child = new Entry(entry.path() + "." + name, tuple.getValueNode(), line(tuple.getKeyNode()));
                Entry previous = entries.putIfAbsent(name, child);
                if (previous != null) {
                    throw error(child, "duplicate key (first set at line " + previous.line() + ")");
                }
            }
            return entries;
        }

        private String string(Entry entry) {
            if (isNull(entry.value())) {
                return "";
            }
            if (!(entry.value() instanceof ScalarNode scalar)) {
                throw error(entry, "expected a single value, got " + describe(entry.value()));
            }
            return scalar.getValue();
        }

        private boolean bool(Entry entry) {
            if (entry.value() instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
                return Boolean.parseBoolean(scalar.getValue().toLowerCase(Locale.ROOT));
            }
            throw error(entry, "expected true or false, got " + describe(entry.value()));
        }

        private List<String> strings(Entry entry) {
            if (isNull(entry.value())) {
                return List.of();
            }
            if (!(entry.value() instanceof SequenceNode sequence)) {
                throw error(entry, "expected a list such as [a, b], got " + describe(entry.value()));
            }
            List<String> values = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (!(item instanceof ScalarNode scalar)) {
                    throw new WebConfigException(file, entry.path(), line(item), "expected a single value, got " + describe(item));
                }
                values.add(scalar.getValue());
            }
            return values;
        }

        private String keyName(Node key, String parentPath) {
            if (!(key instanceof ScalarNode scalar)) {
                throw new WebConfigException(file, parentPath, line(key), "keys must be plain names, got " + describe(key));
            }
            return scalar.getValue();
        }

        private WebConfigException error(Entry entry, String problem) {
            return new WebConfigException(file, entry.path(), entry.line(), problem);
        }

        private static int line(Node node) {
            return node.getStartMark().getLine() + 1;
        }

        private static boolean isNull(Node node) {
            return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
        }

        /** The shape of a node, never a scalar's value (it may be a secret). */
        private static String describe(Node node) {
            return switch (node) {
                case MappingNode m -> "a mapping";
                case SequenceNode s -> "a list";
                case ScalarNode s -> "a single value";
                default -> "an alias";
            };
        }
    }
}
