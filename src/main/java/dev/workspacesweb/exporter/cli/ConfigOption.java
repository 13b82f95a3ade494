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

    /** The configuration, or null after telling the user what is wrong with it (the command then exits 2). */
    AgentConfig loadOrReport(picocli.CommandLine.Model.CommandSpec spec) {
        try {
            return load();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("configuration error: " + e.getMessage());
            return null;
        }
    }

    /**
     * The configuration, or null after writing what is wrong with it as one log event in {@code format} (the agent's
     * commands, whose stderr is a log).
     */
    AgentConfig loadOrReport(picocli.CommandLine.Model.CommandSpec spec, dev.workspacesweb.exporter.config.AgentConfig.LogFormat format) {
        try {
            return load();
        } catch (ConfigException e) {
            LogOptions.report(spec, format, "configuration error: " + e.getMessage());
            return null;
        }
    }

    /** Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes {@code running}. */
    static void runUntilStopped(AutoCloseable running) {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                // Shutting down anyway.
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String describe() {
        return file != null ? file.toString() : Files.isRegularFile(Path.of("config.yaml")) ? "config.yaml" : "built-in defaults";
    }
}
