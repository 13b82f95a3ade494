package dev.workspacesweb.exporter.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native bucket index of schema 3 (bucket {@code i} holds {@code (2^((i-1)/8), 2^(i/8)]}) at and around every
 * kind of edge, against two computations that share nothing with {@link SessionAccounting#nativeIndex}: exact
 * arithmetic ({@code v <= 2^(i/8)} is {@code v^8 <= 2^i}, and both sides are exact in {@link BigDecimal} for any
 * double {@code v}), and client_java's own native histogram observing the value.
 */
class SessionAccountingTest {
    private static final int SCHEMA = SessionAccounting.NATIVE_SCHEMA;

    /** Whether {@code value} lies in native bucket {@code index}, computed exactly. */
    private static boolean inBucket(double value, int index) {
        BigDecimal v8 = new BigDecimal(value).pow(1 << SCHEMA);
        return v8.compareTo(powerOfTwo(index)) <= 0 && v8.compareTo(powerOfTwo(index - 1)) > 0;
    }

    private static BigDecimal powerOfTwo(int exponent) {
        return exponent >= 0 ? BigDecimal.TWO.pow(exponent) : BigDecimal.ONE.divide(BigDecimal.TWO.pow(-exponent));
    }

    /** Every double just below, at and just above each boundary 2^(i/8) from 2^-40 to 2^40: 3,205 values. */
    @Test
    void theIndexIsTheExactBucketNextToEveryBoundary() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (int i = -40 * (1 << SCHEMA); i <= 40 * (1 << SCHEMA); i++) {
            double boundary = Math.pow(2, (double) i / (1 << SCHEMA));
            for (double v : new double[] {Math.nextDown(Math.nextDown(boundary)), Math.nextDown(boundary), boundary,
                    Math.nextUp(boundary), Math.nextUp(Math.nextUp(boundary))}) {
                int index = SessionAccounting.nativeIndex(v);
                if (!inBucket(v, index)) {
                    wrong.add(Double.toHexString(v) + " -> " + index);
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(641 * 5);
        assertThat(wrong).as("values put in a bucket that does not hold them").isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("knownIndexes")
    void exactPowersOfTwoAndTheExtremesOfDouble(double value, int expected) {
        assertThat(SessionAccounting.nativeIndex(value)).isEqualTo(expected);
        assertThat(inBucket(value, expected)).isTrue();
    }

    static Stream<Arguments> knownIndexes() {
        return Stream.of(
                Arguments.of(1.0, 0),                       // 2^0 is the upper bound of bucket 0
                Arguments.of(Math.nextUp(1.0), 1),
                Arguments.of(2.0, 8),
                Arguments.of(0.5, -8),
                Arguments.of(1024.0, 80),
                Arguments.of(Double.MIN_NORMAL, -1022 * 8), // 2^-1022
                Arguments.of(Double.MIN_VALUE, -1074 * 8),  // 2^-1074, the smallest subnormal
                Arguments.of(Double.MAX_VALUE, 1024 * 8));  // just under 2^1024
    }

    @ParameterizedTest
    @MethodSource("sessionLengths")
    void agreesWithClientJavasNativeHistogram(double value) {
        Histogram histogram = Histogram.builder().name("probe").nativeOnly().nativeInitialSchema(SCHEMA).build();
        histogram.observe(value);
        var point = histogram.collect().getDataPoints().get(0);
        assertThat(point.getNativeSchema()).isEqualTo(SCHEMA);
        NativeHistogramBuckets buckets = point.getNativeBucketsForPositiveValues();
        assertThat(buckets.size()).isEqualTo(1);
        assertThat(SessionAccounting.nativeIndex(value)).as("%s", value).isEqualTo(buckets.getBucketIndex(0));
    }

    /**
     * Durations a session can have, from a millisecond to a year, the middle of buckets, and exact powers of two.
     * Not the doubles right next to an irrational boundary: client_java's boundaries are products of rounded
     * factors (as client_golang's), a few ulps off the exact ones that the test above holds nativeIndex to.
     */
    static Stream<Arguments> sessionLengths() {
        List<Arguments> cases = new ArrayList<>();
        for (double v = 0.001; v < 3.2e7; v *= 1.37) {
            cases.add(Arguments.of(v));
        }
        for (int i = -80; i <= 200; i += 7) {
            cases.add(Arguments.of(Math.pow(2, (i - 0.5) / (1 << SCHEMA))));
        }
        for (int e = -20; e <= 30; e++) {
            cases.add(Arguments.of(Math.scalb(1.0, e)));
            cases.add(Arguments.of(Math.nextUp(Math.scalb(1.0, e))));
            cases.add(Arguments.of(Math.nextDown(Math.scalb(1.0, e))));
        }
        return cases.stream();
    }

    @Test
    void zeroDurationsGoToTheZeroBucketAndEveryOtherToOneNativeBucket() {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        SessionAccounting accounting = SessionAccounting.empty(new double[] {1, 60})
                .plus(3, List.of(end(t, t), end(t, t.plusMillis(1)), end(t, t.plusSeconds(60)), end(t, t.plusSeconds(100))));
        assertThat(accounting.zeroCount()).isEqualTo(1);
        assertThat(accounting.nativeCounts()).isEqualTo(Map.of(
                SessionAccounting.nativeIndex(0.001), 1L, SessionAccounting.nativeIndex(60), 1L,
                SessionAccounting.nativeIndex(100), 1L));
        assertThat(SessionAccounting.nativeIndex(60)).isEqualTo(48); // 8 * log2(60) = 47.25
        assertThat(accounting.bucketCounts()).containsExactly(2, 1, 1); // le=1: 0 s and 1 ms; le=60: 60 s; +Inf: 100 s
        assertThat(accounting.durationSum()).isCloseTo(160.001, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(accounting.started()).isEqualTo(3);
        assertThat(accounting.ended()).isEqualTo(4);
        assertThat(accounting.plus(0, List.of())).isSameAs(accounting);
    }

    private static SessionEnd end(Instant start, Instant end) {
        return new SessionEnd("s-" + Duration.between(start, end).toMillis(), "ana", start, end);
    }
}
