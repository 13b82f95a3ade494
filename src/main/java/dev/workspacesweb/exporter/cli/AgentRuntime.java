package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.aws.AwsCredentials;
import dev.workspacesweb.exporter.config.PortalRef;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.policy.PolicyEngine;
import dev.workspacesweb.exporter.policy.SessionControl;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.http.AgentServer;
import dev.workspacesweb.exporter.http.ReloadHandler;
import dev.workspacesweb.exporter.http.WebConfig;
import dev.workspacesweb.exporter.metrics.AgentMeters;
import dev.workspacesweb.exporter.metrics.AgentMetrics;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import dev.workspacesweb.exporter.geo.GeoDatabase;
import dev.workspacesweb.exporter.geo.GeoDatabaseException;
import dev.workspacesweb.exporter.geo.GeoIp;
import dev.workspacesweb.exporter.metrics.SessionMetrics;
import dev.workspacesweb.exporter.metrics.SwappableCollector;
import dev.workspacesweb.exporter.poll.AccountTarget;
import dev.workspacesweb.exporter.otlp.OtlpPusher;
import dev.workspacesweb.exporter.poll.PollScheduler;
import dev.workspacesweb.exporter.poll.ShardAssignment;
import dev.workspacesweb.exporter.poll.PollSettings;
import dev.workspacesweb.exporter.poll.PortalDiscovery;
import dev.workspacesweb.exporter.poll.PortalState;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import dev.workspacesweb.exporter.poll.StateFile;
import java.nio.file.Path;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The running agent, wired from one {@link AgentConfig}: (optionally) the embedded simulator, per AWS account its
 * credentials and one gateway per region, discovery, the poll scheduler, the metrics and the HTTP server. A reload
 * ({@link #reload}) swaps what the configuration determines as a whole, keeping every portal's state. Tests build it with a controlled clock and
 * drive cycles with {@link #scheduler()}{@code .pollOnce()} instead of the timer.
 */
public final class AgentRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentRuntime.class.getName());

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Options options;
    private SimulatorServer simulator;
    private final PrometheusRegistry registry;
    private final PrometheusMeterRegistry meters;
    private final SnapshotStore store;
    private final AgentMetrics agentMetrics;
    private SwappableCollector sessionCollector;
    private ShardAssignment shard;
    private AwsCredentialsProvider baseCredentials;
    /** The STS endpoint of the embedded simulator; null = the SDK's own resolution (AWS_ENDPOINT_URL_STS, ...). */
    private URI stsEndpoint;
    /** Null until the start-up has built it (the HTTP server answers before). */
    private volatile PollScheduler scheduler;
    private final AgentServer server;
    private final Object reloading = new Object();
    /** The counter of policy decisions, registered once and kept across reloads. */
    private Counter policyActions;
    /** The one way to expire a session (admin API, policies), reaching each portal through its current gateway. */
    private final SessionControl control;
    /** The GeoIP databases of geoip.* at start-up (their files are picked up when replaced), or null for none. */
    private final GeoIp geo;
    /** The configuration as loaded (before it is pointed at the embedded simulator), for the next reload's diff. */
    private volatile AgentConfig loaded;
    private volatile AgentConfig config;
    private volatile Pipeline pipeline;
    /** The session metrics the registry shows (swapped after a reload has seeded them), whose bytes a scrape sends. */
    private volatile SessionMetrics shownSessions;
    private volatile Callable<AgentConfig> configSource;

    /** Options that only tests and benchmarks change. */
    public record Options(InstantSource clock, boolean startTimer, AwsCredentialsProvider credentials,
            BackoffStrategy backoff, boolean adaptiveRetries) {
        public static Options production() {
            return new Options(InstantSource.system(), true, null, null, true);
        }

        /** A controlled clock, no timer (the test calls pollOnce), immediate retries. */
        public static Options forTests(InstantSource clock) {
            return new Options(clock, false, null, BackoffStrategy.retryImmediately(), true);
        }

        /** As {@link #forTests}, with the SDK's standard retry strategy instead of the adaptive one. */
        public Options withStandardRetries() {
            return new Options(clock, startTimer, credentials, backoff, false);
        }

        /** These options with these base credentials (each account's role is assumed with them). */
        public Options withCredentials(AwsCredentialsProvider base) {
            return new Options(clock, startTimer, base, backoff, adaptiveRetries);
        }
    }

    /**
     * What a configuration reload replaces as a whole: the accounts' credentials and gateways, discovery, the session
     * metrics (limits, label modes) and the policy engine (kept when the policies stay the same).
     */
    private record Pipeline(AgentConfig config, PortalDiscovery discovery, SessionMetrics sessionMetrics,
            List<PolicyEngine> policies, List<AutoCloseable> owned) implements AutoCloseable {
        @Override
        public void close() {
            closeExcept(List.of());
        }

        /** Closes what this pipeline owns, except the policy engines a newer one took over. */
        void closeExcept(List<PolicyEngine> keptEngines) {
            for (PolicyEngine engine : policies) {
                if (!keptEngines.contains(engine)) {
                    engine.close();
                }
            }
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception e) {
                    LOG.log(Level.DEBUG, "error while closing", e);
                }
            }
        }
    }

    private AgentRuntime(AgentConfig configured, Options options) {
        this.options = options;
        try {
            // Before anything starts: a database that cannot be used is a configuration error, as is a web config
            // or an admin token file that cannot be read.
            geo = openGeoIp(configured.geoip());
            boolean simulated = configured.source() == AgentConfig.Source.SIMULATOR;
            if (simulated) {
                // First, before anything else is logged: an agent on the simulator must never pass for a real one.
                LOG.log(Level.WARNING, "source: simulator \u2014 serving SIMULATED sessions, not AWS data "
                        + "(set source: aws, or SOURCE=aws, for the real service)");
            }
            WebConfig web = configured.web().configFile().isBlank()
                    ? WebConfig.none()
                    : WebConfig.load(Path.of(configured.web().configFile()));

            registry = new PrometheusRegistry();
            meters = AgentMeters.create(registry);
            resources.add(meters::close);
            store = new SnapshotStore();
            BuildInfo build = BuildInfo.current();
            agentMetrics = new AgentMetrics(meters, registry, build);
            agentMetrics.configLoaded(true, Instant.now());
            control = new SessionControl((region, portalId) -> gatewayOf(portalId), registry);
            Consumer<HttpRouting.Builder> admin = ControlWiring.adminRoutes(configured, store, control);
            ReloadHandler reload = new ReloadHandler(this::reloadFromSource);

            // The HTTP server first: /-/healthy answers while the AWS SDK's clients are built (most of the start-up);
            // /-/ready once every portal has been polled. The scrape sends the encoded bytes of the session metrics
            // shown (none until the pipeline exists; a reload swaps them).
            server = AgentServer.start(configured.server().host(), configured.server().port(), registry,
                    () -> shownSessions, store, build.version(), web, routing -> {
                        admin.accept(routing);
                        reload.register(routing);
                    }, simulated);
            resources.add(server);
            LOG.log(Level.INFO, "serving metrics on {0}://{1}:{2,number,#}/metrics", server.tls() ? "https" : "http",
                    configured.server().host(), server.port());

            AgentConfig effective = configured;
            AwsCredentialsProvider credentials = options.credentials();
            if (simulated) {
                simulator = SimulatorServer.start(SimulatorSettings.of(configured.simulator()), options.clock(), "127.0.0.1",
                        configured.simulator().port());
                resources.add(simulator);
                effective = Configs.pointedAt(configured, simulator.endpoint().toString(), configured.simulator().region());
                stsEndpoint = simulator.endpoint();
                if (credentials == null) {
                    // Any key the simulated STS did not issue acts in the simulator's default account.
                    credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIMULATOR", "simulator-secret"));
                }
                LOG.log(Level.INFO, "embedded simulator serving the WorkSpaces Web API on {0}", simulator.endpoint());
            } else {
                simulator = null;
                stsEndpoint = null;
                if (credentials == null) {
                    credentials = AwsCredentials.base();
                }
            }
            this.baseCredentials = credentials;
            this.loaded = configured;
            this.config = effective;

            shard = ShardAssignment.resolve(effective.shard().count(), effective.shard().index(), hostName());
            agentMetrics.shardInfo(shard.index(), shard.count());
            pipeline = pipeline(effective);
            resources.add(() -> pipeline.close());
            sessionCollector = new SwappableCollector(pipeline.sessionMetrics());
            registry.register(sessionCollector);
            shownSessions = pipeline.sessionMetrics();
            agentMetrics.discoveryUp(() -> pipeline.discovery().up());
            // The readers of the store that learn of publications: the poll timers, and the pipeline in force: its
            // policies (each engine acts on its own thread), then its session metrics, which build and encode the
            // view's series on the publishing poll's thread rather than on a scrape's.
            store.subscribe(agentMetrics);
            store.subscribe(new SnapshotStore.Subscriber() {
                @Override
                public void published(PortalView view) {
                    Pipeline current = pipeline;
                    current.policies().forEach(engine -> engine.published(view));
                    current.sessionMetrics().published(view);
                }

                @Override
                public void removed(String portalId) {
                    pipeline.policies().forEach(engine -> engine.removed(portalId));
                }
            });

            Map<String, PortalState> resumed = Map.of();
            StateFile stateFile = null;
            if (!effective.state().path().isBlank()) {
                stateFile = new StateFile(Path.of(effective.state().path()));
                resumed = stateFile.load();
            }
            Map<String, PortalState> initial = resumed;
            PollScheduler polls = new PollScheduler(pipeline.discovery(), this::gatewayOf, PollSettings.of(effective),
                    options.clock(), store, id -> initial.getOrDefault(id, PortalState.initial()));
            if (stateFile != null) {
                polls.persistTo(stateFile);
            }
            resources.add(polls);
            scheduler = polls;
            if (effective.otlp().enabled()) {
                // Closed before the registry: the last push happens while every collector is still there.
                resources.add(OtlpPusher.start(effective.otlp(), registry));
            }
            if (options.startTimer()) {
                polls.start();
            }
            // After the first polls are under way: /-/ready waits for them, not for the JVM's meters.
            resources.add(AgentMeters.bindJvm(meters));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The gateway of a portal (its account's, in its region) as the current discovery routes it, or null. */
    private WorkSpacesWebApi gatewayOf(String portalId) {
        Pipeline p = pipeline;
        return p == null ? null : p.discovery().gatewayOf(portalId);
    }

    /**
     * Builds what a configuration determines, without touching the running agent: per account its credentials (the
     * base credentials, or its role assumed on top of them through STS, refreshed by the SDK before they expire) and
     * one gateway per region; discovery over all accounts; the session metrics; the poll listeners.
     */
    private Pipeline pipeline(AgentConfig c) {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            List<AccountTarget> accounts = new ArrayList<>();
            for (AgentConfig.Account account : c.aws().effectiveAccounts()) {
                String firstRegion = account.regions().get(0);
                AwsCredentialsProvider credentials = baseCredentials;
                if (!account.roleArn().isBlank()) {
                    AwsCredentials.AssumedRole role = AwsCredentials.assumeRole(baseCredentials, account.roleArn(),
                            account.externalId(), firstRegion, stsEndpoint);
                    owned.add(role);
                    credentials = role;
                }
                List<PortalRef> portals = new ArrayList<>();
                for (PortalRef p : account.portals()) {
                    portals.add(p.inRegion(firstRegion));
                }
                Set<String> regions = new LinkedHashSet<>(account.regions());
                portals.forEach(p -> regions.add(p.region()));
                Map<String, WorkSpacesWebApi> gateways = new LinkedHashMap<>();
                for (String region : regions) {
                    WorkSpacesWebGateway gateway = WorkSpacesWebGateway.create(region, c.aws(), credentials, meters,
                            options.backoff(), options.adaptiveRetries());
                    owned.add(gateway);
                    gateways.put(region, gateway);
                }
                accounts.add(new AccountTarget(account.accountId(), gateways, portals));
            }
            PortalDiscovery discovery = new PortalDiscovery(accounts, shard::owns);
            SessionMetrics sessionMetrics = new SessionMetrics(c, options.clock(), store, geo, c.limits().maxAsnsPerPortal());
            List<PolicyEngine> policies = List.of();
            if (!c.policies().isEmpty()) {
                Pipeline running = pipeline;
                if (running != null && running.config().policies().equals(c.policies())) {
                    // The same policies: the same engine, which remembers the sessions it already decided on.
                    policies = running.policies();
                } else {
                    if (policyActions == null) {
                        policyActions = ControlWiring.policyActions(registry);
                    }
                    policies = ControlWiring.policyEngines(c, control, policyActions, geo);
                }
            }
            return new Pipeline(c, discovery, sessionMetrics, policies, owned);
        } catch (RuntimeException e) {
            new Pipeline(c, null, null, List.of(), owned).close();
            throw e;
        }
    }

    /** Where {@link #reloadFromSource()} (SIGHUP, {@code POST /-/reload}) reads the configuration again. */
    public AgentRuntime reloadFrom(Callable<AgentConfig> source) {
        this.configSource = source;
        return this;
    }

    /**
     * Reads the configuration again from its source (the file and the environment) and applies it; on any error the
     * running configuration stays. Updates {@code workspaces_web_config_last_reload_*}.
     *
     * @throws Exception what was wrong (a configuration error names the key and line)
     */
    public void reloadFromSource() throws Exception {
        Callable<AgentConfig> source = configSource;
        if (source == null) {
            throw new IllegalStateException("this agent has no configuration source to reload from");
        }
        AgentConfig next;
        try {
            next = source.call();
        } catch (Exception e) {
            agentMetrics.configLoaded(false, Instant.now());
            LOG.log(Level.ERROR, "configuration reload failed, the running configuration stays: {0}", e.getMessage());
            throw e;
        }
        reload(next);
    }

    /**
     * Applies a new, validated configuration at once: accounts, regions, portals, limits, label modes, policies and
     * intervals take effect from the next poll cycle; portals that stay keep their state and counters; removed ones
     * disappear from /metrics. Keys that cannot change in a running process keep their values, each named in a
     * warning. On failure the running configuration stays.
     *
     * @return the keys that kept their running values until a restart
     */
    public List<String> reload(AgentConfig next) {
        synchronized (reloading) {
            if (scheduler == null) {
                throw new IllegalStateException("the agent is still starting; reload once it serves");
            }
            try {
                List<String> kept = new ArrayList<>();
                AgentConfig applied = Configs.keepRestartOnly(loaded, next, kept);
                for (String key : kept) {
                    LOG.log(Level.WARNING, "configuration reload: {0} cannot change while the agent runs; it keeps its "
                            + "running value until a restart", key);
                }
                AgentConfig effective = simulator == null ? applied
                        : Configs.pointedAt(applied, simulator.endpoint().toString(), applied.simulator().region());
                Pipeline fresh = pipeline(effective);
                Pipeline previous = pipeline;
                fresh.discovery().carryOver(previous.discovery());
                pipeline = fresh;
                scheduler.reconfigure(fresh.discovery(), this::gatewayOf, PollSettings.of(effective));
                // The new session metrics read the same store: the views shown so far, with the new settings.
                sessionCollector.swap(fresh.sessionMetrics());
                shownSessions = fresh.sessionMetrics();
                previous.closeExcept(fresh.policies());
                loaded = applied;
                config = effective;
                agentMetrics.configLoaded(true, Instant.now());
                LOG.log(Level.INFO, "configuration reloaded: {0} account(s), poll interval {1} s",
                        effective.aws().effectiveAccounts().size(), effective.poll().interval().toMillis() / 1000.0);
                return kept;
            } catch (RuntimeException e) {
                agentMetrics.configLoaded(false, Instant.now());
                LOG.log(Level.ERROR, "configuration reload failed, the running configuration stays: {0}", e.getMessage());
                throw e;
            }
        }
    }

    /**
     * The configured GeoIP databases, or null when none is.
     *
     * @throws IllegalArgumentException naming the key and the file of a database that cannot be used
     */
    static GeoIp openGeoIp(AgentConfig.Geoip geoip) {
        if (geoip.countryDatabase().isBlank() && geoip.asnDatabase().isBlank()) {
            return null;
        }
        try {
            return GeoIp.open(geoip.countryDatabase().isBlank() ? null : Path.of(geoip.countryDatabase()),
                    geoip.asnDatabase().isBlank() ? null : Path.of(geoip.asnDatabase()));
        } catch (GeoDatabaseException e) {
            String key = e.kind() == GeoDatabase.Kind.COUNTRY ? "geoip.country_database" : "geoip.asn_database";
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /** The host name, for {@code shard.index: auto}: $HOSTNAME as Kubernetes sets it, else the resolver's. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    public static AgentRuntime start(AgentConfig config, Options options) {
        return new AgentRuntime(config, options);
    }

    /** The configuration in force (pointed at the embedded simulator when that is the source). */
    public AgentConfig config() {
        return config;
    }

    /** The embedded simulator, or null with {@code source: aws}. */
    public SimulatorServer simulator() {
        return simulator;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public SnapshotStore store() {
        return store;
    }

    public PollScheduler scheduler() {
        return scheduler;
    }

    /**
     * Waits until the policies have decided on every view published so far: they act on their own thread, so a test
     * that drives polls with {@code pollOnce()} calls this before it looks at their decisions.
     */
    public void awaitPolicies() throws InterruptedException {
        for (PolicyEngine engine : pipeline.policies()) {
            if (!engine.awaitIdle(java.time.Duration.ofSeconds(60))) {
                throw new IllegalStateException("the session policies did not finish within 60 s");
            }
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "error while shutting down", e);
            }
        }
        resources.clear();
    }
}
