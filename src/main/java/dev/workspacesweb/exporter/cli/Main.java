package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.logging.StructuredLogging;
import dev.workspacesweb.exporter.metrics.BuildInfo;
import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar workspaces-web-exporter.jar [run] [--config FILE]}, plus {@code simulate} and
 * {@code check-config}. Exit codes: 0 ok, 1 runtime or AWS error, 2 usage or configuration error.
 */
@Command(
        name = "workspaces-web-exporter",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Prometheus exporter for Amazon WorkSpaces Secure Browser sessions. Without a subcommand: run.")
public final class Main implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Mixin
    LogOptions logs = new LogOptions();

    @Spec
    CommandSpec spec;

    /** Without a subcommand, the agent runs. */
    @Override
    public Integer call() {
        return RunCommand.runAgent(config, logs, spec);
    }


    public static void main(String[] args) {
        // First of all, so that every line on stderr is a log event: level and format from LOG_LEVEL / LOG_FORMAT
        // until the command has read its flags and configuration.
        StructuredLogging.install(LogOptions.fromEnvironment(System.getenv()));
        Preinitializer.startFor(args);
        // The agent's own start needs only the run command: picocli's model of the other five costs about 0.1 s.
        CommandLine cli = commandLine(!Preinitializer.runsTheAgent(args));
        cli.setErr(new PrintWriter(new OutputStreamWriter(StructuredLogging.stderr(), StandardCharsets.UTF_8), true));
        System.exit(cli.execute(args));
    }

    /** The configured command line with every subcommand (also used by tests to run commands in-process). */
    public static CommandLine commandLine() {
        return commandLine(true);
    }

    /** The command line with {@code run} only, or with every subcommand (in the order the help lists them). */
    static CommandLine commandLine(boolean everySubcommand) {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand(new RunCommand());
        if (everySubcommand) {
            cli.addSubcommand(new SimulateCommand());
            cli.addSubcommand(new CheckConfigCommand());
            cli.addSubcommand(new SessionsCommand());
            cli.addSubcommand(new PortalsCommand());
            cli.addSubcommand(new CommandLine.HelpCommand());
        }
        cli.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        cli.setParameterExceptionHandler((ex, args) -> {
            // One log event like every other line on stderr, though the flags did not parse.
            LogFormat format = LogOptions.formatForUsageErrors(args, System.getenv());
            LogOptions.report(ex.getCommandLine().getCommandSpec(), format, ex.getMessage() + " (try '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.current();
            return new String[] {"workspaces-web-exporter " + b.version() + " (revision " + b.revision() + ", Java " + b.javaVersion() + ")"};
        }
    }
}
