package dev.workspacesweb.exporter.metrics;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.IpLiteral;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns usernames and client IPs into label values as {@code labels.*} says: as they are, as a keyed HMAC (stable
 * across restarts and agents with the same key, not reversible by brute force without it), or for IPs as their
 * /24 (IPv4) or /48 (IPv6) network. Runs once per poll, never per scrape.
 */
final class LabelValues {

    private final AgentConfig.Labels config;
    private final byte[] key;

    LabelValues(AgentConfig.Labels config) {
        this.config = config;
        this.key = config.hashKey() == null ? new byte[0] : config.hashKey().getBytes(StandardCharsets.UTF_8);
    }

    AgentConfig.Labels config() {
        return config;
    }

    boolean usernamesDropped() {
        return config.username() == AgentConfig.UsernameMode.DROP;
    }

    boolean clientIpsDropped() {
        return config.clientIp() == AgentConfig.ClientIpMode.DROP;
    }

    /** A per-call shaper: holds a Mac, so one per poll and thread. */
    Shaper shaper() {
        return new Shaper();
    }

    final class Shaper {
        private Mac mac;

        String username(String username) {
            return config.username() == AgentConfig.UsernameMode.HASH ? hash(username) : username;
        }

        String clientIp(String ip) {
            return switch (config.clientIp()) {
                case HASH -> hash(ip);
                case PREFIX -> prefix(ip);
                default -> ip;
            };
        }

        private String hash(String value) {
            try {
                if (mac == null) {
                    mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
                }
                byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
                // 64 bits: collisions stay negligible at any realistic number of users.
                return HexFormat.of().formatHex(digest, 0, 8);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }
    }

    /**
     * The /24 of an IPv4 address or the /48 of an IPv6 address (an IPv4-mapped IPv6 address counts as IPv4); anything
     * that is not an address literal unchanged. Parsed by {@link IpLiteral}, which never resolves a name.
     */
    static String prefix(String ip) {
        return IpLiteral.parse(ip).map(a -> a.length == 4
                ? (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + ".0/24"
                : String.format("%x:%x:%x::/48", ((a[0] & 0xff) << 8) | (a[1] & 0xff),
                        ((a[2] & 0xff) << 8) | (a[3] & 0xff), ((a[4] & 0xff) << 8) | (a[5] & 0xff)))
                .orElse(ip);
    }
}
