package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.http.AdminApi;
import dev.workspacesweb.exporter.geo.GeoIp;
import dev.workspacesweb.exporter.policy.PolicyEngine;
import dev.workspacesweb.exporter.policy.SessionControl;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Session control in the running agent, both off by default: the admin API's routes and the policy engine. The agent
 * runtime calls these two and passes the results on:
 * <pre>{@code
 * SessionControl control = new SessionControl(gateways::get, registry);
 * ControlWiring.policyEngines(effective, control, registry).forEach(store::subscribe);
 * AgentServer.start(..., ControlWiring.adminRoutes(effective, store, control));
 * }</pre>
 */
public final class ControlWiring {
    private static final System.Logger LOG = System.getLogger(ControlWiring.class.getName());

    private ControlWiring() {}

    /**
     * The admin API's routes when {@code admin.enabled}, else a no-op.
     *
     * @param control how the admin API expires sessions (a portal's region comes from its view in the store)
     * @throws IllegalStateException when the token file cannot be read or is empty (the agent must not start)
     */
    public static Consumer<HttpRouting.Builder> adminRoutes(AgentConfig config, SnapshotStore store, SessionControl control) {
        if (!config.admin().enabled()) {
            return routing -> {};
        }
        String token = readToken(Path.of(config.admin().tokenFile()));
        AdminApi api = new AdminApi(token, store, control);
        LOG.log(Level.INFO, "admin API enabled under {0} (bearer token from {1})", AdminApi.PREFIX, config.admin().tokenFile());
        return api::register;
    }

    /** The policy engine, to subscribe to the store, when policies are configured, else nothing. */
    public static List<PolicyEngine> policyEngines(AgentConfig config, SessionControl control, PrometheusRegistry registry) {
        if (config.policies().isEmpty()) {
            return List.of();
        }
        return List.of(new PolicyEngine(config.policies(), control, registry));
    }

    /**
     * As above with the decisions counter already registered ({@link #policyActions}), e.g. across reloads.
     *
     * @param geo the GeoIP databases the country policies use, or null when none is configured
     */
    public static List<PolicyEngine> policyEngines(AgentConfig config, SessionControl control, Counter actions,
            GeoIp geo) {
        if (config.policies().isEmpty()) {
            return List.of();
        }
        return List.of(new PolicyEngine(config.policies(), control, actions, geo));
    }

    /** Registers the counter of policy decisions, once per agent. */
    public static Counter policyActions(PrometheusRegistry registry) {
        return PolicyEngine.actionsCounter(registry);
    }

    /** The token file's content without surrounding whitespace (a trailing newline is what editors leave). */
    static String readToken(Path file) {
        String token;
        try {
            token = Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("admin.token_file: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (token.isEmpty()) {
            throw new IllegalStateException("admin.token_file: " + file + " is empty (the admin API needs a bearer token)");
        }
        if (token.length() < 16) {
            LOG.log(Level.WARNING, "admin.token_file: the token in {0} is short ({1} characters); use 32 random bytes, "
                    + "e.g. openssl rand -hex 32", file, token.length());
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.log(Level.WARNING, "admin.token_file: {0} is readable by every user; chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
        return token;
    }
}
