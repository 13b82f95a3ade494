package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.ConfigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Validates a configuration and exits: 0 valid, 2 invalid (with the key and line named). */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Validate the configuration and exit (0 valid, 2 invalid).")
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            config.load();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("configuration error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        spec.commandLine().getOut().println(config.describe() + ": OK");
        return ExitCodes.OK;
    }
}
