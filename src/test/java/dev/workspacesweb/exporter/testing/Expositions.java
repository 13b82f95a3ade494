package dev.workspacesweb.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Exposition bodies reduced to what their content is, for comparing two renders of the same data whose samples
 * may come in another order: family name -> its header lines (or protobuf fields) and its sorted samples. Fails when
 * a family's header appears twice (its samples not contiguous).
 */
public final class Expositions {
    private Expositions() {}

    /** Prometheus text or OpenMetrics; {@code # EOF} is left out (check it apart). */
    public static Map<String, List<String>> textFamilies(byte[] body) {
        Map<String, List<String>> families = new TreeMap<>();
        String current = null;
        List<String> lines = null;
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(text.isEmpty() || text.endsWith("\n")).as("ends with a newline").isTrue();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.equals("# EOF")) {
                continue;
            }
            if (line.startsWith("# TYPE ") || line.startsWith("# HELP ") || line.startsWith("# UNIT ")) {
                String name = line.split(" ")[2];
                if (!name.equals(current)) {
                    assertThat(families).as("header of %s once", name).doesNotContainKey(name);
                    current = name;
                    lines = new ArrayList<>();
                    families.put(name, lines);
                }
                lines.add("#" + line);
            } else {
                assertThat(lines).as("a sample before any header: %s", line).isNotNull();
                lines.add(line);
            }
        }
        families.values().forEach(l -> l.sort(null));
        return families;
    }

    /** Delimited protobuf MetricFamily messages, decoded with client_java's classes. */
    public static Map<String, List<String>> protobufFamilies(byte[] body) throws IOException {
        Map<String, List<String>> families = new TreeMap<>();
        InputStream in = new ByteArrayInputStream(body);
        Metrics.MetricFamily family;
        while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            List<String> parts = new ArrayList<>();
            for (Metrics.Metric m : family.getMetricList()) {
                parts.add(m.toString());
            }
            parts.sort(null);
            parts.add(0, family.toBuilder().clearMetric().build().toString());
            assertThat(families.put(family.getName(), parts)).as("family %s once", family.getName()).isNull();
        }
        return families;
    }

    /** What a reader of the first member only (curl --compressed) leaves unread: the bytes after its trailer. */
    public static int trailingBytesAfterTheFirstMember(byte[] gzip) throws DataFormatException {
        assertThat(Arrays.copyOf(gzip, 4)).isEqualTo(new byte[] {0x1f, (byte) 0x8b, 8, 0});
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(gzip, 10, gzip.length - 10);
            byte[] sink = new byte[65536];
            while (!inflater.finished()) {
                if (inflater.inflate(sink) == 0 && inflater.needsInput()) {
                    throw new AssertionError("deflate data ends before its final block");
                }
            }
            return inflater.getRemaining() - 8;
        } finally {
            inflater.end();
        }
    }
}
