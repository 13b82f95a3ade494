package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.http.WebConfigException;
import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs the agent until it is stopped (SIGTERM / Ctrl-C); SIGHUP reloads the configuration. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run the agent: poll the portals and serve /metrics (the default command).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Mixin
    LogOptions logs = new LogOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return runAgent(config, logs, spec);
    }

    /** Loads the configuration and runs the agent until the JVM is asked to stop. */
    static int runAgent(ConfigOption config, LogOptions logs, CommandSpec spec) {
        AgentConfig loaded = logs.loadAndApply(config, spec);
        if (loaded == null) {
            return ExitCodes.USAGE;
        }
        LogFormat errorFormat = logs.over(loaded.log()).format();
        AgentRuntime agent;
        try {
            agent = AgentRuntime.start(loaded, AgentRuntime.Options.production());
        } catch (WebConfigException | IllegalArgumentException e) {
            // web.config_file mistakes, a shard index that cannot be resolved, a bad CIDR: configuration errors.
            LogOptions.report(spec, errorFormat, "configuration error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (RuntimeException e) {
            LogOptions.report(spec, errorFormat, "could not start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        agent.reloadFrom(config::load);
        ReloadSignal.install(agent);
        ConfigOption.runUntilStopped(agent);
        return ExitCodes.OK;
    }
}
