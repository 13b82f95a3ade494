package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.ConfigException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs the agent until it is stopped (SIGTERM / Ctrl-C). */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run the agent: poll the portals and serve /metrics (the default command).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return runAgent(config, spec);
    }

    /** Loads the configuration and runs the agent until the JVM is asked to stop. */
    static int runAgent(ConfigOption config, CommandSpec spec) {
        AgentConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("configuration error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        AgentRuntime agent;
        try {
            agent = AgentRuntime.start(loaded, AgentRuntime.Options.production());
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("could not start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }
}
