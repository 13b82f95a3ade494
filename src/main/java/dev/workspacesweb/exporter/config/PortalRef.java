package dev.workspacesweb.exporter.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A portal as the session APIs address it: by its 36-character id, in one region. The id is the last segment of the
 * portal ARN ({@code arn:aws:workspaces-web:<region>:<account>:portal/<id>}), and the ARN's region wins over the
 * default region. Parsed once, where the configuration (or a command line argument) is read.
 *
 * @param portalId  the 36-character id
 * @param region    the ARN's region; empty for a bare id until {@link #inRegion} gives it the default region
 * @param portalArn the ARN as configured, empty for a bare id
 */
public record PortalRef(String portalId, String region, String portalArn) {

    private static final Pattern ARN =
            Pattern.compile("arn:[a-z][a-z0-9-]*:workspaces-web:([a-z0-9-]+):[0-9]{12}:portal/([a-zA-Z0-9-]{36})");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9-]{36}");

    /**
     * Parses a configured portal: an ARN, or a bare id (whose region is then empty).
     *
     * @throws IllegalArgumentException saying what a portal ID and a portal ARN look like
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PortalRef parse(String idOrArn) {
        String text = idOrArn.strip();
        Matcher arn = ARN.matcher(text);
        if (arn.matches()) {
            return new PortalRef(arn.group(2), arn.group(1), text);
        }
        if (ID.matcher(text).matches()) {
            return new PortalRef(text, "", "");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        if (text.startsWith("arn:")) {
            throw new IllegalArgumentException("not a portal ARN: '" + text + "' (expected arn:<partition>:workspaces-web:"
                    + "<region>:<12-digit account>:portal/<36 characters of a-z, A-Z, 0-9, ->)");
        }
        throw new IllegalArgumentException(
                "not a portal ID or ARN: '" + text + "' (a portal ID is 36 characters of a-z, A-Z, 0-9 and -)");
    }

    /** Parses a portal and places a bare id in {@code defaultRegion}. */
    public static PortalRef parse(String idOrArn, String defaultRegion) {
        return parse(idOrArn).inRegion(defaultRegion);
    }

    /** This portal, a bare id placed in {@code defaultRegion}; an ARN keeps its own region. */
    public PortalRef inRegion(String defaultRegion) {
        return region.isEmpty() ? new PortalRef(portalId, defaultRegion, portalArn) : this;
    }

    /** The portal id at the end of a portal ARN as ListPortals returns it. */
    public static String idOfArn(String portalArn) {
        int slash = portalArn.lastIndexOf('/');
        return slash < 0 ? portalArn : portalArn.substring(slash + 1);
    }

    /** As configured: the ARN, or the bare id. */
    @Override
    public String toString() {
        return portalArn.isEmpty() ? portalId : portalArn;
    }
}
