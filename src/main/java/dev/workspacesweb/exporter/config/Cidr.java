package dev.workspacesweb.exporter.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), as written in
 * {@code policies[].deny_client_cidrs}. Host bits after the prefix are allowed and ignored, as Go's
 * {@code net.ParseCIDR} does ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 *
 * <p>Parsing never touches DNS: only address literals are accepted.
 */
public final class Cidr {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Characters of an IPv6 literal (with an optional embedded IPv4 tail); no zone ids. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private final String text;
    private final byte[] network;
    private final int prefixLength;

    private Cidr(String text, byte[] network, int prefixLength) {
        this.text = text;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * @param text {@code <address>/<prefix length>}; the prefix length is 0-32 for IPv4 and 0-128 for IPv6
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: '" + trimmed + "' (expected <address>/<prefix length>, "
                    + "e.g. 10.0.0.0/8 or 2001:db8::/32)");
        }
        String address = trimmed.substring(0, slash);
        String prefix = trimmed.substring(slash + 1);
        byte[] bytes = address.indexOf(':') >= 0 ? parseIpv6(address, trimmed) : parseIpv4(address, trimmed);
        int maxPrefix = bytes.length * 8;
        int length;
        try {
            length = prefix.chars().allMatch(Character::isDigit) && !prefix.isEmpty() ? Integer.parseInt(prefix) : -1;
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0 || length > maxPrefix) {
            throw new IllegalArgumentException("not a CIDR: '" + trimmed + "' (prefix length must be 0-" + maxPrefix
                    + ")");
        }
        return new Cidr(trimmed, mask(bytes, length), length);
    }

    private static byte[] parseIpv4(String address, String cidr) {
        Matcher m = IPV4.matcher(address);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a CIDR: '" + cidr + "' (bad IPv4 address '" + address + "')");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(m.group(i + 1));
            if (octet > 255) {
                throw new IllegalArgumentException("not a CIDR: '" + cidr + "' (bad IPv4 address '" + address + "')");
            }
            bytes[i] = (byte) octet;
        }
        return bytes;
    }

    private static byte[] parseIpv6(String address, String cidr) {
        if (!IPV6_CHARS.matcher(address).matches()) {
            throw new IllegalArgumentException("not a CIDR: '" + cidr + "' (bad IPv6 address '" + address + "')");
        }
        try {
            // A string with ':' is parsed as an IPv6 literal or rejected; InetAddress never resolves it via DNS.
            return toIpv6Bytes(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a CIDR: '" + cidr + "' (bad IPv6 address '" + address + "')", e);
        }
    }

    /** IPv4-mapped literals ({@code ::ffff:1.2.3.4}) come back from InetAddress as IPv4: map them back. */
    private static byte[] toIpv6Bytes(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int bit = prefixLength; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    /**
     * Whether {@code address} lies in this network. An IPv4 address is also matched against an IPv6 network in its
     * IPv4-mapped form ({@code ::ffff:a.b.c.d}); otherwise the address families must agree.
     */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            if (address instanceof Inet4Address && network.length == 16) {
                candidate = toIpv6Bytes(address);
            } else {
                return false;
            }
        }
        return Arrays.equals(mask(candidate, prefixLength), network);
    }

    /** The prefix length, 0-32 for IPv4 and 0-128 for IPv6. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The network address with the host bits cleared. */
    public InetAddress network() {
        try {
            return InetAddress.getByAddress(network);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }

    /** As written in the configuration. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && prefixLength == that.prefixLength && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }
}
