package dev.workspacesweb.exporter.simulator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The networks the simulated client addresses come from ({@code simulator.client_networks}): each address is drawn
 * from one of them, picked uniformly, so that a demo with a GeoIP database shows the countries and networks of the
 * list. An IPv6 network varies only the last 16 bits of its addresses: GetSession's {@code IpAddress} is at most 15
 * characters, so only short forms such as {@code 2003::1a2b} fit.
 */
final class ClientNetworks {
    /** GetSession's limit on the length of one client IP address. */
    static final int MAX_ADDRESS_LENGTH = 15;

    /**
     * The default: national ISPs' networks in a dozen countries, as GeoLite2 and the ip-location-db databases place
     * them, and the documentation networks, which no database knows ({@code country="unknown"}).
     */
    static final List<String> DEFAULTS = List.of(
            "203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "2001:db8::/32",
            "81.2.69.0/24", "2a02:c7c::/32", "91.0.0.0/10", "2003::/19", "90.32.0.0/11", "89.160.0.0/18",
            "83.32.0.0/11", "73.0.0.0/8", "70.24.0.0/13", "179.96.0.0/12", "126.0.0.0/8", "49.32.0.0/12",
            "1.128.0.0/11");

    private record Network(String text, byte[] base, int prefixLength) {}

    private final List<Network> networks;

    private ClientNetworks(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /**
     * @throws IllegalArgumentException naming the entry that is not a network in CIDR notation, or an IPv6 network
     *                                  whose addresses do not fit in 15 characters
     */
    static ClientNetworks parse(List<String> cidrs) {
        if (cidrs.isEmpty()) {
            throw new IllegalArgumentException("at least one network is needed");
        }
        List<Network> parsed = new ArrayList<>(cidrs.size());
        for (String cidr : cidrs) {
            parsed.add(parseOne(cidr));
        }
        return new ClientNetworks(parsed);
    }

    private static Network parseOne(String cidr) {
        String text = cidr == null ? "" : cidr.strip();
        int slash = text.indexOf('/');
        byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not a network in CIDR notation "
                    + "(e.g. 198.51.100.0/24, 2001:db8::/32)");
        }
        int bits = address.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + cidr + "': the prefix length must be 0-" + bits);
        }
        byte[] base = address.clone();
        for (int bit = prefix; bit < bits; bit++) {
            base[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        Network network = new Network(text, base, prefix);
        if (base.length == 16) {
            byte[] longest = base.clone();
            fillHostBits(longest, prefix, 0xFFFF);
            if (ipv6(longest).length() > MAX_ADDRESS_LENGTH) {
                throw new IllegalArgumentException("'" + cidr + "': its addresses are longer than the "
                        + MAX_ADDRESS_LENGTH + " characters GetSession allows; use a network written with at most "
                        + "two leading groups, e.g. 2001:db8::/32");
            }
        }
        return network;
    }

    /**
     * The bytes of an IPv4 or IPv6 address literal, or null. Never a name lookup: dotted quads are parsed here, and
     * {@link InetAddress} only sees text with a colon, which it parses as an IPv6 literal or refuses.
     */
    private static byte[] literal(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            try {
                byte[] bytes = InetAddress.getByName(text).getAddress();
                return bytes.length == 16 ? bytes : null; // an IPv4-mapped form: not a network of this list
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }

    /** An address of one of the networks. */
    String draw(SplittableRandom random) {
        Network n = networks.get(random.nextInt(networks.size()));
        byte[] address = n.base().clone();
        if (address.length == 4) {
            int hostBits = 32 - n.prefixLength();
            if (hostBits > 0) {
                long host;
                do {
                    host = random.nextLong(1L << hostBits);
                    // Not the network's first or last address when it has others (they read like gateways).
                } while (hostBits > 1 && (host == 0 || host == (1L << hostBits) - 1));
                fillHostBits(address, n.prefixLength(), host);
            }
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." + (address[3] & 0xFF);
        }
        fillHostBits(address, n.prefixLength(), 1 + random.nextInt(0xFFFF));
        return ipv6(address);
    }

    /** ORs the low bits of {@code host} into the host part of the address (at most its last 64 bits). */
    private static void fillHostBits(byte[] address, int prefixLength, long host) {
        int bits = address.length * 8;
        for (int bit = bits - 1, i = 0; bit >= prefixLength && i < 64; bit--, i++) {
            if ((host >>> i & 1) != 0) {
                address[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            }
        }
    }

    /** The RFC 5952 text form: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
    static String ipv6(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xFF) << 8 | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
