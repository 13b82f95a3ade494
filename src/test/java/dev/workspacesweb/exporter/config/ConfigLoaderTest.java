package dev.workspacesweb.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.workspacesweb.exporter.config.AgentConfig.Admin;
import dev.workspacesweb.exporter.config.AgentConfig.Aws;
import dev.workspacesweb.exporter.config.AgentConfig.ClientIpMode;
import dev.workspacesweb.exporter.config.AgentConfig.Labels;
import dev.workspacesweb.exporter.config.AgentConfig.Log;
import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import dev.workspacesweb.exporter.config.AgentConfig.LogLevel;
import dev.workspacesweb.exporter.config.AgentConfig.Limits;
import dev.workspacesweb.exporter.config.AgentConfig.Metrics;
import dev.workspacesweb.exporter.config.AgentConfig.Otlp;
import dev.workspacesweb.exporter.config.AgentConfig.Policy;
import dev.workspacesweb.exporter.config.AgentConfig.Poll;
import dev.workspacesweb.exporter.config.AgentConfig.Server;
import dev.workspacesweb.exporter.config.AgentConfig.Shard;
import dev.workspacesweb.exporter.config.AgentConfig.Simulator;
import dev.workspacesweb.exporter.config.AgentConfig.Source;
import dev.workspacesweb.exporter.config.AgentConfig.State;
import dev.workspacesweb.exporter.config.AgentConfig.UsernameMode;
import dev.workspacesweb.exporter.config.AgentConfig.Web;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    private static final String PORTAL_ID = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    private static final String PORTAL_ARN =
            "arn:aws:workspaces-web:eu-west-1:210987654321:portal/ffffffff-eeee-dddd-cccc-bbbbbbbbbbbb";

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    private AgentConfig load(String yaml) throws Exception {
        return ConfigLoader.load(write(yaml), Map.of());
    }

    private ConfigException error(String yaml, Map<String, String> env) throws IOException {
        Path file = yaml == null ? null : write(yaml);
        try {
            AgentConfig config = ConfigLoader.load(file, env);
            return fail("expected a ConfigException, got " + config);
        } catch (ConfigException e) {
            return e;
        }
    }

    @Nested
    class ShippedFile {
        @Test
        void theTopLevelConfigYamlIsExactlyTheDefaultsButTheSource() throws Exception {
            AgentConfig shipped = ConfigLoader.load(Path.of("config.yaml"), Map.of());
            assertThat(shipped.source()).as("the README's run command shows simulated metrics").isEqualTo(Source.SIMULATOR);
            assertThat(shipped).isEqualTo(ConfigLoader.load(null, Map.of("SOURCE", "simulator")));
        }

        @Test
        void noFileMeansTheDefaults() throws Exception {
            assertThat(ConfigLoader.load(null, Map.of())).isEqualTo(ConfigLoader.defaults());
        }

        @Test
        void anEmptyOrCommentOnlyFileMeansTheDefaults() throws Exception {
            assertThat(load("")).isEqualTo(ConfigLoader.defaults());
            assertThat(load("# nothing set\n")).isEqualTo(ConfigLoader.defaults());
        }

        @Test
        void defaultsAreTheDocumentedValues() {
            AgentConfig d = ConfigLoader.defaults();
            assertThat(d.server()).isEqualTo(new Server("0.0.0.0", 9742));
            assertThat(d.source()).as("no file, no SOURCE: the real service, never invented sessions")
                    .isEqualTo(Source.AWS);
            assertThat(d.poll().staleAfter()).as("0s = 3 x poll.interval").isEqualTo(Duration.ofSeconds(90));
            assertThat(d.simulator().seed()).isEqualTo(42);
            assertThat(d.simulator().faults().accessDeniedPortals()).isEmpty();
            assertThat(d.log()).isEqualTo(new Log(LogLevel.INFO, LogFormat.LOGFMT));
            assertThat(d.shard()).isEqualTo(new Shard(1, 0));
        }

        @Test
        void accountsTakeTheTopLevelRegionsAndDiscoveryByDefault() throws Exception {
            AgentConfig config = load("""
                    aws:
                      regions: [us-east-1, eu-west-1]
                      accounts:
                        - role_arn: arn:aws:iam::111111111111:role/Exporter
                        - role_arn: arn:aws:iam::222222222222:role/Exporter
                          external_id: monitoring
                          regions: [eu-central-1]
                          portals: [arn:aws:workspaces-web:eu-central-1:222222222222:portal/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee]
                    """);
            assertThat(config.aws().effectiveAccounts()).containsExactly(
                    new AgentConfig.Account("arn:aws:iam::111111111111:role/Exporter", "", List.of("us-east-1", "eu-west-1"),
                            List.of()),
                    new AgentConfig.Account("arn:aws:iam::222222222222:role/Exporter", "monitoring", List.of("eu-central-1"),
                            List.of(PortalRef.parse("arn:aws:workspaces-web:eu-central-1:222222222222:portal/"
                                    + "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"))));
            assertThat(config.aws().effectiveAccounts()).extracting(AgentConfig.Account::accountId)
                    .containsExactly("111111111111", "222222222222");
            // Without accounts, the shorthand: one account of role_arn (or of the base credentials).
            AgentConfig one = load("aws:\n  role_arn: arn:aws:iam::333333333333:role/Exporter\n");
            assertThat(one.aws().effectiveAccounts()).singleElement()
                    .satisfies(a -> assertThat(a.accountId()).isEqualTo("333333333333"));
        }

        @Test
        void aPartialFileKeepsTheDefaultsOfEverythingElse() throws Exception {
            AgentConfig config = load("""
                    server:
                      port: 9000
                    simulator:
                      faults:
                        latency: 250ms
                    """);
            AgentConfig d = ConfigLoader.defaults();
            assertThat(config.server()).isEqualTo(new Server("0.0.0.0", 9000));
            assertThat(config.simulator().faults().latency()).isEqualTo(Duration.ofMillis(250));
            assertThat(config.simulator().seed()).isEqualTo(d.simulator().seed());
            assertThat(config.aws()).isEqualTo(d.aws());
        }
    }

    @Nested
    class EveryMistakeNamesItsKeyAndLine {

        static Stream<Arguments> mistakes() {
            return Stream.of(
                    argumentSet("YAML syntax error", """
                            server:
                              port: 9742
                                host: x
                            """, "config.yaml", 3, "YAML syntax error"),
                    argumentSet("unclosed flow list", """
                            aws:
                              regions: [us-east-1
                            poll:
                              interval: 30s
                            """, "config.yaml", 3, "YAML syntax error"),
                    argumentSet("top level is not a mapping", "- server\n", "config.yaml", 1, "top level"),
                    argumentSet("unknown top-level key", """
                            server:
                              port: 9742
                            sever:
                              port: 1
                            """, "sever", 3, "unknown key in the top level"),
                    argumentSet("unknown key in a section", """
                            poll:
                              interval: 30s
                              intervall: 10s
                            """, "poll.intervall", 3, "known keys: interval"),
                    argumentSet("unknown key in simulator", """
                            simulator:
                              seed: 1
                              sed: 2
                            """, "simulator.sed", 3, "unknown key in simulator"),
                    argumentSet("unknown key in simulator.faults", """
                            simulator:
                              faults:
                                throttle_probability: 0.1
                                throttle: 0.1
                            """, "simulator.faults.throttle", 4, "unknown key in simulator.faults"),
                    argumentSet("unknown key in otlp", """
                            otlp:
                              enabled: false
                              endpoints: http://x
                            """, "otlp.endpoints", 3, "unknown key in otlp"),
                    argumentSet("unknown key in a policy", """
                            policies:
                              - name: long
                                max_session_duration: 12h
                                dryrun: false
                            """, "policies[0].dryrun", 4, "unknown key in policies[0]"),
                    argumentSet("duplicate key", """
                            server:
                              port: 9742
                              port: 9743
                            """, "server.port", 3, "duplicate key (first set at line 2)"),
                    argumentSet("not an integer", """
                            server:
                              host: 127.0.0.1
                              port: http
                            """, "server.port", 3, "not an integer: 'http'"),
                    argumentSet("a section given a value", "server: 9742\n", "server", 1,
                            "expected a section with the keys host, port"),
                    argumentSet("a value given a list", "server:\n  port: [1, 2]\n", "server.port", 2,
                            "expected a single value, got a list"),
                    argumentSet("a list given a value", "aws:\n  regions: us-east-1\n", "aws.regions", 2,
                            "expected a list"),
                    argumentSet("not a boolean", "metrics:\n  native_histograms: maybe\n",
                            "metrics.native_histograms", 2, "expected true or false"),
                    argumentSet("bare number as duration", "poll:\n  interval: 30\n", "poll.interval", 2,
                            "has no unit: use an integer followed by a unit: ms, s, m, h, d"),
                    argumentSet("bad duration", "poll:\n  overlap: 2 minutes\n", "poll.overlap", 2,
                            "not a duration: '2 minutes'"),
                    argumentSet("zero where a positive duration is needed", "poll:\n  interval: 0s\n",
                            "poll.interval", 2, "must be longer than 0s"),
                    argumentSet("bad enum", "labels:\n  client_ip: masked\n", "labels.client_ip", 2,
                            "must be one of plain, hash, prefix, drop, got 'masked'"),
                    argumentSet("bad source", "source: azure\n", "source", 1, "must be one of simulator, aws"),
                    argumentSet("port 0", "server:\n  port: 0\n", "server.port", 2, "between 1 and 65535"),
                    argumentSet("port too large", "server:\n  port: 65536\n", "server.port", 2,
                            "between 1 and 65535, got 65536"),
                    argumentSet("simulator port too large", "simulator:\n  port: 70000\n", "simulator.port", 2,
                            "between 0 and 65535"),
                    argumentSet("simulator port clashes with server port", """
                            server:
                              port: 9742
                            simulator:
                              port: 9742
                            source: simulator
                            """, "simulator.port", 4, "cannot listen on server.port"),
                    argumentSet("hash without hash_key", """
                            labels:
                              client_ip: plain
                              username: hash
                            """, "labels.username", 3, "needs labels.hash_key"),
                    argumentSet("client_ip hash without hash_key", """
                            labels:
                              client_ip: HASH
                              hash_key: ""
                            """, "labels.client_ip", 2, "needs labels.hash_key"),
                    argumentSet("malformed portal ARN", """
                            aws:
                              portals:
                                - %s
                                - arn:aws:workspaces-web:us-east-1:1234:portal/%s
                            """.formatted(PORTAL_ID, PORTAL_ID), "aws.portals[1]", 4, "not a portal ARN"),
                    argumentSet("ARN of another service", """
                            aws:
                              portals: ["arn:aws:workspaces:us-east-1:123456789012:portal/%s"]
                            """.formatted(PORTAL_ID), "aws.portals[0]", 2, "not a portal ARN"),
                    argumentSet("malformed portal ID", "aws:\n  portals: [abc, def]\n", "aws.portals[0]", 2,
                            "not a portal ID or ARN: 'abc'"),
                    argumentSet("portal ID with a bad character", """
                            aws:
                              portals: ["0a1b2c3d_4e5f-6a7b-8c9d-0e1f2a3b4c5d"]
                            """, "aws.portals[0]", 2, "36 characters"),
                    argumentSet("negative limit", "limits:\n  max_users_per_portal: -1\n",
                            "limits.max_users_per_portal", 2, "must not be negative, got -1"),
                    argumentSet("negative simulator count", "simulator:\n  history_sessions: -5\n",
                            "simulator.history_sessions", 2, "must not be negative"),
                    argumentSet("negative rate", "aws:\n  max_requests_per_second: -0.5\n",
                            "aws.max_requests_per_second", 2, "must not be negative"),
                    argumentSet("zero attempts", "aws:\n  max_attempts: 0\n", "aws.max_attempts", 2,
                            "must be at least 1"),
                    argumentSet("empty regions", "aws:\n  endpoint: \"\"\n  regions: []\n", "aws.regions", 3,
                            "at least one region"),
                    argumentSet("bad region", "aws:\n  regions: [us-east-1, Frankfurt]\n", "aws.regions[1]", 2,
                            "not an AWS region"),
                    argumentSet("bad endpoint", "aws:\n  endpoint: localhost:4566\n", "aws.endpoint", 2,
                            "not an http(s) URL"),
                    argumentSet("bad role ARN", "aws:\n  role_arn: my-role\n", "aws.role_arn", 2,
                            "not an IAM role ARN"),
                    argumentSet("policy without a name", """
                            policies:
                              - name: ok
                                max_sessions_per_user: 1
                              - max_session_duration: 1h
                            """, "policies[1]", 4, "a policy needs a name"),
                    argumentSet("policy without a rule", """
                            policies:
                              - name: nothing
                                dry_run: false
                            """, "policies[0]", 2, "exactly one rule"),
                    argumentSet("policy with two rules", """
                            policies:
                              - name: two
                                max_session_duration: 1h
                                max_sessions_per_user: 2
                            """, "policies[0]", 2, "got max_session_duration and max_sessions_per_user"),
                    argumentSet("duplicate policy name", """
                            policies:
                              - name: a
                                max_sessions_per_user: 1
                              - name: a
                                max_session_duration: 1h
                            """, "policies[1].name", 4, "duplicate policy name 'a' (also policies[0])"),
                    argumentSet("policy entry is not a mapping", "policies:\n  - just-a-name\n", "policies[0]", 2,
                            "expected a mapping"),
                    argumentSet("account without a role", """
                            aws:
                              accounts:
                                - regions: [eu-west-1]
                            """, "aws.accounts[0]", 3, "an account needs the role_arn"),
                    argumentSet("account with a bad role ARN", """
                            aws:
                              accounts:
                                - role_arn: arn:aws:iam::1234:role/x
                            """, "aws.accounts[0].role_arn", 3, "not an IAM role ARN"),
                    argumentSet("unknown key in an account", """
                            aws:
                              accounts:
                                - role_arn: arn:aws:iam::111111111111:role/x
                                  rgions: [eu-west-1]
                            """, "aws.accounts[0].rgions", 4, "unknown key"),
                    argumentSet("bad region of an account", """
                            aws:
                              accounts:
                                - role_arn: arn:aws:iam::111111111111:role/x
                                  regions: [eu-west-1, Frankfurt]
                            """, "aws.accounts[0].regions[1]", 4, "not an AWS region: 'Frankfurt'"),
                    argumentSet("the same role twice", """
                            aws:
                              accounts:
                                - role_arn: arn:aws:iam::111111111111:role/x
                                - role_arn: arn:aws:iam::111111111111:role/x
                            """, "aws.accounts[1].role_arn", 4, "the role of accounts[0] again"),
                    argumentSet("role_arn and accounts together", """
                            aws:
                              role_arn: arn:aws:iam::111111111111:role/x
                              accounts:
                                - role_arn: arn:aws:iam::222222222222:role/x
                            """, "aws.role_arn", 2, "not both"),
                    argumentSet("simulated account without an id", """
                            simulator:
                              accounts:
                                - portals: 2
                            """, "simulator.accounts[0]", 3, "needs its account_id"),
                    argumentSet("bad CIDR", """
                            policies:
                              - name: office
                                deny_client_cidrs:
                                  - 10.0.0.0/8
                                  - 300.1.2.0/24
                            """, "policies[0].deny_client_cidrs[1]", 5, "not a CIDR: '300.1.2.0/24'"),
                    argumentSet("CIDR without prefix", """
                            policies:
                              - name: office
                                deny_client_cidrs: [192.0.2.1]
                            """, "policies[0].deny_client_cidrs[0]", 3, "not a CIDR"),
                    argumentSet("policy with a bad duration", """
                            policies:
                              - name: long
                                max_session_duration: 12
                            """, "policies[0].max_session_duration", 3, "has no unit"),
                    argumentSet("shard index not below count", """
                            shard:
                              count: 2
                              index: 2
                            """, "shard.index", 3, "must be less than shard.count (2)"),
                    argumentSet("shard index neither a number nor auto", "shard:\n  index: first\n",
                            "shard.index", 2, "or auto"),
                    argumentSet("otlp enabled without endpoint", """
                            otlp:
                              enabled: true
                              interval: 10s
                            """, "otlp.enabled", 2, "otlp.endpoint is empty"),
                    argumentSet("admin enabled without token file", """
                            admin:
                              token_file: ""
                              enabled: true
                            """, "admin.enabled", 3, "admin.token_file is empty"),
                    argumentSet("buckets not strictly increasing", """
                            metrics:
                              duration_buckets: [30, 60, 60, 120]
                            """, "metrics.duration_buckets[2]", 2, "strictly increasing, but 60 follows 60"),
                    argumentSet("buckets decreasing in a block list", """
                            metrics:
                              duration_buckets:
                                - 60
                                - 30
                            """, "metrics.duration_buckets[1]", 4, "strictly increasing"),
                    argumentSet("probability above 1", """
                            simulator:
                              faults:
                                internal_error_probability: 1.5
                            """, "simulator.faults.internal_error_probability", 3, "between 0 and 1"),
                    argumentSet("access-denied portal that does not exist", """
                            simulator:
                              portals: 2
                              faults:
                                access_denied_portals: [0, 2]
                            """, "simulator.faults.access_denied_portals[1]", 4, "does not exist"),
                    argumentSet("account id not 12 digits", "simulator:\n  account_id: \"1234\"\n",
                            "simulator.account_id", 2, "12 digits"),
                    argumentSet("max page smaller than default page", """
                            simulator:
                              default_page_size: 50
                              max_page_size: 10
                            """, "simulator.max_page_size", 3, "at least simulator.default_page_size (50)"),
                    argumentSet("header value is a list", """
                            otlp:
                              headers:
                                Authorization: [a, b]
                            """, "otlp.headers.Authorization", 3, "expected a single value"),
                    argumentSet("unknown YAML tag", "server:\n  port: !!python/int 1\n", "config.yaml", 2,
                            "YAML syntax error"));
        }

        @ParameterizedTest
        @MethodSource("mistakes")
        void mistake(String yaml, String key, int line, String problem) throws Exception {
            ConfigException e = error(yaml, Map.of());
            String expectedKey = key.equals("config.yaml") ? dir.resolve("config.yaml").toString() : key;
            assertThat(e.key()).as(e.getMessage()).isEqualTo(expectedKey);
            assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
            assertThat(e.getMessage())
                    .startsWith(expectedKey + " (line " + line + "): ")
                    .contains(problem);
        }

        @Test
        void aMissingFileIsAnError() {
            Path missing = dir.resolve("nope.yaml");
            try {
                ConfigLoader.load(missing, Map.of());
                fail("expected a ConfigException");
            } catch (ConfigException e) {
                assertThat(e.getMessage()).isEqualTo(missing + ": no such file");
            }
        }

        @Test
        void theFirstMistakeInTheFileWins() throws Exception {
            ConfigException e = error("""
                    server:
                      port: 99999
                    poll:
                      nonsense: 1
                    """, Map.of());
            assertThat(e.key()).as("structure is checked before values").isEqualTo("poll.nonsense");
        }
    }

    @Nested
    class EnvironmentOverrides {

        @Test
        void overrideTheFileAndIgnoreVariablesThatAreNoKey() throws Exception {
            Path file = write("""
                    server:
                      port: 9742
                    aws:
                      regions: [us-east-1, us-west-2, ap-south-1]
                      endpoint: http://from-file:4566
                    poll:
                      interval: 1m
                    """);
            Map<String, String> env = Map.ofEntries(
                    Map.entry("SERVER_PORT", "9100"),
                    Map.entry("POLL_INTERVAL", "10s"),
                    Map.entry("POLL_IP_REFRESH_INTERVAL", "0s"),
                    Map.entry("AWS_ENDPOINT", "http://localhost:4566"),
                    Map.entry("AWS_REGIONS", "eu-west-1, eu-central-1"),
                    Map.entry("AWS_PORTALS", PORTAL_ID + "," + PORTAL_ARN),
                    Map.entry("SIMULATOR_FAULTS_THROTTLE_PROBABILITY", "0.25"),
                    Map.entry("SIMULATOR_FAULTS_ACCESS_DENIED_PORTALS", "0,2"),
                    Map.entry("METRICS_DURATION_BUCKETS", "1,10,100"),
                    Map.entry("SOURCE", "AWS"),
                    Map.entry("SHARD_COUNT", "4"),
                    Map.entry("SHARD_INDEX", "auto"),
                    Map.entry("LOG_LEVEL", "debug"),
                    Map.entry("LOG_FORMAT", "JSON"),
                    // the SDK's and everybody else's variables: ignored
                    Map.entry("AWS_REGION", "not a region"),
                    Map.entry("AWS_ACCESS_KEY_ID", "AKIA..."),
                    Map.entry("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa"),
                    Map.entry("PATH", "/usr/bin"),
                    Map.entry("SERVER", "x"),
                    Map.entry("POLICIES", "x"),
                    Map.entry("OTLP_HEADERS", "x"));
            AgentConfig config = ConfigLoader.load(file, env);
            assertThat(config.server().port()).isEqualTo(9100);
            assertThat(config.poll().interval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.poll().staleAfter()).as("3 x the overridden interval").isEqualTo(Duration.ofSeconds(30));
            assertThat(config.poll().ipRefreshInterval()).isZero();
            assertThat(config.aws().endpoint()).isEqualTo("http://localhost:4566");
            assertThat(config.aws().regions()).containsExactly("eu-west-1", "eu-central-1");
            assertThat(config.aws().portals()).containsExactly(PortalRef.parse(PORTAL_ID), PortalRef.parse(PORTAL_ARN));
            assertThat(config.aws().roleArn()).isEmpty();
            assertThat(config.simulator().faults().throttleProbability()).isEqualTo(0.25);
            assertThat(config.simulator().faults().accessDeniedPortals()).containsExactly(0, 2);
            assertThat(config.metrics().durationBuckets()).containsExactly(1.0, 10.0, 100.0);
            assertThat(config.source()).isEqualTo(Source.AWS);
            assertThat(config.shard()).isEqualTo(new Shard(4, Shard.AUTO));
            assertThat(config.log()).isEqualTo(new Log(LogLevel.DEBUG, LogFormat.JSON));
            assertThat(config.policies()).isEmpty();
            assertThat(config.otlp().headers()).isEmpty();
        }

        @Test
        void applyWithoutAFileToo() throws Exception {
            AgentConfig config = ConfigLoader.load(null, Map.of("LABELS_USERNAME", "hash", "LABELS_HASH_KEY", "k"));
            assertThat(config.labels()).isEqualTo(new Labels(UsernameMode.HASH, ClientIpMode.PLAIN, "k"));
        }

        @Test
        void anEmptyListVariableIsAnEmptyList() throws Exception {
            Path file = write("aws:\n  portals: [%s]\n".formatted(PORTAL_ID));
            assertThat(ConfigLoader.load(file, Map.of("AWS_PORTALS", "")).aws().portals()).isEmpty();
        }

        @Test
        void anInvalidValueNamesTheVariable() throws Exception {
            ConfigException e = error("poll:\n  interval: 30s\n", Map.of("POLL_INTERVAL", "30"));
            assertThat(e.key()).isEqualTo("POLL_INTERVAL (environment)");
            assertThat(e.line()).isZero();
            assertThat(e.getMessage()).startsWith("POLL_INTERVAL (environment): '30' has no unit");
        }

        @Test
        void anInvalidListItemNamesTheVariable() throws Exception {
            ConfigException e = error(null, Map.of("AWS_PORTALS", PORTAL_ID + ",nope"));
            assertThat(e.getMessage()).startsWith("AWS_PORTALS (environment): not a portal ID or ARN: 'nope'");
            assertThat(error(null, Map.of("AWS_REGIONS", " , ")).getMessage())
                    .startsWith("AWS_REGIONS (environment): needs at least one region");
        }

        @Test
        void crossKeyRulesNameTheVariableThatBrokeThem() throws Exception {
            ConfigException e = error("shard:\n  count: 2\n", Map.of("SHARD_INDEX", "5"));
            assertThat(e.key()).isEqualTo("SHARD_INDEX (environment)");
            assertThat(error(null, Map.of("OTLP_ENABLED", "true")).key()).isEqualTo("OTLP_ENABLED (environment)");
        }

        @Test
        void theStandardOtelEndpointSatisfiesOtlp() throws Exception {
            Path file = write("otlp:\n  enabled: true\n");
            assertThat(ConfigLoader.load(file, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"))
                    .otlp().endpoint()).isEqualTo("http://collector:4318/v1/metrics");
            assertThat(ConfigLoader.load(file, Map.of(
                            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://metrics.example/otlp"))
                    .otlp().endpoint()).isEqualTo("https://metrics.example/otlp");
            assertThat(ConfigLoader.load(file, Map.of(
                            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                            "OTLP_ENDPOINT", "http://mine:4318/v1/metrics"))
                    .otlp().endpoint()).as("our own key wins").isEqualTo("http://mine:4318/v1/metrics");
        }

        @Test
        void everyVariableIsNamedAfterItsKey() {
            Map<String, String> vars = ConfigLoader.environmentVariables();
            assertThat(vars).containsEntry("SERVER_PORT", "server.port")
                    .containsEntry("POLL_IP_REFRESH_INTERVAL", "poll.ip_refresh_interval")
                    .containsEntry("SIMULATOR_FAULTS_THROTTLE_PROBABILITY", "simulator.faults.throttle_probability")
                    .containsEntry("AWS_REGIONS", "aws.regions")
                    .containsEntry("LOG_LEVEL", "log.level")
                    .containsEntry("LOG_FORMAT", "log.format")
                    .doesNotContainKeys("AWS_ROLE_ARN", "POLICIES", "OTLP_HEADERS");
            vars.forEach((var, key) -> assertThat(var).isEqualTo(key.toUpperCase().replace('.', '_')));
        }
    }

    @Nested
    class FullConfig {

        @Test
        void everySectionRoundTripsIntoTheRecords() throws Exception {
            AgentConfig config = load("""
                    server:
                      host: 127.0.0.1
                      port: 9100
                    web:
                      config_file: /etc/wwe/web.yml
                    source: AWS
                    aws:
                      regions:
                        - eu-west-1
                        - us-gov-west-1
                      endpoint: https://workspaces-web.vpce.example:443
                      portals: [%s, "%s"]
                      max_requests_per_second: 2.5
                      max_concurrency: 4
                      page_size: 50
                      api_call_timeout: 1m
                      api_call_attempt_timeout: 1500ms
                      max_attempts: 1
                      role_arn: arn:aws:iam::123456789012:role/path/wwe-reader
                      external_id: ext-42
                    poll:
                      interval: 15s
                      ip_refresh_interval: 0s
                      overlap: 1h30m
                      discovery_interval: 1d
                      stale_after: 2m
                    limits:
                      max_users_per_portal: 0
                      max_client_ips_per_portal: 10
                    labels:
                      username: Drop
                      client_ip: hash
                      hash_key: s3cr3t
                    metrics:
                      duration_buckets: [0.5, 1, 2.5]
                      native_histograms: false
                    state:
                      path: /var/lib/wwe/state.json
                    otlp:
                      enabled: true
                      endpoint: http://localhost:4318/v1/metrics
                      interval: 5s
                      headers:
                        Authorization: Bearer abc
                        X.Scope-Org: team-a
                    admin:
                      enabled: true
                      token_file: /run/secrets/admin-token
                    policies:
                      - name: long-sessions
                        max_session_duration: 12h
                      - name: office-only
                        deny_client_cidrs: [203.0.113.0/24, "2001:db8::/32"]
                        dry_run: false
                      - name: one-browser
                        max_sessions_per_user: 1
                        dry_run: true
                    shard:
                      count: 3
                      index: 2
                    simulator:
                      seed: -7
                      port: 8900
                      region: eu-central-1
                      account_id: "012345678901"
                      portals: 5
                      users: 10
                      arrivals_per_minute: 0.5
                      median_session_duration: 45m
                      duration_sigma: 0
                      initial_active_sessions: 0
                      history_sessions: 7
                      max_ips_per_session: 1
                      default_page_size: 5
                      max_page_size: 5
                      faults:
                        throttle_probability: 0.1
                        internal_error_probability: 0.05
                        expired_token_probability: 1
                        latency: 20ms
                        access_denied_portals: [4, 1]
                        retry_after_seconds: 0
                    log:
                      level: WARN
                      format: json
                    """.formatted(PORTAL_ID, PORTAL_ARN));

            AgentConfig expected = new AgentConfig(
                    new Server("127.0.0.1", 9100),
                    new Web("/etc/wwe/web.yml"),
                    Source.AWS,
                    new Aws(List.of("eu-west-1", "us-gov-west-1"), "https://workspaces-web.vpce.example:443",
                            List.of(PortalRef.parse(PORTAL_ID), PortalRef.parse(PORTAL_ARN)), 2.5, 4, 50, Duration.ofMinutes(1),
                            Duration.ofMillis(1500), 1, "arn:aws:iam::123456789012:role/path/wwe-reader", "ext-42"),
                    new Poll(Duration.ofSeconds(15), Duration.ZERO, Duration.ofMinutes(90), Duration.ofDays(1),
                            Duration.ofMinutes(2)),
                    new Limits(0, 10),
                    new Labels(UsernameMode.DROP, ClientIpMode.HASH, "s3cr3t"),
                    new Metrics(List.of(0.5, 1.0, 2.5), false),
                    new State("/var/lib/wwe/state.json"),
                    new Otlp(true, "http://localhost:4318/v1/metrics", Duration.ofSeconds(5),
                            Map.of("Authorization", "Bearer abc", "X.Scope-Org", "team-a")),
                    new Admin(true, "/run/secrets/admin-token"),
                    List.of(
                            new Policy("long-sessions", Duration.ofHours(12), null, null, true),
                            new Policy("office-only", null, List.of(Cidr.parse("203.0.113.0/24"), Cidr.parse("2001:db8::/32")),
                                    null, false),
                            new Policy("one-browser", null, null, 1, true)),
                    new Shard(3, 2),
                    new Simulator(-7, 8900, "eu-central-1", "012345678901", 5, 10, 0.5,
                            Duration.ofMinutes(45), 0.0, 0, 7, 1, 5, 5,
                            new Simulator.Faults(0.1, 0.05, 1.0, Duration.ofMillis(20), List.of(4, 1), 0),
                            List.of(), ConfigLoader.defaults().simulator().clientNetworks()),
                    new Log(LogLevel.WARN, LogFormat.JSON),
                    AgentConfig.Geoip.NONE);
            assertThat(config).isEqualTo(expected);
        }

        @Test
        void nullValuesMeanEmptyListsAndSections() throws Exception {
            AgentConfig config = load("""
                    aws:
                      portals:
                    otlp:
                    policies:
                    """);
            assertThat(config.aws().portals()).isEmpty();
            assertThat(config.otlp()).isEqualTo(ConfigLoader.defaults().otlp());
            assertThat(config.policies()).isEmpty();
        }

        @Test
        void valuesMayBeQuotedAndPlaceholdersAreNotResolved() throws Exception {
            AgentConfig config = load("""
                    server:
                      port: "9001"
                    otlp:
                      headers:
                        X-Template: "${not.resolved}"
                    """);
            assertThat(config.server().port()).isEqualTo(9001);
            assertThat(config.otlp().headers()).containsEntry("X-Template", "${not.resolved}");
        }
    }
}
