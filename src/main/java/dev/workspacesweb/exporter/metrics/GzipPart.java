package dev.workspacesweb.exporter.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A piece of the body of one gzip member (RFC 1952): raw deflate data (RFC 1951) for some plain bytes, with their
 * CRC-32 and length. Pieces compressed apart concatenate into one deflate stream, because each but the
 * {@linkplain #last last} ends byte-aligned in a sync flush, without the final-block bit, and refers to no byte
 * before it; their CRC-32s combine without the plain bytes ({@link #concat}). So the session families of each portal
 * are compressed once per poll, and a scrape sends them inside <em>one</em> gzip member with its own live families:
 * a stream of several members is valid gzip, but {@code curl --compressed} (and other clients) read only the first.
 *
 * @param deflated raw deflate data; ends in a sync flush, or for the last piece in the final block
 * @param crc      the CRC-32 of the plain bytes
 * @param length   how many plain bytes
 */
public record GzipPart(byte[] deflated, int crc, long length) {
    /** Nothing, to start a {@link #concat}. */
    public static final GzipPart EMPTY = new GzipPart(new byte[0], 0, 0);

    /** The ten bytes that open a member: magic, deflate, no flags, no time, no extra flags, unknown OS. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int TRAILER_LENGTH = 8;
    private static final int POLYNOMIAL = 0xedb88320;
    /** x^(2^n) modulo the CRC-32 polynomial, for n = 0..31 (zlib's x2n_table). */
    private static final int[] X2N = new int[32];

    static {
        int p = 1 << 30; // x^1
        X2N[0] = p;
        for (int n = 1; n < 32; n++) {
            X2N[n] = p = multiplyModP(p, p);
        }
    }

    /** {@code plain} compressed as a piece that more pieces may follow. */
    public static GzipPart of(byte[] plain) {
        return deflate(plain, false);
    }

    /** {@code plain} compressed as the last piece of a member: its deflate data ends in the final block. */
    public static GzipPart last(byte[] plain) {
        return deflate(plain, true);
    }

    /** The pieces one after the other, as one piece. */
    public static GzipPart concat(List<GzipPart> parts) {
        int size = 0;
        for (GzipPart p : parts) {
            size += p.deflated.length;
        }
        byte[] bytes = new byte[size];
        int at = 0;
        int crc = 0;
        long length = 0;
        for (GzipPart p : parts) {
            System.arraycopy(p.deflated, 0, bytes, at, p.deflated.length);
            at += p.deflated.length;
            crc = combine(crc, p.crc, p.length);
            length += p.length;
        }
        return new GzipPart(bytes, crc, length);
    }

    /** Bytes of the member {@link #writeMember} writes. */
    public static long memberLength(GzipPart body, GzipPart last) {
        return HEADER.length + body.deflated.length + last.deflated.length + TRAILER_LENGTH;
    }

    /**
     * Writes one gzip member: the header, {@code body}'s deflate data (its first {@code firstWrite} bytes as a write of
     * their own, see {@link EncodedScrape#writeTo}), {@code last}'s, and the trailer (CRC-32 and length of both).
     */
    public static void writeMember(OutputStream out, GzipPart body, GzipPart last, int firstWrite) throws IOException {
        out.write(HEADER);
        EncodedScrape.writeInTwo(out, body.deflated, firstWrite);
        out.write(last.deflated);
        int crc = combine(body.crc, last.crc, last.length);
        long length = body.length + last.length;
        out.write(new byte[] {
                (byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24),
                (byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)});
    }

    private static GzipPart deflate(byte[] plain, boolean last) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(plain);
            if (last) {
                deflater.finish();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length / 8));
            byte[] buffer = new byte[8192];
            while (true) {
                int n = deflater.deflate(buffer, 0, buffer.length, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
                // A sync flush is complete when it left room in the buffer; the last piece when the deflater says so.
                if (last ? deflater.finished() : n < buffer.length && deflater.needsInput()) {
                    break;
                }
            }
            CRC32 crc = new CRC32();
            crc.update(plain);
            return new GzipPart(out.toByteArray(), (int) crc.getValue(), plain.length);
        } finally {
            deflater.end();
        }
    }

    /** The CRC-32 of A followed by B from those of A and B and B's length (zlib's crc32_combine). */
    static int combine(int crcA, int crcB, long lengthB) {
        return multiplyModP(powerOfX(lengthB, 3), crcA) ^ crcB;
    }

    /** a × b modulo the polynomial, in the reflected bit order of CRC-32 (zlib's multmodp). */
    private static int multiplyModP(int a, int b) {
        if (a == 0) {
            return 0;
        }
        int m = 1 << 31;
        int p = 0;
        while (true) {
            if ((a & m) != 0) {
                p ^= b;
                if ((a & (m - 1)) == 0) {
                    break;
                }
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
        }
        return p;
    }

    /** x^(n × 2^k) modulo the polynomial (zlib's x2nmodp): with k = 3, the shift of n bytes. */
    private static int powerOfX(long n, int k) {
        int p = 1 << 31; // x^0
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiplyModP(X2N[k & 31], p);
            }
            n >>>= 1;
            k++;
        }
        return p;
    }
}
