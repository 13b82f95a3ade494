package dev.workspacesweb.exporter.poll;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which portals one replica polls when {@code shard.count} replicas share the work: rendezvous hashing (highest
 * random weight). Every replica computes, for each portal, a weight per shard index and owns the portal when its own
 * index has the highest weight. No coordination is needed, every portal has exactly one owner, and changing the
 * count from n to n+1 moves only the ~1/(n+1) portals whose new highest weight is the new index; the others keep
 * their owner, so their sessions, counters and state stay where they are.
 *
 * <p>The weight is the first 64 bits of SHA-256 over (portal id, shard index): stable across JVMs, versions and
 * platforms (replicas of different versions during a rolling upgrade must agree), and well mixed, unlike
 * {@link String#hashCode()}, whose close inputs give close outputs. Portals are few (tens to thousands) and
 * ownership is decided at discovery, so the cost of a digest per (portal, shard) does not matter.
 *
 * @param count the number of shards, at least 1
 * @param index this replica's shard, in {@code [0, count)}
 */
public record ShardAssignment(int count, int index) {
    /** The value of {@code shard.index} in the config record when it is configured as {@code auto}. */
    public static final int AUTO = -1;

    /** A StatefulSet pod's host name is {@code <statefulset name>-<ordinal>}. */
    private static final Pattern TRAILING_ORDINAL = Pattern.compile("-(\\d+)$");

    public ShardAssignment {
        if (count < 1) {
            throw new IllegalArgumentException("shard.count must be at least 1, got " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(
                    "shard.index must be in [0, " + count + ") for shard.count " + count + ", got " + index);
        }
    }

    public static ShardAssignment of(int count, int index) {
        return new ShardAssignment(count, index);
    }

    /** The assignment of one unsharded agent: it owns every portal. */
    public static ShardAssignment single() {
        return new ShardAssignment(1, 0);
    }

    /**
     * The shard index to use: {@code configuredIndex} itself when it is a number, or with {@link #AUTO} the trailing
     * ordinal of {@code hostname} as a StatefulSet names its pods ({@code wwe-2} gives 2; a domain after the first
     * '.' is ignored). Whether the index is below {@code shard.count} is checked by {@link #of(int, int)}, or by
     * {@link #resolve(int, int, String)} with the host name in the message.
     *
     * @throws IllegalArgumentException when {@code configuredIndex} is below -1, or auto is asked and the host name
     *                                  has no trailing {@code -<number>}
     */
    public static int resolveIndex(int configuredIndex, String hostname) {
        if (configuredIndex >= 0) {
            return configuredIndex;
        }
        if (configuredIndex != AUTO) {
            throw new IllegalArgumentException("shard.index must be a number >= 0 or auto, got " + configuredIndex);
        }
        String host = hostname == null ? "" : hostname.strip();
        int dot = host.indexOf('.');
        String firstLabel = dot < 0 ? host : host.substring(0, dot);
        Matcher m = TRAILING_ORDINAL.matcher(firstLabel);
        if (!m.find()) {
            throw new IllegalArgumentException("shard.index is auto but the host name '" + host
                    + "' has no trailing -<ordinal> (as a StatefulSet pod's 'name-2' has); set shard.index to a number");
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard.index is auto but the ordinal of host name '" + host + "' is too large", e);
        }
    }

    /**
     * {@link #resolveIndex(int, String)} then {@link #of(int, int)}, saying which host name gave an index out of
     * range (a StatefulSet scaled beyond {@code shard.count}).
     */
    public static ShardAssignment resolve(int count, int configuredIndex, String hostname) {
        int index = resolveIndex(configuredIndex, hostname);
        if (configuredIndex == AUTO && index >= count) {
            throw new IllegalArgumentException("shard.index is auto and host name '" + hostname + "' gives ordinal " + index
                    + ", which is not below shard.count " + count + "; make shard.count match the number of replicas");
        }
        return of(count, index);
    }

    /** Whether this replica polls the portal with this id. */
    public boolean owns(String portalId) {
        return count == 1 || ownerOf(portalId) == index;
    }

    /** The shard index that polls the portal with this id: the one with the highest weight, the lowest on a tie. */
    public int ownerOf(String portalId) {
        int owner = 0;
        long best = weight(portalId, 0);
        for (int i = 1; i < count; i++) {
            long w = weight(portalId, i);
            if (Long.compareUnsigned(w, best) > 0) {
                best = w;
                owner = i;
            }
        }
        return owner;
    }

    /** The first 64 bits of SHA-256 over the UTF-8 portal id, a 0 separator and the big-endian shard index. */
    static long weight(String portalId, int shardIndex) {
        MessageDigest sha256 = sha256();
        sha256.update(portalId.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(shardIndex).array());
        return ByteBuffer.wrap(sha256.digest()).getLong();
    }

    private static MessageDigest sha256() {
        try {
            // A new instance per call: MessageDigest is not thread-safe, and discovery may run on any thread.
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
