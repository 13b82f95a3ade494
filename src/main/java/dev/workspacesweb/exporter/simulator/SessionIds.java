package dev.workspacesweb.exporter.simulator;

import java.util.random.RandomGenerator;

/**
 * Identifiers of the simulated service. Session ids are UUIDv7-shaped: the first 48 bits hold the session's start
 * time in epoch milliseconds, so the id alone locates the session in the per-portal indexes sorted by
 * (startTime, sessionId) and lexicographic order of ids equals that order. Portal ids are random (v4-shaped)
 * lowercase hex, which the model's ARN pattern ({@code [a-fA-F0-9\-]{36}}) requires.
 */
final class SessionIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** The largest start time a 48-bit millisecond field holds (year 10889). */
    static final long MAX_MILLIS = (1L << 48) - 1;

    private SessionIds() {
    }

    static long hi(long startMillis, long random) {
        if (startMillis < 0 || startMillis > MAX_MILLIS) {
            throw new IllegalArgumentException("start time out of range: " + startMillis);
        }
        return (startMillis << 16) | 0x7000L | (random & 0x0FFFL);
    }

    static long lo(long random) {
        return (random & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    }

    static long startMillis(long hi) {
        return hi >>> 16;
    }

    static String randomUuid(RandomGenerator random) {
        long hi = (random.nextLong() & 0xFFFF_FFFF_FFFF_0FFFL) | 0x4000L;
        long lo = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return format(hi, lo);
    }

    static String format(long hi, long lo) {
        char[] out = new char[36];
        int pos = 0;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                out[pos++] = '-';
            }
            long word = i < 16 ? hi : lo;
            int shift = 60 - 4 * (i % 16);
            out[pos++] = HEX[(int) ((word >>> shift) & 0xF)];
        }
        return new String(out);
    }

    /**
     * Parses a canonical (lowercase, 8-4-4-4-12) id into its two words, or returns null: any other 36-character
     * id is well-formed for the API but names no session of the simulator.
     */
    static long[] parse(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        long hi = 0;
        long lo = 0;
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                v = c - 'a' + 10;
            } else {
                return null;
            }
            if (digits < 16) {
                hi = (hi << 4) | v;
            } else {
                lo = (lo << 4) | v;
            }
            digits++;
        }
        return new long[] {hi, lo};
    }
}
