package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.simulator.SimulatorServer;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Serves the simulator alone on 127.0.0.1:PORT, for any AWS client (CLI, SDKs) to talk to. */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Serve the WorkSpaces Web simulator alone on 127.0.0.1:PORT (workload from the config's simulator section).")
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Mixin
    LogOptions logs = new LogOptions();

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "Port on 127.0.0.1 (0 = any free port).")
    int port;

    @Option(names = "--seed", paramLabel = "N", description = "Workload seed (default: simulator.seed of the config).")
    Long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AgentConfig loaded = logs.loadAndApply(config, spec);
        if (loaded == null) {
            return ExitCodes.USAGE;
        }
        SimulatorSettings s = SimulatorSettings.of(loaded.simulator());
        if (seed != null) {
            s = new SimulatorSettings(seed, s.port(), s.region(), s.accountId(), s.portals(), s.users(), s.arrivalsPerMinute(),
                    s.medianSessionDuration(), s.durationSigma(), s.initialActiveSessions(), s.historySessions(),
                    s.maxIpsPerSession(), s.defaultPageSize(), s.maxPageSize(), s.faults(), s.accounts(), s.clientNetworks());
        }
        SimulatorServer server = SimulatorServer.start(s, InstantSource.system(), "127.0.0.1", port);
        spec.commandLine().getOut().println("WorkSpaces Web simulator listening on " + server.endpoint()
                + " (portals: " + String.join(", ", server.portalIds()) + ")");
        spec.commandLine().getOut().flush();
        ConfigOption.runUntilStopped(server);
        return ExitCodes.OK;
    }
}
