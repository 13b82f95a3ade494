package dev.workspacesweb.exporter.config;

import static dev.workspacesweb.exporter.config.Check.atLeast;
import static dev.workspacesweb.exporter.config.Check.between;
import static dev.workspacesweb.exporter.config.Check.positive;
import static dev.workspacesweb.exporter.config.Check.problem;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workspacesweb.exporter.config.Check.Validated;
import dev.workspacesweb.exporter.config.ConfigKeys.FileOnly;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The whole, validated, immutable configuration of the agent: the schema of {@code config.yaml}, declared once. Each
 * record is one section; each component is one key, named in snake_case ({@code maxUsersPerPortal} is
 * {@code max_users_per_portal}) and overridable by the environment variable of its path ({@code LIMITS_MAX_USERS_PER_PORTAL})
 * unless marked {@link FileOnly}. Each record's {@code validate()} holds its rules (keys named relative to the record);
 * {@link YamlDocument} runs it as the record is bound, so a loaded configuration is valid, while code (tests) may build
 * records freely, e.g. with port 0. The defaults live in {@code defaults.yaml} beside this class. {@link ConfigLoader}
 * binds file and environment to these records.
 *
 * <p>To add a key: add the component here (with its rule in {@code validate()}), its default to {@code defaults.yaml},
 * and document it in {@code config.yaml} and README.md (DocumentationTest checks both).
 */
