package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.logging.LogFormat;
import dev.workspacesweb.exporter.logging.LogLevel;
import dev.workspacesweb.exporter.logging.StructuredLogging;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --log.level} and {@code --log.format} of the commands that run the agent or the simulator. A flag wins over
 * the {@code LOG_LEVEL} / {@code LOG_FORMAT} variables, which win over the defaults {@code info} and {@code logfmt}.
 */
final class LogOptions {
    static final String LEVEL_VARIABLE = "LOG_LEVEL";
    static final String FORMAT_VARIABLE = "LOG_FORMAT";

    @Option(names = "--log.level", paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "Log events at this level and above: debug, info, warn, error (default: LOG_LEVEL, else info).")
    LogLevel level;

    @Option(names = "--log.format", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "Log line format: logfmt or json (default: LOG_FORMAT, else logfmt).")
    LogFormat format;

    /** What a process logs with: the flags over the environment over the defaults. */
    record Settings(LogLevel level, LogFormat format) {
        static final Settings DEFAULT = new Settings(LogLevel.INFO, LogFormat.LOGFMT);

        /** The environment's settings; a variable that does not name a level or format is left at the default. */
        static Settings lenientFromEnvironment(Map<String, String> env) {
            LogLevel level = DEFAULT.level();
            LogFormat format = DEFAULT.format();
            try {
                level = LogLevel.parse(env.getOrDefault(LEVEL_VARIABLE, level.label()));
            } catch (IllegalArgumentException e) {
                // Reported by the command that runs the agent, once it has its flags.
            }
            try {
                format = LogFormat.parse(env.getOrDefault(FORMAT_VARIABLE, format.label()));
            } catch (IllegalArgumentException e) {
                // Likewise.
            }
            return new Settings(level, format);
        }
    }

    /**
     * The settings of the flags over those of the environment.
     *
     * @throws IllegalArgumentException naming the variable, for a variable that is neither overridden nor valid
     */
    Settings resolve(Map<String, String> env) {
        LogLevel l = level != null ? level : fromVariable(env, LEVEL_VARIABLE, LogLevel::parse, Settings.DEFAULT.level());
        LogFormat f = format != null ? format : fromVariable(env, FORMAT_VARIABLE, LogFormat::parse, Settings.DEFAULT.format());
        return new Settings(l, f);
    }

    /**
     * Gives the process's logging the resolved level and format.
     *
     * @return the format in which to report the command's later mistakes; null after reporting a bad variable (the
     *         command then exits 2)
     */
    LogFormat applyOrReport(CommandSpec spec, Map<String, String> env) {
        try {
            Settings settings = resolve(env);
            StructuredLogging.reconfigure(settings.level(), settings.format());
            return settings.format();
        } catch (IllegalArgumentException e) {
            report(spec, formatForErrors(env), "configuration error: " + e.getMessage());
            return null;
        }
    }

    /** A mistake that stops the command, written as one log event (logger {@code cli}) on the command's stderr. */
    static void report(CommandSpec spec, LogFormat format, String message) {
        spec.commandLine().getErr().println(StructuredLogging.line(format, LogLevel.ERROR, "cli", message));
        spec.commandLine().getErr().flush();
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
                    return LogFormat.parse(value);
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        return Settings.lenientFromEnvironment(env).format();
    }

    /** The format to report a mistake in, whatever else is wrong: the flag, else a valid variable, else logfmt. */
    private LogFormat formatForErrors(Map<String, String> env) {
        return format != null ? format : Settings.lenientFromEnvironment(env).format();
    }

    private static <T> T fromVariable(Map<String, String> env, String variable, java.util.function.Function<String, T> parse,
            T fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " (environment): " + e.getMessage(), e);
        }
    }

    static final class LevelConverter implements ITypeConverter<LogLevel> {
        @Override
        public LogLevel convert(String value) {
            try {
                return LogLevel.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FormatConverter implements ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
