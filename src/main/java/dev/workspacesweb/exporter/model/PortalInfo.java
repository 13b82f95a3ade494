package dev.workspacesweb.exporter.model;

/**
 * What the agent knows of a portal: its id and region always, the ListPortals fields when ListPortals returned it.
 *
 * @param maxConcurrentSessions null when unknown
 */
public record PortalInfo(
        String portalId,
        String region,
        String portalArn,
        String displayName,
        String portalStatus,
        String instanceType,
        Integer maxConcurrentSessions) {

    /** A portal known only by id (configured, not (yet) seen in ListPortals). */
    public static PortalInfo ofId(String portalId, String region) {
        return new PortalInfo(portalId, region, "", "", "", "", null);
    }
}
