package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.ConfigException;
import dev.workspacesweb.exporter.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command; default {@code ./config.yaml} if present, else built-in defaults. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: ./config.yaml if present, else built-in defaults).")
    Path file;

    AgentConfig load() throws ConfigException {
        Path path = file;
        if (path == null) {
            Path local = Path.of("config.yaml");
            path = Files.isRegularFile(local) ? local : null;
        }
        return ConfigLoader.load(path, System.getenv());
    }

    String describe() {
        return file != null ? file.toString() : Files.isRegularFile(Path.of("config.yaml")) ? "config.yaml" : "built-in defaults";
    }
}
