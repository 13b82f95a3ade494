package dev.workspacesweb.exporter.config;

import dev.workspacesweb.exporter.config.AgentConfig.Shard;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code shard.index: auto}: the index is the trailing ordinal of the host name, as a Kubernetes StatefulSet names
 * its pods ({@code wwe-exporter-2} is index 2). The loader keeps {@link #AUTO}; the CLI resolves it at start-up,
 * when the host name is known.
 */
public final class Shards {
    /** The value of {@link Shard#index()} when configured as {@code auto}. */
    public static final int AUTO = -1;

    private static final Pattern TRAILING_ORDINAL = Pattern.compile(".*?(\\d+)$");

    private Shards() {}

    /**
     * @param shard    the configured shard
     * @param hostName e.g. {@code InetAddress.getLocalHost().getHostName()} or {@code $HOSTNAME}; a domain part
     *                 ({@code pod-2.svc.cluster.local}) is ignored
     * @return {@code shard} itself when its index is not {@link #AUTO}, else the shard with the resolved index
     * @throws ConfigException (key {@code shard.index}) when the host name has no trailing number or it is not
     *                         less than {@code shard.count}
     */
    public static Shard resolve(Shard shard, String hostName) throws ConfigException {
        if (shard.index() != AUTO) {
            return shard;
        }
        String host = hostName.strip();
        int dot = host.indexOf('.');
        String shortName = dot >= 0 ? host.substring(0, dot) : host;
        Matcher m = TRAILING_ORDINAL.matcher(shortName);
        if (!m.matches()) {
            throw new ConfigException("shard.index", 0,
                    "auto needs a host name ending in a number (like a StatefulSet pod, app-2), got '" + host + "'");
        }
        int index;
        try {
            index = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            index = Integer.MAX_VALUE;
        }
        if (index >= shard.count()) {
            throw new ConfigException("shard.index", 0, "auto: host name '" + host + "' gives index " + m.group(1)
                    + ", which is not less than shard.count (" + shard.count() + ")");
        }
        return new Shard(shard.count(), index);
    }
}
