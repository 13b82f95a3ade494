package dev.workspacesweb.exporter.model;

/**
 * What the agent knows of a portal: its id and region always, the ListPortals fields when ListPortals returned it.
 *
 * @param maxConcurrentSessions null when unknown
 * @param accountId             the AWS account that owns the portal, "" when unknown (a bare configured id reached
 *                              with the base credentials)
 */
public record PortalInfo(
        String portalId,
        String region,
        String portalArn,
        String displayName,
        String portalStatus,
        String instanceType,
        Integer maxConcurrentSessions,
        String accountId) {

    public PortalInfo {
        accountId = accountId == null ? "" : accountId;
    }

    /** A portal whose account is the one in its ARN ("" without an ARN). */
    public PortalInfo(String portalId, String region, String portalArn, String displayName, String portalStatus,
            String instanceType, Integer maxConcurrentSessions) {
        this(portalId, region, portalArn, displayName, portalStatus, instanceType, maxConcurrentSessions,
                accountOfArn(portalArn));
    }

    /** This portal in another account (one its ARN did not name). */
    public PortalInfo withAccountId(String account) {
        return new PortalInfo(portalId, region, portalArn, displayName, portalStatus, instanceType,
                maxConcurrentSessions, account);
    }

    /** A portal known only by id (configured, not (yet) seen in ListPortals). */
    public static PortalInfo ofId(String portalId, String region) {
        return new PortalInfo(portalId, region, "", "", "", "", null, "");
    }

    /** The account of a portal ARN ({@code arn:aws:workspaces-web:<region>:<account>:portal/<id>}), else "". */
    public static String accountOfArn(String portalArn) {
        String[] parts = portalArn == null ? new String[0] : portalArn.split(":", 6);
        return parts.length == 6 && parts[4].matches("[0-9]{12}") ? parts[4] : "";
    }
}