public record AgentConfig(
        Server server,
        Web web,
        Source source,
        Aws aws,
        Poll poll,
        Limits limits,
        Labels labels,
        Metrics metrics,
        State state,
        Otlp otlp,
        Admin admin,
        List<Policy> policies,
        Shard shard,
        Simulator simulator,
        Log log,
        Geoip geoip) implements Validated {

    private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");

    public AgentConfig {
        policies = List.copyOf(policies);
        geoip = geoip == null ? Geoip.NONE : geoip;
    }

    @Override
    public void validate() {
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            Integer first = names.putIfAbsent(policies.get(i).name(), i);
            if (first != null) {
                throw problem("policies[" + i + "].name", "duplicate policy name '" + policies.get(i).name()
                        + "' (also policies[" + first + "])");
            }
        }
        for (int i = 0; i < policies.size(); i++) {
            Policy p = policies.get(i);
            if ((p.denyCountries() != null || p.allowCountries() != null) && geoip.countryDatabase().isBlank()) {
                throw problem("policies[" + i + "]." + (p.denyCountries() != null ? "deny_countries" : "allow_countries"),
                        "needs geoip.country_database (a country or city database)");
            }
        }
        if (source == Source.SIMULATOR && simulator.port() != 0 && simulator.port() == server.port()) {
            throw problem("simulator.port", "the embedded simulator cannot listen on server.port " + server.port());
        }
    }

    /** Where session data comes from: the real service, or the embedded simulator (invented sessions). */
    public enum Source { SIMULATOR, AWS }

    /** {@code server.*}: where /metrics and the other endpoints listen. */
    public record Server(String host, int port) implements Validated {
        @Override
        public void validate() {
            Check.nonEmpty("host", host);
            between("port", port, 1, 65535);
        }
    }

    /** {@code web.config_file}: exporter-toolkit web config (TLS, basic auth); empty = plain HTTP, no auth. */
    public record Web(String configFile) {}

    /**
     * {@code aws.*}. {@code portals} empty means discover every portal with ListPortals in every region; a bare
     * portal id is in the first of {@code regions}.
     */
    public record Aws(
            List<String> regions,
            String endpoint,
            List<PortalRef> portals,
            double maxRequestsPerSecond,
            int maxConcurrency,
            int pageSize,
            Duration apiCallTimeout,
            Duration apiCallAttemptTimeout,
            int maxAttempts,
            // AWS_ROLE_ARN is the SDK's own web-identity variable (EKS IRSA injects it): never ours.
            @FileOnly String roleArn,
            String externalId,
            List<Account> accounts) implements Validated {
        private static final Pattern ROLE_ARN = Pattern.compile("arn:[a-z][a-z0-9-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");

        public Aws {
            regions = List.copyOf(regions);
            portals = List.copyOf(portals);
            List<String> defaultRegions = regions;
            accounts = accounts == null ? List.of()
                    : accounts.stream().map(a -> a.withDefaultRegions(defaultRegions)).toList();
            endpoint = endpoint.strip();
            roleArn = roleArn.strip();
        }

        @Override
        public void validate() {
            if (regions.isEmpty()) {
                throw problem("regions", "needs at least one region, e.g. [us-east-1]");
            }
            for (int i = 0; i < regions.size(); i++) {
                Check.matches("regions[" + i + "]", regions.get(i), REGION,
                        "not an AWS region: '" + regions.get(i) + "' (e.g. us-east-1)");
            }
            Check.unique("regions", regions, "region");
            Check.unique("portals", portals, "portal");
            Check.url("endpoint", endpoint);
            atLeast("max_requests_per_second", maxRequestsPerSecond, 0);
            atLeast("max_concurrency", maxConcurrency, 1);
            atLeast("page_size", pageSize, 1);
            positive("api_call_timeout", apiCallTimeout);
            positive("api_call_attempt_timeout", apiCallAttemptTimeout);
            atLeast("max_attempts", maxAttempts, 1);
            if (!roleArn.isEmpty()) {
                Check.matches("role_arn", roleArn, ROLE_ARN,
                        "not an IAM role ARN: '" + roleArn + "' (expected arn:aws:iam::<12-digit account>:role/<name>)");
                if (!accounts.isEmpty()) {
                    throw problem("role_arn", "set either aws.role_arn (the one-account shorthand) or aws.accounts, "
                            + "not both");
                }
            }
            Map<String, Integer> roles = new HashMap<>();
            for (int i = 0; i < accounts.size(); i++) {
                Integer first = roles.putIfAbsent(accounts.get(i).roleArn(), i);
                if (first != null) {
                    throw problem("accounts[" + i + "].role_arn", "the role of accounts[" + first + "] again");
                }
            }
        }

        /** Without {@code aws.accounts}: the one account of the base credentials, or of {@code role_arn}. */
        public Aws(List<String> regions, String endpoint, List<PortalRef> portals, double maxRequestsPerSecond,
                int maxConcurrency, int pageSize, Duration apiCallTimeout, Duration apiCallAttemptTimeout,
                int maxAttempts, String roleArn, String externalId) {
            this(regions, endpoint, portals, maxRequestsPerSecond, maxConcurrency, pageSize, apiCallTimeout,
                    apiCallAttemptTimeout, maxAttempts, roleArn, externalId, List.of());
        }

        /**
         * The accounts to poll: {@code aws.accounts}, or else the one account of {@code role_arn} (the shorthand;
         * an empty role = the base credentials as they are) with the top-level regions and portals.
         */
        public List<Account> effectiveAccounts() {
            return accounts.isEmpty() ? List.of(new Account(roleArn, externalId, regions, portals)) : accounts;
        }
    }

    /**
     * {@code aws.accounts[]}: one AWS account, reached with the credentials of {@code role_arn} assumed through STS
     * on top of the base credentials. {@code regions} defaults to the top-level {@code aws.regions}, {@code portals}
     * to discovery (empty), {@code external_id} to none.
     */
    public record Account(String roleArn, String externalId, List<String> regions, List<PortalRef> portals)
            implements Validated {
        private static final Pattern ROLE_ARN = Pattern.compile("arn:[a-z][a-z0-9-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");

        public Account {
            roleArn = roleArn == null ? null : roleArn.strip();
            externalId = externalId == null ? "" : externalId;
            regions = regions == null ? List.of() : List.copyOf(regions);
            portals = portals == null ? List.of() : List.copyOf(portals);
        }

        Account withDefaultRegions(List<String> defaults) {
            return regions.isEmpty() ? new Account(roleArn, externalId, defaults, portals) : this;
        }

        @Override
        public void validate() {
            if (roleArn == null || roleArn.isEmpty()) {
                throw problem("", "an account needs the role_arn to assume (arn:aws:iam::<12-digit account>:role/<name>)");
            }
            Check.matches("role_arn", roleArn, ROLE_ARN,
                    "not an IAM role ARN: '" + roleArn + "' (expected arn:aws:iam::<12-digit account>:role/<name>)");
            for (int i = 0; i < regions.size(); i++) {
                Check.matches("regions[" + i + "]", regions.get(i), REGION,
                        "not an AWS region: '" + regions.get(i) + "' (e.g. us-east-1)");
            }
            Check.unique("regions", regions, "region");
            Check.unique("portals", portals, "portal");
        }

        /** The 12-digit account of the role ARN, or "" without a role (the base credentials' account). */
        public String accountId() {
            String[] parts = roleArn == null ? new String[0] : roleArn.split(":", 6);
            return parts.length >= 6 ? parts[4] : "";
        }
    }

    /**
     * {@code poll.*}. A zero {@code ipRefreshInterval} never refreshes client IPs after the first fetch.
     * {@code staleAfter} is always positive: {@code stale_after: 0s} means 3 x {@code interval}.
     */
    public record Poll(
            Duration interval,
            Duration ipRefreshInterval,
            Duration overlap,
            Duration discoveryInterval,
            Duration staleAfter) implements Validated {
        public Poll {
            staleAfter = staleAfter.isZero() ? interval.multipliedBy(3) : staleAfter;
        }

        @Override
        public void validate() {
            positive("interval", interval);
            positive("discovery_interval", discoveryInterval);
        }
    }

    /**
     * {@code limits.*}: caps on per-user, per-IP and per-network series per portal; the rest is folded into
     * {@code __other__}.
     */
    public record Limits(int maxUsersPerPortal, int maxClientIpsPerPortal, int maxAsnsPerPortal) implements Validated {
        /** With the default cap on networks (200). */
        public Limits(int maxUsersPerPortal, int maxClientIpsPerPortal) {
            this(maxUsersPerPortal, maxClientIpsPerPortal, 200);
        }

        @Override
        public void validate() {
            atLeast("max_users_per_portal", maxUsersPerPortal, 0);
            atLeast("max_client_ips_per_portal", maxClientIpsPerPortal, 0);
            atLeast("max_asns_per_portal", maxAsnsPerPortal, 0);
        }
    }

    /**
     * {@code geoip.*}: MaxMind DB files (GeoLite2 / GeoIP2 Country or City and ASN, DB-IP, ip-location-db); empty =
     * none, and no GeoIP metrics. The files are opened (and refused with exit code 2) at start-up.
     */
    public record Geoip(String countryDatabase, String asnDatabase) {
        public static final Geoip NONE = new Geoip("", "");

        public Geoip {
            countryDatabase = countryDatabase == null ? "" : countryDatabase;
            asnDatabase = asnDatabase == null ? "" : asnDatabase;
        }
    }

    public enum UsernameMode { PLAIN, HASH, DROP }

    public enum ClientIpMode { PLAIN, HASH, PREFIX, DROP }

    /** {@code labels.*}: how usernames and client IPs appear as label values. */
    public record Labels(UsernameMode username, ClientIpMode clientIp, String hashKey) implements Validated {
        @Override
        public void validate() {
            if (hashKey.isBlank() && username == UsernameMode.HASH) {
                throw problem("username", "mode hash needs labels.hash_key (the HMAC key), which is empty");
            }
            if (hashKey.isBlank() && clientIp == ClientIpMode.HASH) {
                throw problem("client_ip", "mode hash needs labels.hash_key (the HMAC key), which is empty");
            }
        }
    }

    /** {@code metrics.*}: classic bucket bounds of the duration histogram, in seconds. */
    public record Metrics(List<Double> durationBuckets, boolean nativeHistograms) implements Validated {
        public Metrics {
            durationBuckets = List.copyOf(durationBuckets);
        }

        @Override
        public void validate() {
            if (durationBuckets.isEmpty()) {
                throw problem("duration_buckets", "needs at least one bucket bound (seconds)");
            }
            for (int i = 0; i < durationBuckets.size(); i++) {
                double bound = durationBuckets.get(i);
                String key = "duration_buckets[" + i + "]";
                if (!(bound > 0) || !Double.isFinite(bound)) {
                    throw problem(key, "bucket bounds are seconds and must be greater than 0");
                }
                if (i > 0 && bound <= durationBuckets.get(i - 1)) {
                    throw problem(key, "bucket bounds must be strictly increasing, but " + Check.format(bound)
                            + " follows " + Check.format(durationBuckets.get(i - 1)));
                }
            }
        }
    }

    /** {@code state.path}: where poll state is persisted; empty = in memory only. */
    public record State(String path) {}

    /** {@code otlp.*}: optional OTLP/HTTP push. */
    public record Otlp(boolean enabled, String endpoint, Duration interval, @FileOnly Map<String, String> headers)
            implements Validated {
        /** RFC 9110 token: the characters of an HTTP header name. */
        private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

        public Otlp {
            endpoint = endpoint.strip();
            headers = Map.copyOf(headers);
        }

        @Override
        public void validate() {
            Check.url("endpoint", endpoint);
            if (enabled && endpoint.isEmpty()) {
                throw problem("enabled", "OTLP push is enabled but otlp.endpoint is empty (set it, or OTLP_ENDPOINT, "
                        + "or " + ConfigLoader.OTEL_ENDPOINT_VAR + ")");
            }
            positive("interval", interval);
            for (String name : headers.keySet()) {
                Check.matches("headers." + name, name, HEADER_NAME, "not a valid HTTP header name: '" + name + "'");
            }
        }
    }

    /** {@code admin.*}: the session-control HTTP API, off by default. */
    public record Admin(boolean enabled, String tokenFile) implements Validated {
        @Override
        public void validate() {
            if (enabled && tokenFile.isBlank()) {
                throw problem("enabled",
                        "the admin API is enabled but admin.token_file is empty (the API needs a bearer token)");
            }
        }
    }

    /**
     * One entry of {@code policies}: a name, exactly one rule (the others are null) and {@code dryRun}, true unless
     * set to false. {@code denyCountries} / {@code allowCountries} hold ISO 3166-1 alpha-2 codes, upper case.
     */
    public record Policy(
            String name,
            Duration maxSessionDuration,
            List<Cidr> denyClientCidrs,
            Integer maxSessionsPerUser,
            List<String> denyCountries,
            List<String> allowCountries,
            Boolean dryRun) implements Validated {
        private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

        public Policy {
            dryRun = dryRun == null || dryRun;
            denyClientCidrs = denyClientCidrs == null ? null : List.copyOf(denyClientCidrs);
            denyCountries = countryCodes(denyCountries);
            allowCountries = countryCodes(allowCountries);
        }

        /** A policy of one of the rules that need no GeoIP database. */
        public Policy(String name, Duration maxSessionDuration, List<Cidr> denyClientCidrs, Integer maxSessionsPerUser,
                Boolean dryRun) {
            this(name, maxSessionDuration, denyClientCidrs, maxSessionsPerUser, null, null, dryRun);
        }

        private static List<String> countryCodes(List<String> codes) {
            // Two letters in any case are a code; anything else stays as written, for validate() to name it.
            return codes == null ? null : codes.stream().map(c -> c == null ? "" : c.strip())
                    .map(c -> c.matches("[A-Za-z]{2}") ? c.toUpperCase(java.util.Locale.ROOT) : c).toList();
        }

        @Override
        public void validate() {
            if (name == null) {
                throw problem("", "a policy needs a name");
            }
            Check.nonEmpty("name", name);
            List<String> rules = new ArrayList<>();
            if (maxSessionDuration != null) {
                rules.add("max_session_duration");
                positive("max_session_duration", maxSessionDuration);
            }
            if (denyClientCidrs != null) {
                rules.add("deny_client_cidrs");
                if (denyClientCidrs.isEmpty()) {
                    throw problem("deny_client_cidrs", "needs at least one CIDR, e.g. [10.0.0.0/8]");
                }
            }
            if (maxSessionsPerUser != null) {
                rules.add("max_sessions_per_user");
                atLeast("max_sessions_per_user", maxSessionsPerUser, 1);
            }
            for (String key : List.of("deny_countries", "allow_countries")) {
                List<String> codes = key.equals("deny_countries") ? denyCountries : allowCountries;
                if (codes == null) {
                    continue;
                }
                rules.add(key);
                if (codes.isEmpty()) {
                    throw problem(key, "needs at least one country code, e.g. [DE, FR]");
                }
                for (int i = 0; i < codes.size(); i++) {
                    Check.matches(key + "[" + i + "]", codes.get(i), COUNTRY,
                            "not an ISO 3166-1 alpha-2 country code: '" + codes.get(i) + "' (e.g. DE, US)");
                }
            }
            if (rules.size() != 1) {
                throw problem("", "policy '" + name + "' needs exactly one rule of max_session_duration, "
                        + "deny_client_cidrs, max_sessions_per_user, deny_countries, allow_countries; got "
                        + (rules.isEmpty() ? "none" : String.join(" and ", rules)));
            }
        }
    }

    /** {@code shard.*}: {@code index} is {@link #AUTO} when configured as {@code auto} and resolved at start-up. */
    public record Shard(int count, int index) implements Validated {
        /** The value of {@code index} when configured as {@code auto}: resolved from the host name at start-up. */
        public static final int AUTO = -1;

        @Override
        public void validate() {
            atLeast("count", count, 1);
            if (index != AUTO && (index < 0 || index >= count)) {
                throw problem("index", "must be less than shard.count (" + count + "), got " + index);
            }
        }

        /** From the file: {@code index} is a number or {@code auto}. */
        @JsonCreator
        static Shard of(@JsonProperty("count") int count, @JsonProperty("index") String index) {
            String text = index.strip();
            if (text.equalsIgnoreCase("auto")) {
                return new Shard(count, AUTO);
            }
            try {
                return new Shard(count, Integer.parseInt(text));
            } catch (NumberFormatException e) {
                throw problem("index", "must be a number from 0 to shard.count - 1, or auto, got '" + index + "'");
            }
        }
    }

    /**
     * {@code simulator.*}: the embedded simulator's workload and fault model, used when {@code source} is
     * simulator. The simulator maps it to its own settings; this package knows nothing of the simulator.
     */
    public record Simulator(
            long seed,
            int port,
            String region,
            String accountId,
            int portals,
            int users,
            double arrivalsPerMinute,
            Duration medianSessionDuration,
            double durationSigma,
            int initialActiveSessions,
            int historySessions,
            int maxIpsPerSession,
            int defaultPageSize,
            int maxPageSize,
            Faults faults,
            List<Account> accounts,
            List<Cidr> clientNetworks) implements Validated {
        private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

        /** {@code clientNetworks} null: the simulator's default networks. */
        public Simulator {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
            clientNetworks = clientNetworks == null ? null : List.copyOf(clientNetworks);
        }

        /** With the simulator's default client networks. */
        public Simulator(long seed, int port, String region, String accountId, int portals, int users,
                double arrivalsPerMinute, Duration medianSessionDuration, double durationSigma,
                int initialActiveSessions, int historySessions, int maxIpsPerSession, int defaultPageSize,
                int maxPageSize, Faults faults, List<Account> accounts) {
            this(seed, port, region, accountId, portals, users, arrivalsPerMinute, medianSessionDuration,
                    durationSigma, initialActiveSessions, historySessions, maxIpsPerSession, defaultPageSize,
                    maxPageSize, faults, accounts, null);
        }

        /** Only the default account. */
        public Simulator(long seed, int port, String region, String accountId, int portals, int users,
                double arrivalsPerMinute, Duration medianSessionDuration, double durationSigma,
                int initialActiveSessions, int historySessions, int maxIpsPerSession, int defaultPageSize,
                int maxPageSize, Faults faults) {
            this(seed, port, region, accountId, portals, users, arrivalsPerMinute, medianSessionDuration,
                    durationSigma, initialActiveSessions, historySessions, maxIpsPerSession, defaultPageSize,
                    maxPageSize, faults, List.of(), null);
        }

        /**
         * {@code simulator.accounts[]}: a simulated account besides the default one, with its own portals, reached
         * through the simulated STS by any role of it.
         */
        public record Account(String accountId, String region, Integer portals, String externalId)
                implements Validated {
            public Account {
                externalId = externalId == null ? "" : externalId;
                portals = portals == null ? 1 : portals;
            }

            @Override
            public void validate() {
                if (accountId == null) {
                    throw problem("", "a simulated account needs its account_id (12 digits, quoted)");
                }
                Check.matches("account_id", accountId, ACCOUNT_ID,
                        "must be 12 digits (quote it in YAML: \"012345678901\"), got '" + accountId + "'");
                if (region != null) {
                    Check.matches("region", region, REGION, "not an AWS region: '" + region + "' (e.g. us-east-1)");
                }
                atLeast("portals", portals, 0);
            }
        }

        @Override
        public void validate() {
            between("port", port, 0, 65535);
            Check.matches("region", region, REGION, "not an AWS region: '" + region + "' (e.g. us-east-1)");
            Check.matches("account_id", accountId, ACCOUNT_ID,
                    "must be 12 digits (quote it in YAML: \"012345678901\"), got '" + accountId + "'");
            atLeast("portals", portals, 0);
            atLeast("users", users, 1);
            atLeast("arrivals_per_minute", arrivalsPerMinute, 0);
            positive("median_session_duration", medianSessionDuration);
            atLeast("duration_sigma", durationSigma, 0);
            atLeast("initial_active_sessions", initialActiveSessions, 0);
            atLeast("history_sessions", historySessions, 0);
            atLeast("max_ips_per_session", maxIpsPerSession, 1);
            atLeast("default_page_size", defaultPageSize, 1);
            atLeast("max_page_size", maxPageSize, 1);
            if (maxPageSize < defaultPageSize) {
                throw problem("max_page_size", "must be at least simulator.default_page_size (" + defaultPageSize
                        + "), got " + maxPageSize);
            }
            if (clientNetworks != null && clientNetworks.isEmpty()) {
                throw problem("client_networks", "needs at least one network, e.g. [198.51.100.0/24]");
            }
            List<Integer> denied = faults.accessDeniedPortals();
            for (int i = 0; i < denied.size(); i++) {
                int all = portals + accounts.stream().mapToInt(Account::portals).sum();
                if (denied.get(i) >= all) {
                    throw problem("faults.access_denied_portals[" + i + "]", "portal index " + denied.get(i)
                            + " does not exist: the simulator has " + all + " portals (indexes start at 0)");
                }
            }
        }

        /** {@code simulator.faults.*}: fault injection, all off by default. */
        public record Faults(
                double throttleProbability,
                double internalErrorProbability,
                double expiredTokenProbability,
                Duration latency,
                List<Integer> accessDeniedPortals,
                int retryAfterSeconds,
                List<String> refusedRoles,
                List<String> accessDeniedAccounts) implements Validated {
            public Faults {
                accessDeniedPortals = List.copyOf(accessDeniedPortals);
                refusedRoles = refusedRoles == null ? List.of() : List.copyOf(refusedRoles);
                accessDeniedAccounts = accessDeniedAccounts == null ? List.of() : List.copyOf(accessDeniedAccounts);
            }

            /** No STS faults. */
            public Faults(double throttleProbability, double internalErrorProbability, double expiredTokenProbability,
                    Duration latency, List<Integer> accessDeniedPortals, int retryAfterSeconds) {
                this(throttleProbability, internalErrorProbability, expiredTokenProbability, latency,
                        accessDeniedPortals, retryAfterSeconds, List.of(), List.of());
            }

            @Override
            public void validate() {
                between("throttle_probability", throttleProbability, 0, 1);
                between("internal_error_probability", internalErrorProbability, 0, 1);
                between("expired_token_probability", expiredTokenProbability, 0, 1);
                for (int i = 0; i < accessDeniedPortals.size(); i++) {
                    atLeast("access_denied_portals[" + i + "]", accessDeniedPortals.get(i), 0);
                }
                Check.unique("access_denied_portals", accessDeniedPortals, "portal index");
                atLeast("retry_after_seconds", retryAfterSeconds, 0);
                for (int i = 0; i < accessDeniedAccounts.size(); i++) {
                    Check.matches("access_denied_accounts[" + i + "]", accessDeniedAccounts.get(i), ACCOUNT_ID,
                            "must be 12 digits (quote it in YAML), got '" + accessDeniedAccounts.get(i) + "'");
                }
            }
        }
    }

    public enum LogLevel { DEBUG, INFO, WARN, ERROR }

    public enum LogFormat { LOGFMT, JSON }

    /** {@code log.*}: the level and format of the agent's log lines on stderr. */
    public record Log(LogLevel level, LogFormat format) {}
}
