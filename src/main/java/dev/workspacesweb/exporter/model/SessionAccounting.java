package dev.workspacesweb.exporter.model;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cumulative session counters and duration histogram of one portal since its baseline. Immutable: each poll
 * derives the next value from the events it observed, and the poller persists it together with the set of ids it
 * has counted, in one atomic write, so that a restart neither loses nor repeats an event.
 *
 * <p>The histogram keeps classic buckets (the configured bounds, plus +Inf) and a native (exponential) histogram of
 * fixed schema {@value #NATIVE_SCHEMA}: bucket {@code i} holds values in {@code (2^((i-1)/8), 2^(i/8)]}, a growth
 * factor of about 1.09, which covers one second to several days in under 200 buckets.
 *
 * @param upperBounds   classic bucket upper bounds in seconds, strictly increasing, without +Inf
 * @param bucketCounts  observations per classic bucket (not cumulative), one more than upperBounds (+Inf last)
 * @param zeroCount     observations of exactly zero (the native zero bucket)
 * @param nativeCounts  observations per native bucket index
 */
public record SessionAccounting(
        long started,
        long ended,
        double durationSum,
        double[] upperBounds,
        long[] bucketCounts,
        long zeroCount,
        Map<Integer, Long> nativeCounts) {

    public static final int NATIVE_SCHEMA = 3;

    public SessionAccounting {
        upperBounds = upperBounds.clone();
        bucketCounts = bucketCounts.clone();
        if (bucketCounts.length != upperBounds.length + 1) {
            throw new IllegalArgumentException("need one count per bound plus +Inf");
        }
        nativeCounts = java.util.Collections.unmodifiableMap(new TreeMap<>(nativeCounts));
    }

    public static SessionAccounting empty(double[] upperBounds) {
        return new SessionAccounting(0, 0, 0, upperBounds, new long[upperBounds.length + 1], 0, Map.of());
    }

    /** This accounting plus one poll's events. */
    public SessionAccounting plus(int newlyStarted, List<SessionEnd> ends) {
        if (newlyStarted == 0 && ends.isEmpty()) {
            return this;
        }
        long[] counts = bucketCounts.clone();
        TreeMap<Integer, Long> natives = new TreeMap<>(nativeCounts);
        long zeros = zeroCount;
        double sum = durationSum;
        for (SessionEnd end : ends) {
            double seconds = end.duration().toNanos() / 1e9;
            sum += seconds;
            counts[classicIndex(seconds)]++;
            if (seconds <= 0) {
                zeros++;
            } else {
                natives.merge(nativeIndex(seconds), 1L, Long::sum);
            }
        }
        return new SessionAccounting(started + newlyStarted, ended + ends.size(), sum, upperBounds, counts, zeros, natives);
    }

    public boolean sameBounds(double[] bounds) {
        return Arrays.equals(upperBounds, bounds);
    }

    private int classicIndex(double seconds) {
        for (int i = 0; i < upperBounds.length; i++) {
            if (seconds <= upperBounds[i]) {
                return i;
            }
        }
        return upperBounds.length;
    }

    /**
     * The native bucket whose upper bound is the smallest power of 2^(1/8) at or above the value: {@code i} with
     * {@code 2^((i-1)/8) < v <= 2^(i/8)}. Logarithms give it, except within rounding of a boundary, where
     * {@code v <= 2^(i/8)} is decided exactly as {@code v^8 <= 2^i} (powers of a double's integer mantissa).
     */
    static int nativeIndex(double seconds) {
        double scaled = Math.log(seconds) / LN_2 * (1 << NATIVE_SCHEMA);
        int index = (int) Math.ceil(scaled);
        double margin = index - scaled;
        if (margin > 1e-9 && margin < 1 - 1e-9) {
            return index;
        }
        while (!atOrBelowBound(seconds, index)) {
            index++;
        }
        while (atOrBelowBound(seconds, index - 1)) {
            index--;
        }
        return index;
    }

    private static final double LN_2 = Math.log(2);

    /** Whether {@code 0 < value <= 2^(index/8)}, exactly: {@code mantissa^8 * 2^(8 * exponent) <= 2^index}. */
    private static boolean atOrBelowBound(double value, int index) {
        long bits = Double.doubleToRawLongBits(value);
        int biasedExponent = (int) (bits >>> 52) & 0x7FF;
        long mantissa = bits & ((1L << 52) - 1);
        int exponent = -1074; // subnormal: value = mantissa * 2^-1074
        if (biasedExponent != 0) {
            mantissa |= 1L << 52;
            exponent = biasedExponent - 1075;
        }
        long shift = (long) index - (long) (1 << NATIVE_SCHEMA) * exponent;
        if (shift < 0) {
            return false; // mantissa^8 >= 1 > 2^shift
        }
        return BigInteger.valueOf(mantissa).pow(1 << NATIVE_SCHEMA).compareTo(BigInteger.ONE.shiftLeft((int) shift)) <= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionAccounting a && started == a.started && ended == a.ended
                && Double.compare(durationSum, a.durationSum) == 0 && Arrays.equals(upperBounds, a.upperBounds)
                && Arrays.equals(bucketCounts, a.bucketCounts) && zeroCount == a.zeroCount
                && nativeCounts.equals(a.nativeCounts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(started) * 31 + Long.hashCode(ended) * 17 + Arrays.hashCode(bucketCounts);
    }

    @Override
    public String toString() {
        return "SessionAccounting[started=" + started + ", ended=" + ended + ", durationSum=" + durationSum
                + ", buckets=" + Arrays.toString(bucketCounts) + "]";
    }
}
