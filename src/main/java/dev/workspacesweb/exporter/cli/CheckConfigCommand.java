package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.geo.GeoDatabase;
import dev.workspacesweb.exporter.geo.GeoIp;
import dev.workspacesweb.exporter.http.WebConfig;
import dev.workspacesweb.exporter.http.WebConfigException;
import java.nio.file.Path;
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
        AgentConfig loaded = config.loadOrReport(spec);
        if (loaded == null) {
            return ExitCodes.USAGE;
        }
        spec.commandLine().getOut().println(config.describe() + ": OK");
        if (!loaded.web().configFile().isBlank()) {
            try {
                spec.commandLine().getOut().println(loaded.web().configFile() + ": " + WebConfig.check(Path.of(loaded.web().configFile())));
            } catch (WebConfigException e) {
                spec.commandLine().getErr().println("configuration error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        try {
            GeoIp geo = AgentRuntime.openGeoIp(loaded.geoip());
            if (geo != null) {
                for (GeoDatabase.Kind kind : GeoDatabase.Kind.values()) {
                    geo.buildTime(kind).ifPresent(built -> spec.commandLine().getOut().println(
                            "GeoIP " + kind.label() + " database: built " + built));
                }
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("configuration error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        return ExitCodes.OK;
    }
}
