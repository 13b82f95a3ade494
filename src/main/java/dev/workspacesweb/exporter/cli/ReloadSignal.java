package dev.workspacesweb.exporter.cli;

import java.lang.System.Logger.Level;
import sun.misc.Signal;

/**
 * SIGHUP reloads the configuration, as with Prometheus and its exporters. {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}) is the JDK's supported-in-practice way to handle a signal; the JDK's own
 * {@code jdk.internal.misc.Signal} is not exported. The reload runs on a thread of its own, never in the signal
 * dispatcher.
 */
final class ReloadSignal {
    private static final System.Logger LOG = System.getLogger(ReloadSignal.class.getName());

    private ReloadSignal() {}

    static void install(AgentRuntime agent) {
        try {
            Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().name("reload-sighup").start(() -> {
                LOG.log(Level.INFO, "SIGHUP: reloading the configuration");
                try {
                    agent.reloadFromSource();
                } catch (Exception e) {
                    // Logged with the key and line by the agent; the running configuration stays.
                }
            }));
        } catch (IllegalArgumentException e) {
            // No SIGHUP on this platform (Windows): POST /-/reload still works.
            LOG.log(Level.DEBUG, "SIGHUP cannot be handled here: {0}", e.getMessage());
        }
    }
}
