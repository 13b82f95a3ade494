package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.config.PortalRef;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import java.util.List;
import java.util.Map;

/**
 * One AWS account the agent polls: its gateway per region (each with the account's credentials) and the portals
 * configured for it.
 *
 * @param accountId the 12-digit account id when known beforehand (an assumed role's account), else "" (the base
 *                  credentials' account, then learned from the portal ARNs ListPortals returns)
 * @param gateways  one gateway per region, in the configured order
 * @param portals   the configured portals (each in one of the gateways' regions); empty = discover every portal
 */
public record AccountTarget(String accountId, Map<String, WorkSpacesWebApi> gateways, List<PortalRef> portals) {
    public AccountTarget {
        gateways = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gateways));
        portals = List.copyOf(portals);
    }
}
