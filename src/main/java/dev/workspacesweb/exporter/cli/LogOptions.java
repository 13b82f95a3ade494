package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import dev.workspacesweb.exporter.config.AgentConfig.LogLevel;
import dev.workspacesweb.exporter.logging.EventFormatter;
import dev.workspacesweb.exporter.logging.StructuredLogging;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --log.level} and {@code --log.format} of the commands that run the agent or the simulator. A flag wins over
 * the config's {@code log.level} / {@code log.format} (whose variables {@code LOG_LEVEL} / {@code LOG_FORMAT} win
 * over the file).
 */
final class LogOptions {
    /** What a process logs with before its configuration is read. */
    static final AgentConfig.Log DEFAULT = new AgentConfig.Log(LogLevel.INFO, LogFormat.LOGFMT);

    @Option(names = "--log.level", paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "Log events at this level and above: debug, info, warn, error (default: log.level of the config, else info).")
    LogLevel level;

    @Option(names = "--log.format", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "Log line format: logfmt or json (default: log.format of the config, else logfmt).")
    LogFormat format;

    /** The flags over {@code log}. */
    AgentConfig.Log over(AgentConfig.Log log) {
        return new AgentConfig.Log(level != null ? level : log.level(), format != null ? format : log.format());
    }

    /**
     * Loads the configuration and gives the process's logging its settings: the flags over the environment while the
     * file is read (so its mistakes are reported in the requested format), then the flags over the configuration.
     *
     * @return the configuration, or null after reporting what is wrong with it (the command then exits 2)
     */
    AgentConfig loadAndApply(ConfigOption config, CommandSpec spec) {
        AgentConfig.Log early = over(fromEnvironment(System.getenv()));
        StructuredLogging.reconfigure(early);
        AgentConfig loaded = config.loadOrReport(spec, early.format());
        if (loaded != null) {
            StructuredLogging.reconfigure(over(loaded.log()));
        }
        return loaded;
    }

    /**
     * The settings of {@code LOG_LEVEL} and {@code LOG_FORMAT} for the time before the configuration is read (the
     * JVM's start, a configuration that does not load); a value that names no level or format is left at the default
     * here and reported by the configuration.
     */
    static AgentConfig.Log fromEnvironment(Map<String, String> env) {
        LogLevel l = DEFAULT.level();
        LogFormat f = DEFAULT.format();
        try {
            l = parse(LogLevel.class, env.getOrDefault("LOG_LEVEL", l.name()));
        } catch (IllegalArgumentException e) {
            // ConfigLoader names the variable.
        }
        try {
            f = parse(LogFormat.class, env.getOrDefault("LOG_FORMAT", f.name()));
        } catch (IllegalArgumentException e) {
            // Likewise.
        }
        return new AgentConfig.Log(l, f);
    }

    /**
     * The format to report a command line that does not parse in: that of a {@code --log.format} among the
     * arguments, else a valid {@code LOG_FORMAT}, else logfmt.
     */
    static LogFormat formatForUsageErrors(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            String value = args[i].startsWith("--log.format=") ? args[i].substring("--log.format=".length())
                    : args[i].equals("--log.format") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null) {
                try {
                    return parse(LogFormat.class, value);
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        return fromEnvironment(env).format();
    }

    /** A mistake that stops the command, written as one log event (logger {@code cli}) on the command's stderr. */
    static void report(CommandSpec spec, LogFormat format, String message) {
        spec.commandLine().getErr().println(StructuredLogging.line(format, LogLevel.ERROR, "cli", message));
        spec.commandLine().getErr().flush();
    }

    /** The constant named {@code value}, case-insensitively, or an IllegalArgumentException naming the choices. */
    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of " + Arrays.stream(type.getEnumConstants())
                    .map(EventFormatter::label).collect(Collectors.joining(", ")));
        }
    }

    static final class LevelConverter implements ITypeConverter<LogLevel> {
        @Override
        public LogLevel convert(String value) {
            try {
                return parse(LogLevel.class, value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FormatConverter implements ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return parse(LogFormat.class, value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
