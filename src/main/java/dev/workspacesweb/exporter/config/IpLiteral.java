package dev.workspacesweb.exporter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses IPv4 and IPv6 address literals into their bytes, without DNS: {@link java.net.InetAddress#getByName} would
 * resolve a string such as {@code "cafe"} as a host name, so anything but hex digits, '.' and ':' is rejected before
 * any parsing, and the parsing itself is done here.
 *
 * <p>IPv4: exactly four decimal octets 0-255; a leading zero is rejected ({@code 010} is octal to some parsers and
 * decimal to others). IPv6: RFC 4291 text form, with at most one {@code ::} and an optional dotted IPv4 tail; no zone
 * ids. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is returned as its 4 IPv4 bytes, so that a client
 * reported in either form matches the same IPv4 networks.
 */
public final class IpLiteral {
    private IpLiteral() {}

    /** The address's 4 or 16 bytes, or empty when the string is not an address literal. */
    public static Optional<byte[]> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c == '.' || c == ':' || isAsciiHexDigit(c))) {
                return Optional.empty();
            }
        }
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        return Optional.ofNullable(bytes).map(IpLiteral::unmapIpv4);
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null; // two gaps, or ":::"
        }
        List<Integer> head;
        List<Integer> tail;
        if (gap >= 0) {
            head = groups(text.substring(0, gap), false);
            tail = groups(text.substring(gap + 2), true);
        } else {
            head = groups(text, true);
            tail = List.of();
        }
        if (head == null || tail == null) {
            return null;
        }
        int explicit = head.size() + tail.size();
        // Without a gap all eight groups are written; a gap stands for at least one zero group.
        if (gap < 0 ? explicit != 8 : explicit > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        int g = 0;
        for (int v : head) {
            bytes[2 * g] = (byte) (v >>> 8);
            bytes[2 * g + 1] = (byte) v;
            g++;
        }
        g = 8 - tail.size();
        for (int v : tail) {
            bytes[2 * g] = (byte) (v >>> 8);
            bytes[2 * g + 1] = (byte) v;
            g++;
        }
        return bytes;
    }

    /** The 16-bit groups of a colon-separated run; the last may be a dotted IPv4 address when allowed. */
    private static List<Integer> groups(String run, boolean ipv4TailAllowed) {
        List<Integer> groups = new ArrayList<>();
        if (run.isEmpty()) {
            return groups;
        }
        String[] parts = run.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.indexOf('.') >= 0) {
                if (!ipv4TailAllowed || i != parts.length - 1) {
                    return null;
                }
                byte[] v4 = ipv4(p);
                if (v4 == null) {
                    return null;
                }
                groups.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                groups.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            groups.add(Integer.parseInt(p, 16));
        }
        return groups;
    }

    /** ASCII only: Character.digit would also take full-width and other Unicode digits. */
    private static boolean isAsciiHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** {@code ::ffff:a.b.c.d} as the IPv4 address it carries; any other address unchanged. */
    static byte[] unmapIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return bytes;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return bytes;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return bytes;
        }
        return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
    }
}
