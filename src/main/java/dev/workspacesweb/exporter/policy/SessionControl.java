package dev.workspacesweb.exporter.policy;

import dev.workspacesweb.exporter.aws.ApiErrors;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one way to expire a session, for the CLI, the admin API and the policies alike: ExpireSession through the
 * gateway of the portal's region (its rate limit, retries and API metrics), one line on the {@code audit} logger and
 * one count in {@code workspaces_web_session_expirations_total{actor, outcome}}, whatever the outcome.
 */
public final class SessionControl {
    public static final String METRIC = "workspaces_web_session_expirations";
    public static final String EXPIRED = "expired";
    public static final String FAILED = "failed";

    /** Who asks: {@code policy}, {@code admin_api} or {@code cli}, as the audit line and the counter name them. */
    public enum Actor {
        POLICY("policy"),
        ADMIN_API("admin_api"),
        CLI("cli");

        private final String label;

        Actor(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What an expiry came to.
     *
     * @param errorCode the AWS error code (or Timeout, IOError...) when it failed, else empty
     * @param error     one line describing the failure, else empty
     */
    public record Outcome(boolean expired, String errorCode, String error) {
        public String result() {
            return expired ? EXPIRED : FAILED;
        }
    }

    /** Which gateway reaches a portal: by its region (one account), or by the portal itself (several accounts). */
    @FunctionalInterface
    public interface Gateways {
        /** The gateway for this portal in this region, or null when there is none. */
        WorkSpacesWebApi of(String region, String portalId);
    }

    private final Gateways gateways;
    private final Counter expirations;

    /**
     * @param gatewayOfRegion the gateway of a region; null for a region without one
     * @param registry        where the counter is registered
     */
    public SessionControl(Function<String, ? extends WorkSpacesWebApi> gatewayOfRegion, PrometheusRegistry registry) {
        this((region, portalId) -> gatewayOfRegion.apply(region), registry);
    }

    /**
     * @param gateways the gateway of a portal (its account's, in its region)
     * @param registry where the counter is registered
     */
    public SessionControl(Gateways gateways, PrometheusRegistry registry) {
        this.gateways = gateways;
        this.expirations = Counter.builder()
                .name(METRIC)
                .help("ExpireSession calls by who asked (policy, admin_api, cli) and outcome (expired, failed)")
                .labelNames("actor", "outcome")
                .register(registry);
    }

    /**
     * Expires one session and audits it.
     *
     * @param context audit fields of the caller, key, value, ... (e.g. the policy and its reason, the remote address);
     *                written between {@code actor} and {@code action}; {@code user} and {@code client_ips} at debug
     *                only (see {@link AuditLog})
     */
    public Outcome expire(Actor actor, String region, String portalId, String sessionId, List<String> context) {
        Outcome outcome;
        WorkSpacesWebApi gateway = gateways.of(region, portalId);
        if (gateway == null) {
            outcome = new Outcome(false, "NoGateway", "no gateway for portal " + portalId + " in region " + region);
        } else {
            try {
                gateway.expireSession(portalId, sessionId);
                outcome = new Outcome(true, "", "");
            } catch (RuntimeException e) {
                outcome = new Outcome(false, ApiErrors.code(e), ApiErrors.describe(e));
            }
        }
        expirations.labelValues(actor.label(), outcome.result()).inc();
        List<String> fields = new ArrayList<>(List.of("actor", actor.label()));
        fields.addAll(context);
        fields.addAll(List.of(
                "action", "expire",
                "portal", portalId,
                "session", sessionId,
                "result", outcome.result(),
                "error", outcome.error()));
        AuditLog.write(outcome.expired() ? Level.INFO : Level.WARNING, fields);
        return outcome;
    }
}
