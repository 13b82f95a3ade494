package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.http.AgentServer;
import java.lang.System.Logger.Level;

/**
 * Loads and initializes the two big class graphs of the agent's start-up, the web server's and the AWS SDK's, on a
 * background thread while the main thread parses the flags and the configuration (as Spring Boot's
 * BackgroundPreinitializer does). On two cores the halves of the start-up overlap instead of following each other;
 * the main thread, reaching the same classes, waits at most for the one being initialized. Nothing it does is
 * required: on any failure the real start-up simply does the work itself.
 */
final class Preinitializer {
    private static final System.Logger LOG = System.getLogger(Preinitializer.class.getName());

    private Preinitializer() {}

    /** Starts it for the commands that run the agent ({@code run}, the default). */
    static void startFor(String[] args) {
        if (args.length > 0 && !args[0].equals("run") && !args[0].startsWith("-")) {
            return;
        }
        Thread.ofPlatform().daemon(true).name("preinitializer").start(() -> {
            try {
                AgentServer.preload();
                WorkSpacesWebGateway.preload();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.DEBUG, "preinitialization failed; the start-up does the work itself", e);
            }
        });
    }
}
