package dev.workspacesweb.exporter.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation, e.g. {@code 203.0.113.0/24} or {@code 2001:db8::/32}, that client IP
 * addresses are matched against. Host bits after the prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 * An IPv4-mapped network ({@code ::ffff:203.0.113.0/120}) is the IPv4 network it carries, and an IPv4-mapped client
 * address is its IPv4 address, so both spellings match the same clients. Otherwise an IPv4 address never lies in an
 * IPv6 network or the reverse (as Go's {@code netip.Prefix.Contains}): {@code ::/0} is every IPv6 client, not every
 * client.
 */
public final class Cidr {
    private final String text;
    private final byte[] network;
    private final int prefixLength;

    private Cidr(String text, byte[] network, int prefixLength) {
        this.text = text;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * @param text {@code <address literal>/<prefix length>}
     * @throws IllegalArgumentException saying what is wrong
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Cidr parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(
                    "not a CIDR: '" + trimmed + "' (expected <address>/<prefix length>, e.g. 10.0.0.0/8 or 2001:db8::/32)");
        }
        String address = trimmed.substring(0, slash);
        String prefix = trimmed.substring(slash + 1);
        byte[] raw = IpLiteral.parse(address).orElse(null);
        if (raw == null) {
            throw new IllegalArgumentException("not a CIDR: '" + trimmed + "' (bad address '" + address + "')");
        }
        // Prefix of the address as written: 16 bytes when written as IPv6, even if it was IPv4-mapped.
        boolean writtenAsIpv6 = address.indexOf(':') >= 0;
        int maxPrefix = writtenAsIpv6 ? 128 : 32;
        int length = parsePrefix(prefix);
        if (length < 0 || length > maxPrefix) {
            throw new IllegalArgumentException("not a CIDR: '" + trimmed + "' (prefix length must be 0-" + maxPrefix + ")");
        }
        if (writtenAsIpv6 && raw.length == 4) {
            // An IPv4-mapped network is the IPv4 network it carries; below /96 it would also span IPv6 addresses
            // that are not mapped, which no one means.
            if (length < 96) {
                throw new IllegalArgumentException("not a CIDR: '" + trimmed
                        + "' (an IPv4-mapped network needs a prefix length of 96-128; or write it as IPv4)");
            }
            return new Cidr(trimmed, mask(raw, length - 96), length - 96);
        }
        return new Cidr(trimmed, mask(raw, length), length);
    }

    private static int parsePrefix(String prefix) {
        if (prefix.isEmpty() || prefix.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsKept = Math.max(0, Math.min(8, prefixLength - 8 * i));
            out[i] &= (byte) (0xff << (8 - bitsKept));
        }
        return out;
    }

    /** Whether the client address (an IP literal as the API reports it) lies in this network; false if unparseable. */
    public boolean contains(String address) {
        Optional<byte[]> parsed = IpLiteral.parse(address);
        return parsed.isPresent() && contains(parsed.get());
    }

    boolean contains(byte[] address) {
        byte[] candidate = IpLiteral.unmapIpv4(address);
        return candidate.length == network.length && Arrays.equals(mask(candidate, prefixLength), network);
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The same network, however written ({@code 10.1.2.3/8} equals {@code 10.0.0.0/8}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** As written in the configuration. */
    @Override
    public String toString() {
        return text;
    }
}
