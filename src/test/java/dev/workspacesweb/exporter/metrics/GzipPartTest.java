package dev.workspacesweb.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.testing.Expositions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Pieces compressed apart make one gzip member, whose CRC-32 and length are those of all their bytes together. */
class GzipPartTest {
    private final Random random = new Random(15);

    @Test
    void theCombinedCrcIsTheCrcOfTheBytesTogether() {
        for (int i = 0; i < 200; i++) {
            byte[] a = bytes(random.nextInt(3000));
            byte[] b = bytes(random.nextInt(3000));
            assertThat(GzipPart.combine(crc(a), crc(b), b.length)).as("lengths %d and %d", a.length, b.length)
                    .isEqualTo(crc(concat(a, b)));
        }
    }

    @Test
    void piecesCompressedApartAreOneMemberOfTheirBytesTogether() throws Exception {
        for (int round = 0; round < 20; round++) {
            List<byte[]> plain = new ArrayList<>();
            List<GzipPart> parts = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                // Text like a scrape's (compressible) and random bytes (not), empty pieces among them.
                byte[] piece = random.nextBoolean() ? text(random.nextInt(20_000)) : bytes(random.nextInt(100));
                plain.add(piece);
                parts.add(GzipPart.of(piece));
            }
            byte[] live = text(random.nextInt(5_000));
            plain.add(live);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            GzipPart body = GzipPart.concat(parts);
            GzipPart last = GzipPart.last(live);
            GzipPart.writeMember(out, body, last, random.nextInt(2048));
            byte[] member = out.toByteArray();

            assertThat(member).hasSize((int) GzipPart.memberLength(body, last));
            assertThat(gunzip(member)).isEqualTo(concat(plain.toArray(byte[][]::new)));
            assertThat(Expositions.trailingBytesAfterTheFirstMember(member)).as("one member, nothing after it").isZero();
        }
    }

    @Test
    void aMemberOfOnePieceAloneIsWhatGzipReads() throws IOException {
        byte[] plain = text(50_000);
        assertThat(gunzip(member(plain))).isEqualTo(plain);
        assertThat(gunzip(member(new byte[0]))).isEmpty();
    }

    /** One member of {@code plain} alone. */
    private static byte[] member(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GzipPart.writeMember(out, GzipPart.EMPTY, GzipPart.last(plain), 0);
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    private byte[] text(int length) {
        StringBuilder s = new StringBuilder(length + 100);
        while (s.length() < length) {
            s.append("workspaces_web_user_active_sessions{portal=\"p-").append(random.nextInt(3))
                    .append("\",username=\"user").append(random.nextInt(5000)).append("\"} ").append(random.nextInt(4)).append('\n');
        }
        return s.substring(0, length).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] bytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static int crc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return (int) crc.getValue();
    }

    private static byte[] concat(byte[]... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : pieces) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
