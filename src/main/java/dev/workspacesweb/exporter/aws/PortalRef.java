package dev.workspacesweb.exporter.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A portal as the session APIs address it: by its 36-character id, in one region. The id is the last segment of the
 * portal ARN ({@code arn:aws:workspaces-web:<region>:<account>:portal/<id>}), and the ARN's region wins over the
 * default region.
 */
public record PortalRef(String portalId, String region, String portalArn) {

    private static final Pattern ARN =
            Pattern.compile("arn:[a-z0-9-]+:workspaces-web:([a-z0-9-]+):[0-9]{12}:portal/([a-zA-Z0-9-]{36})");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9-]{36}");

    /**
     * Parses a configured portal: an ARN, or a bare id in {@code defaultRegion}.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static PortalRef parse(String idOrArn, String defaultRegion) {
        Matcher arn = ARN.matcher(idOrArn);
        if (arn.matches()) {
            return new PortalRef(arn.group(2), arn.group(1), idOrArn);
        }
        if (ID.matcher(idOrArn).matches()) {
            return new PortalRef(idOrArn, defaultRegion, "");
        }
        throw new IllegalArgumentException(
                "not a portal id (36 characters of [a-zA-Z0-9-]) or portal ARN (arn:aws:workspaces-web:REGION:ACCOUNT:portal/ID): "
                        + idOrArn);
    }

    /** The portal id at the end of a portal ARN as ListPortals returns it. */
    public static String idOfArn(String portalArn) {
        int slash = portalArn.lastIndexOf('/');
        return slash < 0 ? portalArn : portalArn.substring(slash + 1);
    }
}
