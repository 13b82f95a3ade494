package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.aws.ApiErrors;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.config.PortalRef;
import dev.workspacesweb.exporter.model.PortalInfo;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides which portals to poll: the configured ones, or every portal ListPortals returns in every region; and
 * fills in their details from ListPortals. A region whose ListPortals fails keeps the portals found before, so a
 * passing error never makes portals disappear.
 */
public final class PortalDiscovery {
    private static final System.Logger LOG = System.getLogger(PortalDiscovery.class.getName());

    private final List<PortalRef> configured;
    private final Map<String, WorkSpacesWebApi> gateways;
    private final Predicate<String> owned;
    private final Map<String, Map<String, PortalInfo>> lastByRegion = new HashMap<>();
    private final Map<String, String> loggedErrors = new HashMap<>();

    /**
     * @param configured the configured portals; empty = discover all
     * @param gateways   one gateway per region
     * @param owned      which portal ids this agent polls (sharding); everything when not sharded
     */
    public PortalDiscovery(List<PortalRef> configured, Map<String, ? extends WorkSpacesWebApi> gateways, Predicate<String> owned) {
        this.configured = List.copyOf(configured);
        this.gateways = Map.copyOf(gateways);
        this.owned = owned;
    }

    /** The portals to poll now, in a stable order, with the details ListPortals gave. */
    public List<PortalInfo> discover() {
        Map<String, PortalInfo> found = new LinkedHashMap<>();
        for (Map.Entry<String, WorkSpacesWebApi> e : gateways.entrySet()) {
            String region = e.getKey();
            try {
                Map<String, PortalInfo> inRegion = new LinkedHashMap<>();
                for (PortalInfo p : e.getValue().listPortals()) {
                    inRegion.put(p.portalId(), p);
                }
                lastByRegion.put(region, inRegion);
                loggedErrors.remove(region);
            } catch (RuntimeException ex) {
                String error = ApiErrors.describe(ex);
                if (!error.equals(loggedErrors.put(region, error))) {
                    LOG.log(Level.WARNING, "ListPortals failed in {0}, keeping the portals known before: {1}", region, error);
                }
            }
            found.putAll(lastByRegion.getOrDefault(region, Map.of()));
        }
        List<PortalInfo> result = new ArrayList<>();
        if (configured.isEmpty()) {
            for (PortalInfo p : found.values()) {
                if (owned.test(p.portalId())) {
                    result.add(p);
                }
            }
        } else {
            for (PortalRef ref : configured) {
                if (!owned.test(ref.portalId())) {
                    continue;
                }
                PortalInfo known = found.get(ref.portalId());
                result.add(known != null && known.region().equals(ref.region()) ? known : PortalInfo.ofId(ref.portalId(), ref.region()));
            }
        }
        return result;
    }
}
