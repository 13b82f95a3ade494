package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.aws.AwsCredentials;
import dev.workspacesweb.exporter.config.PortalRef;
import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.http.AgentServer;
import dev.workspacesweb.exporter.http.WebConfig;
import dev.workspacesweb.exporter.metrics.AgentMetrics;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import dev.workspacesweb.exporter.metrics.SessionMetrics;
import dev.workspacesweb.exporter.otlp.OtlpPusher;
import dev.workspacesweb.exporter.policy.SessionControl;
import dev.workspacesweb.exporter.poll.PollListener;
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
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
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
 * The running agent, wired from one {@link AgentConfig}: (optionally) the embedded simulator, one gateway per
 * region, discovery, the poll scheduler, the metrics and the HTTP server. Tests build it with a controlled clock and
 * drive cycles with {@link #scheduler()}{@code .pollOnce()} instead of the timer.
 */
public final class AgentRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentRuntime.class.getName());

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AgentConfig config;
    private final SimulatorServer simulator;
    private final PrometheusRegistry registry;
    private final PrometheusMeterRegistry meters;
    private final SnapshotStore store;
    private final SessionMetrics sessionMetrics;
    private final PollScheduler scheduler;
    private final AgentServer server;

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
    }

    private AgentRuntime(AgentConfig configured, Options options) {
        try {
            AgentConfig effective = configured;
            AwsCredentialsProvider credentials = options.credentials();
            if (configured.source() == AgentConfig.Source.SIMULATOR) {
                // First, before anything else is logged: an agent on the simulator must never pass for a real one.
                LOG.log(Level.WARNING, "source: simulator \u2014 serving SIMULATED sessions, not AWS data "
                        + "(set source: aws, or SOURCE=aws, for the real service)");
                simulator = SimulatorServer.start(SimulatorSettings.of(configured.simulator()), options.clock(), "127.0.0.1",
                        configured.simulator().port());
                resources.add(simulator);
                effective = Configs.pointedAt(configured, simulator.endpoint().toString(), configured.simulator().region());
                if (credentials == null) {
                    // The simulator checks that requests are SigV4-signed for workspaces-web, not by whom.
                    credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIMULATOR", "simulator-secret"));
                }
                LOG.log(Level.INFO, "embedded simulator serving the WorkSpaces Web API on {0}", simulator.endpoint());
            } else {
                simulator = null;
                if (credentials == null) {
                    credentials = AwsCredentials.provider(configured.aws(), configured.aws().regions().get(0));
                }
            }
            this.config = effective;

            registry = new PrometheusRegistry();
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM);
            // process.cpu.time is in nanoseconds; as process_cpu_time_ns_total it fails promtool's lint (abbreviated
            // unit). process_cpu_usage covers the same ground.
            meters.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
            // jvm.threads.states: six gauges that each ask the ThreadMXBean about every thread, at every scrape (a
            // fixed 0.2 ms, most of a small agent's scrape; BENCHMARKS.md section 3). Live, daemon and peak stay.
            meters.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("jvm.threads.states")));
            // system.cpu.count would be system_cpu_count, which promtool's lint reads as a stray _count suffix.
            meters.config().meterFilter(new MeterFilter() {
                @Override
                public Meter.Id map(Meter.Id id) {
                    return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                }
            });
            resources.add(meters::close);
            // The JVM metrics come from Micrometer's binders only: client_java's JvmMetrics beside them would
            // register conflicting families and break every scrape.
            new ClassLoaderMetrics().bindTo(meters);
            new JvmMemoryMetrics().bindTo(meters);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(meters);
            resources.add(gc);
            new JvmThreadMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            new UptimeMetrics().bindTo(meters);
            new FileDescriptorMetrics().bindTo(meters);

            Map<String, WorkSpacesWebGateway> gateways = new LinkedHashMap<>();
            List<PortalRef> portals = new ArrayList<>();
            for (PortalRef p : effective.aws().portals()) {
                portals.add(p.inRegion(effective.aws().regions().get(0)));
            }
            Set<String> regions = new LinkedHashSet<>(effective.aws().regions());
            portals.forEach(p -> regions.add(p.region()));
            for (String region : regions) {
                WorkSpacesWebGateway gateway = WorkSpacesWebGateway.create(region, effective.aws(), credentials, meters, options.backoff(),
                        options.adaptiveRetries());
                resources.add(gateway);
                gateways.put(region, gateway);
            }

            store = new SnapshotStore();
            sessionMetrics = new SessionMetrics(effective, options.clock()).register(registry);
            BuildInfo build = BuildInfo.current();
            AgentMetrics agentMetrics = new AgentMetrics(meters, registry, build);
            ShardAssignment shard = ShardAssignment.resolve(effective.shard().count(), effective.shard().index(), hostName());
            agentMetrics.shardInfo(shard.index(), shard.count());
            PortalDiscovery discovery = new PortalDiscovery(portals, gateways, shard::owns);
            Map<String, PortalState> resumed = Map.of();
            StateFile stateFile = null;
            if (!effective.state().path().isBlank()) {
                stateFile = new StateFile(Path.of(effective.state().path()));
                resumed = stateFile.load();
            }
            Map<String, PortalState> initial = resumed;
            List<PollListener> listeners = new ArrayList<>(List.of(sessionMetrics, agentMetrics));
            SessionControl control = new SessionControl(gateways::get, registry);
            listeners.addAll(ControlWiring.policyListeners(effective, control, registry));
            scheduler = new PollScheduler(discovery, gateways::get, PollSettings.of(effective), options.clock(), store,
                    listeners, id -> initial.getOrDefault(id, PortalState.initial()));
            if (stateFile != null) {
                scheduler.persistTo(stateFile);
            }
            resources.add(scheduler);

            WebConfig web = effective.web().configFile().isBlank()
                    ? WebConfig.none()
                    : WebConfig.load(Path.of(effective.web().configFile()));
            server = AgentServer.start(effective.server().host(), effective.server().port(), registry, store, build.version(),
                    web, ControlWiring.adminRoutes(effective, store, control), simulator != null);
            resources.add(server);
            if (effective.otlp().enabled()) {
                // Closed before the registry: the last push happens while every collector is still there.
                resources.add(OtlpPusher.start(effective.otlp(), registry, System.getenv()));
            }
            if (options.startTimer()) {
                scheduler.start();
            }
            LOG.log(Level.INFO, "serving metrics on {0}://{1}:{2,number,#}/metrics", server.tls() ? "https" : "http",
                    effective.server().host(), server.port());
        } catch (RuntimeException e) {
            close();
            throw e;
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
