package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.config.ConfigLoader;
import dev.workspacesweb.exporter.http.AgentServer;
import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * Loads and initializes the big class graphs of the agent's start-up on a background thread while the main thread
 * parses the flags and the configuration (as Spring Boot's BackgroundPreinitializer does): first the configuration's
 * Jackson mapper and built-in defaults, which the main thread needs right after the flags, then the web server's,
 * then the AWS SDK's. On two cores the parts of the start-up overlap instead of following each other; the main
 * thread, reaching the same classes, waits at most for the one being initialized. Nothing it does is required: on
 * any failure the real start-up simply does the work itself.
 */
final class Preinitializer {
    private static final System.Logger LOG = System.getLogger(Preinitializer.class.getName());

    /** The options whose value may follow as the next argument. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--config", "--log.level", "--log.format");
    /** The flags that only print something. */
    private static final Set<String> HELP_AND_VERSION = Set.of("-h", "--help", "-V", "--version");

    private Preinitializer() {}

    /** Whether these arguments run the agent: no subcommand but {@code run}, no help or version flag. */
    static boolean runsTheAgent(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++; // its value
            } else if (HELP_AND_VERSION.contains(arg) || (!arg.startsWith("-") && !arg.equals("run"))) {
                return false;
            }
        }
        return true;
    }

    /** Starts it for the command that runs the agent ({@code run}, the default), not for help, version or others. */
    static void startFor(String[] args) {
        if (!runsTheAgent(args)) {
            return;
        }
        Thread.ofPlatform().daemon(true).name("preinitializer").start(() -> {
            try {
                // First what the main thread needs first: the configuration's Jackson mapper and built-in defaults.
                Class.forName(ConfigLoader.class.getName(), true, ConfigLoader.class.getClassLoader());
                AgentServer.preload();
                WorkSpacesWebGateway.preload();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.log(Level.DEBUG, "preinitialization failed; the start-up does the work itself", e);
            }
        });
    }
}
