package dev.workspacesweb.exporter.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Encodes one metric family with client_java's own writers, in every {@link ScrapeFormat}, and splits each result
 * into the family's header and its samples. The samples of the same family from several portals can then be strung
 * together under one header: in the text formats the header is the leading {@code # HELP/# TYPE/# UNIT} lines, in
 * protobuf the fields of the {@code MetricFamily} message other than its repeated {@code metric} (field 4), whose
 * encodings concatenate like the repeated field itself.
 *
 * <p>The families encoded here have fixed names that are valid legacy Prometheus names, so every
 * {@link EscapingScheme} renders them alike; they are encoded with {@link EscapingScheme#DEFAULT}.
 */
final class FamilyEncoder {
    private static final int PROTOBUF_METRIC_FIELD = 4;

    private final ExpositionFormatWriter[] writers = new ExpositionFormatWriter[ScrapeFormat.values().length];

    FamilyEncoder() {
        ExpositionFormats formats = ExpositionFormats.init(PrometheusProperties.get());
        for (ScrapeFormat f : ScrapeFormat.values()) {
            writers[f.ordinal()] = f.writer(formats);
        }
    }

    /** One family in every format: per {@link ScrapeFormat#ordinal()}, its header and its samples. */
    record Encoded(byte[][] header, byte[][] body) {}

    Encoded encode(MetricSnapshot family) {
        byte[][] header = new byte[writers.length][];
        byte[][] body = new byte[writers.length][];
        for (ScrapeFormat f : ScrapeFormat.values()) {
            byte[] whole = render(writers[f.ordinal()], family);
            byte[][] split = f == ScrapeFormat.PROTOBUF ? splitProtobuf(whole) : splitText(whole, f == ScrapeFormat.OPENMETRICS);
            header[f.ordinal()] = split[0];
            body[f.ordinal()] = split[1];
        }
        return new Encoded(header, body);
    }

    private static byte[] render(ExpositionFormatWriter writer, MetricSnapshot family) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            writer.write(out, new MetricSnapshots(family), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Text: the leading comment lines, then the samples (for OpenMetrics without the closing {@code # EOF}). */
    static byte[][] splitText(byte[] whole, boolean openMetrics) {
        int end = whole.length;
        if (openMetrics) {
            byte[] eof = "# EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (end < eof.length || !Arrays.equals(whole, end - eof.length, end, eof, 0, eof.length)) {
                throw new IllegalStateException("OpenMetrics output does not end with # EOF");
            }
            end -= eof.length;
        }
        int bodyStart = 0;
        while (bodyStart < end && whole[bodyStart] == '#') {
            int nl = indexOf(whole, (byte) '\n', bodyStart, end);
            bodyStart = nl + 1;
        }
        for (int i = bodyStart; i < end; i = indexOf(whole, (byte) '\n', i, end) + 1) {
            if (whole[i] == '#') {
                // A second family (e.g. _created gauges written after all families): not one header and its samples.
                throw new IllegalStateException("comment line among the samples of one family");
            }
        }
        return new byte[][] {Arrays.copyOfRange(whole, 0, bodyStart), Arrays.copyOfRange(whole, bodyStart, end)};
    }

    private static int indexOf(byte[] b, byte v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("line without a newline");
    }

    /**
     * Protobuf: one length-delimited {@code MetricFamily}; returns its fields other than {@code metric} (without the
     * length prefix) and its {@code metric} fields, each as encoded.
     */
    static byte[][] splitProtobuf(byte[] whole) {
        int[] pos = {0};
        long length = readVarint(whole, pos);
        if (pos[0] + length != whole.length) {
            throw new IllegalStateException("not exactly one delimited message");
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream(128);
        ByteArrayOutputStream metrics = new ByteArrayOutputStream(whole.length);
        while (pos[0] < whole.length) {
            int fieldStart = pos[0];
            long tag = readVarint(whole, pos);
            switch ((int) (tag & 7)) {
                case 0 -> readVarint(whole, pos);
                case 1 -> pos[0] += 8;
                case 2 -> {
                    int fieldLength = (int) readVarint(whole, pos); // read before pos[0] is: += would add to the old value
                    pos[0] += fieldLength;
                }
                case 5 -> pos[0] += 4;
                default -> throw new IllegalStateException("unexpected wire type " + (tag & 7));
            }
            (tag >>> 3 == PROTOBUF_METRIC_FIELD ? metrics : header).write(whole, fieldStart, pos[0] - fieldStart);
        }
        return new byte[][] {header.toByteArray(), metrics.toByteArray()};
    }

    private static long readVarint(byte[] b, int[] pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte next = b[pos[0]++];
            value |= (long) (next & 0x7f) << shift;
            if (next >= 0) {
                return value;
            }
        }
        throw new IllegalStateException("malformed varint");
    }

    /** The varint encoding of a length, the prefix of a delimited message. */
    static byte[] varint(long value) {
        byte[] buf = new byte[10];
        int n = 0;
        while ((value & ~0x7fL) != 0) {
            buf[n++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buf[n++] = (byte) value;
        return Arrays.copyOf(buf, n);
    }
}
