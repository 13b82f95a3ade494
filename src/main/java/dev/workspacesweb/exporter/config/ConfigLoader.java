package dev.workspacesweb.exporter.config;

import dev.workspacesweb.exporter.config.AgentConfig.Admin;
import dev.workspacesweb.exporter.config.AgentConfig.Aws;
import dev.workspacesweb.exporter.config.AgentConfig.ClientIpMode;
import dev.workspacesweb.exporter.config.AgentConfig.Labels;
import dev.workspacesweb.exporter.config.AgentConfig.Limits;
import dev.workspacesweb.exporter.config.AgentConfig.Metrics;
import dev.workspacesweb.exporter.config.AgentConfig.Otlp;
import dev.workspacesweb.exporter.config.AgentConfig.Policy;
import dev.workspacesweb.exporter.config.AgentConfig.Poll;
import dev.workspacesweb.exporter.config.AgentConfig.Server;
import dev.workspacesweb.exporter.config.AgentConfig.Shard;
import dev.workspacesweb.exporter.config.AgentConfig.Source;
import dev.workspacesweb.exporter.config.AgentConfig.State;
import dev.workspacesweb.exporter.config.AgentConfig.UsernameMode;
import dev.workspacesweb.exporter.config.AgentConfig.Web;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.yaml.YamlConfigParser;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Builds the {@link AgentConfig} from {@code config.yaml} and environment overrides, validating every key in one
 * place.
 *
 * <p>How a value is found, highest first:
 * <ol>
 *   <li>an environment variable named after the key path, upper-cased with {@code .} as {@code _}
 *       ({@code POLL_INTERVAL}, {@code SIMULATOR_FAULTS_THROTTLE_PROBABILITY}); list keys take a comma-separated
 *       list ({@code AWS_REGIONS=us-east-1,eu-west-1}). Variables that match no key are ignored, so the AWS SDK's
 *       {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, ... stay the SDK's. {@code policies}, {@code otlp.headers}
 *       and {@code aws.role_arn} are file-only ({@code AWS_ROLE_ARN} is the SDK's web-identity variable);</li>
 *   <li>the YAML file, read with Helidon Config;</li>
 *   <li>the default of {@link #defaults()}, which {@code config.yaml} at the repository root documents.</li>
 * </ol>
 *
 * <p>Every mistake is one {@link ConfigException} naming the key path and, when the value came from the file, its
 * line: YAML syntax errors, unknown or duplicate keys, wrong types, bad durations, enums, ports, ARNs, CIDRs and
 * cross-key rules. The file is also composed with SnakeYAML ({@link YamlStructure}) because Helidon Config has no
 * line numbers.
 *
 * <p>Two values are resolved here so that no consumer has to know the rule: {@code poll.stale_after: 0s} becomes
 * 3 x {@code poll.interval}, and an empty {@code otlp.endpoint} takes {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}
 * or {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/metrics} from the environment when set. {@code shard.index:
 * auto} stays -1: see {@link Shards#resolve}.
 */
public final class ConfigLoader {
    /** The OpenTelemetry SDK's standard variables, honoured when {@code otlp.endpoint} is empty. */
    public static final String OTEL_METRICS_ENDPOINT_VAR = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    public static final String OTEL_ENDPOINT_VAR = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /** A region name as AWS spells them: us-east-1, us-gov-west-1, cn-north-1, eu-central-2. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");
    private static final Pattern PORTAL_ID = Pattern.compile("[a-zA-Z0-9-]{36}");
    private static final Pattern PORTAL_ARN =
            Pattern.compile("arn:[a-z][a-z0-9-]*:workspaces-web:[a-z0-9-]+:\\d{12}:portal/[a-zA-Z0-9-]{36}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:[a-z][a-z0-9-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    /** RFC 9110 token: the characters of an HTTP header name. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static final Duration POSITIVE = Duration.ofMillis(1);

    private ConfigLoader() {}

    /** Built-in defaults, as documented in {@code config.yaml}; {@code poll.stale_after} already resolved. */
    public static AgentConfig defaults() {
        Duration pollInterval = Duration.ofSeconds(30);
        return new AgentConfig(
                new Server("0.0.0.0", 9742),
                new Web(""),
                Source.SIMULATOR,
                new Aws(List.of("us-east-1"), "", List.of(), 20, 8, 100, Duration.ofSeconds(30),
                        Duration.ofSeconds(10), 4, "", ""),
                new Poll(pollInterval, Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(5),
                        pollInterval.multipliedBy(3)),
                new Limits(1000, 1000),
                new Labels(UsernameMode.PLAIN, ClientIpMode.PLAIN, ""),
                new Metrics(List.of(30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 43200.0,
                        86400.0), true),
                new State(""),
                new Otlp(false, "", Duration.ofSeconds(60), Map.of()),
                new Admin(false, ""),
                List.of(),
                new Shard(1, 0),
                SimulatorSettings.defaults());
    }

    /**
     * Loads {@code file} (or only defaults when null), then applies the environment overrides in {@code env}
     * (key path upper-cased, '.' as '_'; variables that match no key are ignored), and validates the result.
     *
     * @param file the YAML file, or null for defaults plus environment
     * @param env  the environment, normally {@code System.getenv()}
     * @throws ConfigException the first mistake: its message names the key (or variable) and the line
     */
    public static AgentConfig load(Path file, Map<String, String> env) throws ConfigException {
        Config tree = Config.empty();
        YamlStructure structure = YamlStructure.empty();
        if (file != null) {
            String content = read(file);
            String fileName = file.toString();
            structure = YamlStructure.check(content, fileName);
            tree = helidon(content, fileName);
        }
        return build(new ConfigReader(tree, structure, env), env);
    }

    /**
     * Environment variable to the key path it overrides, sorted by variable name, for help texts and docs.
     * List keys take comma-separated values.
     */
    public static Map<String, String> environmentVariables() {
        return ConfigSchema.envVariables();
    }

    private static String read(Path file) throws ConfigException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), 0, "no such file");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file.toString(), 0, "not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "cannot read: " + e);
        }
    }

    /**
     * The file's values through Helidon Config, and nothing else: no environment or system property sources
     * (the environment is layered by {@link ConfigReader} with our naming rule), no {@code ${...}} resolution
     * (a header value may contain it), no service-loaded parsers, filters or mappers.
     */
    private static Config helidon(String content, String fileName) throws ConfigException {
        try {
            return Config.builder()
                    .sources(ConfigSources.create(content, MediaTypes.APPLICATION_X_YAML))
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .disableValueResolving()
                    .disableKeyResolving()
                    .disableParserServices()
                    .addParser(YamlConfigParser.create())
                    .disableFilterServices()
                    .disableMapperServices()
                    .disableCaching()
                    .build();
        } catch (io.helidon.config.ConfigException e) {
            // SnakeYAML composed the file already, so this is a value it cannot construct (e.g. an unknown !!tag).
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof MarkedYAMLException marked) {
                    throw YamlStructure.syntaxError(marked, fileName);
                }
            }
            throw new ConfigException(fileName, 0, "cannot read the YAML: " + e.getMessage());
        }
    }

    private static AgentConfig build(ConfigReader r, Map<String, String> env) throws ConfigException {
        AgentConfig d = defaults();
        Server server = new Server(
                string(r, "server.host", d.server().host(), true),
                integer(r, "server.port", d.server().port(), 1, 65535));
        Web web = new Web(string(r, "web.config_file", d.web().configFile(), false));
        Optional<RawValue> sourceValue = r.scalar("source");
        Source source = sourceValue.isPresent() ? sourceValue.get().enumValue(Source.class) : d.source();
        Aws aws = aws(r, d.aws());
        Poll poll = poll(r, d.poll());
        Limits limits = new Limits(
                integer(r, "limits.max_users_per_portal", d.limits().maxUsersPerPortal(), 0, Integer.MAX_VALUE),
                integer(r, "limits.max_client_ips_per_portal", d.limits().maxClientIpsPerPortal(), 0,
                        Integer.MAX_VALUE));
        Labels labels = labels(r, d.labels());
        Metrics metrics = metrics(r, d.metrics());
        State state = new State(string(r, "state.path", d.state().path(), false));
        Otlp otlp = otlp(r, d.otlp(), env);
        Admin admin = admin(r, d.admin());
        List<Policy> policies = policies(r);
        Shard shard = shard(r, d.shard());
        SimulatorSettings simulator = simulator(r, d.simulator());
        if (source == Source.SIMULATOR && simulator.port() != 0 && simulator.port() == server.port()) {
            throw r.origin("simulator.port", Integer.toString(simulator.port()))
                    .error("the embedded simulator cannot listen on server.port " + server.port());
        }
        return new AgentConfig(server, web, source, aws, poll, limits, labels, metrics, state, otlp, admin, policies,
                shard, simulator);
    }

    private static Aws aws(ConfigReader r, Aws d) throws ConfigException {
        List<String> regions = new ArrayList<>();
        Optional<List<RawValue>> regionValues = r.list("aws.regions");
        if (regionValues.isPresent()) {
            for (RawValue value : regionValues.get()) {
                String region = value.nonEmptyString();
                if (!REGION.matcher(region).matches()) {
                    throw value.error("not an AWS region: '" + region + "' (e.g. us-east-1)");
                }
                if (regions.contains(region)) {
                    throw value.error("region '" + region + "' is listed twice");
                }
                regions.add(region);
            }
            if (regions.isEmpty()) {
                throw r.origin("aws.regions", "[]").error("needs at least one region, e.g. [us-east-1]");
            }
        } else {
            regions.addAll(d.regions());
        }
        List<String> portals = new ArrayList<>();
        for (RawValue value : r.list("aws.portals").orElse(List.of())) {
            String portal = value.nonEmptyString();
            if (portal.startsWith("arn:")) {
                if (!PORTAL_ARN.matcher(portal).matches()) {
                    throw value.error("not a portal ARN: '" + portal + "' (expected arn:<partition>:workspaces-web:"
                            + "<region>:<12-digit account>:portal/<36 characters of a-z, A-Z, 0-9, ->)");
                }
            } else if (!PORTAL_ID.matcher(portal).matches()) {
                throw value.error("not a portal ID or ARN: '" + portal
                        + "' (a portal ID is 36 characters of a-z, A-Z, 0-9 and -)");
            }
            if (portals.contains(portal)) {
                throw value.error("portal '" + portal + "' is listed twice");
            }
            portals.add(portal);
        }
        String endpoint = url(r, "aws.endpoint", d.endpoint());
        String roleArn = string(r, "aws.role_arn", d.roleArn(), false).strip();
        if (!roleArn.isEmpty() && !ROLE_ARN.matcher(roleArn).matches()) {
            throw r.origin("aws.role_arn", roleArn)
                    .error("not an IAM role ARN: '" + roleArn + "' (expected arn:aws:iam::<12-digit account>:role/<name>)");
        }
        return new Aws(
                regions,
                endpoint,
                portals,
                decimal(r, "aws.max_requests_per_second", d.maxRequestsPerSecond(), 0, Double.MAX_VALUE),
                integer(r, "aws.max_concurrency", d.maxConcurrency(), 1, Integer.MAX_VALUE),
                integer(r, "aws.page_size", d.pageSize(), 1, Integer.MAX_VALUE),
                duration(r, "aws.api_call_timeout", d.apiCallTimeout(), POSITIVE),
                duration(r, "aws.api_call_attempt_timeout", d.apiCallAttemptTimeout(), POSITIVE),
                integer(r, "aws.max_attempts", d.maxAttempts(), 1, Integer.MAX_VALUE),
                roleArn,
                string(r, "aws.external_id", d.externalId(), false));
    }

    private static Poll poll(ConfigReader r, Poll d) throws ConfigException {
        Duration interval = duration(r, "poll.interval", d.interval(), POSITIVE);
        Duration staleAfter = duration(r, "poll.stale_after", Duration.ZERO, Duration.ZERO);
        return new Poll(
                interval,
                duration(r, "poll.ip_refresh_interval", d.ipRefreshInterval(), Duration.ZERO),
                duration(r, "poll.overlap", d.overlap(), Duration.ZERO),
                duration(r, "poll.discovery_interval", d.discoveryInterval(), POSITIVE),
                staleAfter.isZero() ? interval.multipliedBy(3) : staleAfter);
    }

    private static Labels labels(ConfigReader r, Labels d) throws ConfigException {
        Optional<RawValue> usernameValue = r.scalar("labels.username");
        Optional<RawValue> clientIpValue = r.scalar("labels.client_ip");
        UsernameMode username = usernameValue.isPresent()
                ? usernameValue.get().enumValue(UsernameMode.class) : d.username();
        ClientIpMode clientIp = clientIpValue.isPresent()
                ? clientIpValue.get().enumValue(ClientIpMode.class) : d.clientIp();
        String hashKey = string(r, "labels.hash_key", d.hashKey(), false);
        if (hashKey.isBlank()) {
            if (username == UsernameMode.HASH) {
                throw r.origin("labels.username", "hash")
                        .error("mode hash needs labels.hash_key (the HMAC key), which is empty");
            }
            if (clientIp == ClientIpMode.HASH) {
                throw r.origin("labels.client_ip", "hash")
                        .error("mode hash needs labels.hash_key (the HMAC key), which is empty");
            }
        }
        return new Labels(username, clientIp, hashKey);
    }

    private static Metrics metrics(ConfigReader r, Metrics d) throws ConfigException {
        List<Double> buckets = new ArrayList<>();
        Optional<List<RawValue>> values = r.list("metrics.duration_buckets");
        if (values.isPresent()) {
            for (RawValue value : values.get()) {
                double bound = value.decimal(0, Double.MAX_VALUE);
                if (bound == 0) {
                    throw value.error("bucket bounds are seconds and must be greater than 0");
                }
                if (!buckets.isEmpty() && bound <= buckets.getLast()) {
                    throw value.error("bucket bounds must be strictly increasing, but " + value.text().strip()
                            + " follows " + format(buckets.getLast()));
                }
                buckets.add(bound);
            }
            if (buckets.isEmpty()) {
                throw r.origin("metrics.duration_buckets", "[]").error("needs at least one bucket bound (seconds)");
            }
        } else {
            buckets.addAll(d.durationBuckets());
        }
        return new Metrics(buckets, bool(r, "metrics.native_histograms", d.nativeHistograms()));
    }

    private static Otlp otlp(ConfigReader r, Otlp d, Map<String, String> env) throws ConfigException {
        boolean enabled = bool(r, "otlp.enabled", d.enabled());
        String endpoint = url(r, "otlp.endpoint", d.endpoint());
        if (endpoint.isEmpty()) {
            endpoint = otelEndpoint(env);
        }
        if (enabled && endpoint.isEmpty()) {
            throw r.origin("otlp.enabled", "true").error("OTLP push is enabled but otlp.endpoint is empty (set it, "
                    + "or OTLP_ENDPOINT, or " + OTEL_ENDPOINT_VAR + ")");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        collectHeaders(r, r.fileNode("otlp.headers"), "", headers);
        return new Otlp(enabled, endpoint, duration(r, "otlp.interval", d.interval(), POSITIVE), headers);
    }

    /** The OpenTelemetry SDK convention: the signal-specific URL as is, the generic base URL plus the signal path. */
    private static String otelEndpoint(Map<String, String> env) throws ConfigException {
        String metrics = env.getOrDefault(OTEL_METRICS_ENDPOINT_VAR, "").strip();
        if (!metrics.isEmpty()) {
            return checkUrl(new RawValue(metrics, OTEL_METRICS_ENDPOINT_VAR + " (environment)", 0));
        }
        String base = env.getOrDefault(OTEL_ENDPOINT_VAR, "").strip();
        if (!base.isEmpty()) {
            checkUrl(new RawValue(base, OTEL_ENDPOINT_VAR + " (environment)", 0));
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/metrics";
        }
        return "";
    }

    /**
     * Header names may contain dots, which Helidon Config turns into nested nodes: flatten them back. YamlStructure
     * has already made sure that every header is a single value.
     */
    private static void collectHeaders(ConfigReader r, Config node, String prefix, Map<String, String> out)
            throws ConfigException {
        if (node.type() != Config.Type.OBJECT) {
            return;
        }
        for (Config child : node.asNodeList().get()) {
            String name = prefix + child.name();
            if (child.type() == Config.Type.OBJECT) {
                collectHeaders(r, child, name + ".", out);
                continue;
            }
            String keyPath = "otlp.headers." + name;
            RawValue value = r.fileScalar(child, keyPath).orElse(new RawValue("", keyPath, r.line(keyPath)));
            if (!HEADER_NAME.matcher(name).matches()) {
                throw value.error("not a valid HTTP header name: '" + name + "'");
            }
            out.put(name, value.string());
        }
    }

    private static Admin admin(ConfigReader r, Admin d) throws ConfigException {
        boolean enabled = bool(r, "admin.enabled", d.enabled());
        String tokenFile = string(r, "admin.token_file", d.tokenFile(), false);
        if (enabled && tokenFile.isBlank()) {
            throw r.origin("admin.enabled", "true")
                    .error("the admin API is enabled but admin.token_file is empty (the API needs a bearer token)");
        }
        return new Admin(enabled, tokenFile);
    }

    private static List<Policy> policies(ConfigReader r) throws ConfigException {
        Config node = r.fileNode("policies");
        if (node.type() != Config.Type.LIST) {
            return List.of();
        }
        List<Policy> policies = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        List<Config> entries = node.asNodeList().get();
        for (int i = 0; i < entries.size(); i++) {
            policies.add(policy(r, entries.get(i), "policies[" + i + "]", names));
        }
        return policies;
    }

    private static Policy policy(ConfigReader r, Config entry, String path, Map<String, String> names)
            throws ConfigException {
        RawValue whole = new RawValue("", path, r.line(path));
        Optional<RawValue> nameValue = r.fileScalar(entry.get("name"), path + ".name");
        if (nameValue.isEmpty()) {
            throw whole.error("a policy needs a name");
        }
        String name = nameValue.get().nonEmptyString();
        String previous = names.putIfAbsent(name, path);
        if (previous != null) {
            throw nameValue.get().error("duplicate policy name '" + name + "' (also " + previous + ")");
        }
        List<String> rules = new ArrayList<>();
        Duration maxSessionDuration = null;
        Optional<RawValue> durationValue = r.fileScalar(entry.get("max_session_duration"),
                path + ".max_session_duration");
        if (durationValue.isPresent()) {
            rules.add("max_session_duration");
            maxSessionDuration = durationValue.get().duration(POSITIVE);
        }
        List<String> cidrs = null;
        Optional<List<RawValue>> cidrValues = r.fileList(entry.get("deny_client_cidrs"), path + ".deny_client_cidrs");
        if (cidrValues.isPresent()) {
            rules.add("deny_client_cidrs");
            cidrs = new ArrayList<>();
            for (RawValue value : cidrValues.get()) {
                try {
                    cidrs.add(Cidr.parse(value.text()).toString());
                } catch (IllegalArgumentException e) {
                    throw value.error(e.getMessage());
                }
            }
            if (cidrs.isEmpty()) {
                throw new RawValue("", path + ".deny_client_cidrs", r.line(path + ".deny_client_cidrs"))
                        .error("needs at least one CIDR, e.g. [10.0.0.0/8]");
            }
        }
        Integer maxSessionsPerUser = null;
        Optional<RawValue> sessionsValue = r.fileScalar(entry.get("max_sessions_per_user"),
                path + ".max_sessions_per_user");
        if (sessionsValue.isPresent()) {
            rules.add("max_sessions_per_user");
            maxSessionsPerUser = sessionsValue.get().integer(1, Integer.MAX_VALUE);
        }
        if (rules.size() != 1) {
            throw whole.error("policy '" + name + "' needs exactly one rule of max_session_duration, "
                    + "deny_client_cidrs, max_sessions_per_user; got "
                    + (rules.isEmpty() ? "none" : String.join(" and ", rules)));
        }
        Optional<RawValue> dryRunValue = r.fileScalar(entry.get("dry_run"), path + ".dry_run");
        boolean dryRun = dryRunValue.isEmpty() || dryRunValue.get().bool();
        return new Policy(name, maxSessionDuration, cidrs, maxSessionsPerUser, dryRun);
    }

    private static Shard shard(ConfigReader r, Shard d) throws ConfigException {
        int count = integer(r, "shard.count", d.count(), 1, Integer.MAX_VALUE);
        Optional<RawValue> indexValue = r.scalar("shard.index");
        int index = d.index();
        if (indexValue.isPresent()) {
            RawValue value = indexValue.get();
            if (value.text().strip().equalsIgnoreCase("auto")) {
                return new Shard(count, Shards.AUTO);
            }
            try {
                index = value.integer(0, Integer.MAX_VALUE);
            } catch (ConfigException e) {
                throw value.error("must be a number from 0 to shard.count - 1, or auto, got '" + value.text() + "'");
            }
        }
        if (index >= count) {
            throw r.origin("shard.index", Integer.toString(index))
                    .error("must be less than shard.count (" + count + "), got " + index);
        }
        return new Shard(count, index);
    }

    private static SimulatorSettings simulator(ConfigReader r, SimulatorSettings d) throws ConfigException {
        String region = string(r, "simulator.region", d.region(), true);
        if (!REGION.matcher(region).matches()) {
            throw r.origin("simulator.region", region).error("not an AWS region: '" + region + "' (e.g. us-east-1)");
        }
        String accountId = string(r, "simulator.account_id", d.accountId(), true);
        if (!ACCOUNT_ID.matcher(accountId).matches()) {
            throw r.origin("simulator.account_id", accountId)
                    .error("must be 12 digits (quote it in YAML: \"012345678901\"), got '" + accountId + "'");
        }
        int portals = integer(r, "simulator.portals", d.portals(), 0, Integer.MAX_VALUE);
        int defaultPageSize = integer(r, "simulator.default_page_size", d.defaultPageSize(), 1, Integer.MAX_VALUE);
        int maxPageSize = integer(r, "simulator.max_page_size", d.maxPageSize(), 1, Integer.MAX_VALUE);
        if (maxPageSize < defaultPageSize) {
            throw r.origin("simulator.max_page_size", Integer.toString(maxPageSize)).error(
                    "must be at least simulator.default_page_size (" + defaultPageSize + "), got " + maxPageSize);
        }
        Optional<RawValue> seedValue = r.scalar("simulator.seed");
        return new SimulatorSettings(
                seedValue.isPresent() ? seedValue.get().longValue() : d.seed(),
                integer(r, "simulator.port", d.port(), 0, 65535),
                region,
                accountId,
                portals,
                integer(r, "simulator.users", d.users(), 1, Integer.MAX_VALUE),
                decimal(r, "simulator.arrivals_per_minute", d.arrivalsPerMinute(), 0, Double.MAX_VALUE),
                duration(r, "simulator.median_session_duration", d.medianSessionDuration(), POSITIVE),
                decimal(r, "simulator.duration_sigma", d.durationSigma(), 0, Double.MAX_VALUE),
                integer(r, "simulator.initial_active_sessions", d.initialActiveSessions(), 0, Integer.MAX_VALUE),
                integer(r, "simulator.history_sessions", d.historySessions(), 0, Integer.MAX_VALUE),
                integer(r, "simulator.max_ips_per_session", d.maxIpsPerSession(), 1, Integer.MAX_VALUE),
                defaultPageSize,
                maxPageSize,
                faults(r, d.faults(), portals));
    }

    private static SimulatorSettings.Faults faults(ConfigReader r, SimulatorSettings.Faults d, int portals)
            throws ConfigException {
        List<Integer> accessDenied = new ArrayList<>(d.accessDeniedPortals());
        Optional<List<RawValue>> values = r.list("simulator.faults.access_denied_portals");
        if (values.isPresent()) {
            accessDenied.clear();
            for (RawValue value : values.get()) {
                int index = value.integer(0, Integer.MAX_VALUE);
                if (index >= portals) {
                    throw value.error("portal index " + index + " does not exist: simulator.portals is " + portals
                            + " (indexes start at 0)");
                }
                if (accessDenied.contains(index)) {
                    throw value.error("portal index " + index + " is listed twice");
                }
                accessDenied.add(index);
            }
        }
        return new SimulatorSettings.Faults(
                decimal(r, "simulator.faults.throttle_probability", d.throttleProbability(), 0, 1),
                decimal(r, "simulator.faults.internal_error_probability", d.internalErrorProbability(), 0, 1),
                decimal(r, "simulator.faults.expired_token_probability", d.expiredTokenProbability(), 0, 1),
                duration(r, "simulator.faults.latency", d.latency(), Duration.ZERO),
                accessDenied,
                integer(r, "simulator.faults.retry_after_seconds", d.retryAfterSeconds(), 0, Integer.MAX_VALUE));
    }

    // --- typed lookups with defaults -------------------------------------------------------------------------

    private static String string(ConfigReader r, String key, String fallback, boolean required)
            throws ConfigException {
        Optional<RawValue> value = r.scalar(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return required ? value.get().nonEmptyString() : value.get().string();
    }

    private static int integer(ConfigReader r, String key, int fallback, int min, int max) throws ConfigException {
        Optional<RawValue> value = r.scalar(key);
        return value.isPresent() ? value.get().integer(min, max) : fallback;
    }

    private static double decimal(ConfigReader r, String key, double fallback, double min, double max)
            throws ConfigException {
        Optional<RawValue> value = r.scalar(key);
        return value.isPresent() ? value.get().decimal(min, max) : fallback;
    }

    private static boolean bool(ConfigReader r, String key, boolean fallback) throws ConfigException {
        Optional<RawValue> value = r.scalar(key);
        return value.isPresent() ? value.get().bool() : fallback;
    }

    private static Duration duration(ConfigReader r, String key, Duration fallback, Duration min)
            throws ConfigException {
        Optional<RawValue> value = r.scalar(key);
        return value.isPresent() ? value.get().duration(min) : fallback;
    }

    /** Empty, or an absolute http(s) URL with a host. */
    private static String url(ConfigReader r, String key, String fallback) throws ConfigException {
        Optional<RawValue> value = r.scalar(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return value.get().text().isBlank() ? "" : checkUrl(value.get());
    }

    private static String checkUrl(RawValue value) throws ConfigException {
        String text = value.text().strip();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return text;
            }
        } catch (URISyntaxException e) {
            // reported below, with what is expected
        }
        throw value.error("not an http(s) URL: '" + text + "' (e.g. http://localhost:4566)");
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
