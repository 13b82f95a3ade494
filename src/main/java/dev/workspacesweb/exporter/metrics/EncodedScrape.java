package dev.workspacesweb.exporter.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Arrays;

/**
 * The session families of every portal, encoded in each {@link ScrapeFormat}, plain and compressed, ready to be
 * written into a scrape response: built when a portal's view is published, shared by every scrape until the next
 * publication (or until a down portal's session data turns stale). The bytes hold whole families with their header
 * once; in OpenMetrics they hold no {@code # EOF}, which the rest of the response (the live families) closes with.
 * The compressed bytes are the start of one gzip member's deflate data ({@link GzipPart}), which the live families
 * end.
 */
public final class EncodedScrape {
    /** No session families at all. */
    public static final EncodedScrape EMPTY = new EncodedScrape(0, Instant.MIN, Instant.MAX,
            new byte[ScrapeFormat.values().length][0], emptyParts());

    private final long version;
    private final Instant builtAt;
    private final Instant validUntil;
    private final byte[][] plain;
    private final GzipPart[] gzip;

    EncodedScrape(long version, Instant builtAt, Instant validUntil, byte[][] plain, GzipPart[] gzip) {
        this.version = version;
        this.builtAt = builtAt;
        this.validUntil = validUntil;
        this.plain = plain;
        this.gzip = gzip;
    }

    /** Bytes that {@link #writeTo} writes. */
    public int length(ScrapeFormat format) {
        return plain[format.ordinal()].length;
    }

    /**
     * Writes the plain bytes to {@code out} as two writes: their first {@code firstWrite} bytes, then the rest, each
     * straight from the array held here (a response stream may copy only its first write, with the headers).
     */
    public void writeTo(OutputStream out, ScrapeFormat format, int firstWrite) throws IOException {
        writeInTwo(out, plain[format.ordinal()], firstWrite);
    }

    /** {@code b} as two writes, its first {@code firstWrite} bytes and the rest, straight from the array. */
    static void writeInTwo(OutputStream out, byte[] b, int firstWrite) throws IOException {
        int head = Math.min(firstWrite, b.length);
        if (head > 0) {
            out.write(b, 0, head);
        }
        if (b.length > head) {
            out.write(b, head, b.length - head);
        }
    }

    /** Bytes of the gzip member {@link #writeGzip} writes. */
    public long gzipLength(ScrapeFormat format, GzipPart last) {
        return GzipPart.memberLength(gzip[format.ordinal()], last);
    }

    /** Writes one gzip member: these families, then {@code last} (the live families), as {@link GzipPart#writeMember}. */
    public void writeGzip(OutputStream out, ScrapeFormat format, GzipPart last, int firstWrite) throws IOException {
        GzipPart.writeMember(out, gzip[format.ordinal()], last, firstWrite);
    }

    /** Heap held by the encoded bytes of all formats, plain and compressed. */
    public long retainedBytes() {
        long n = 0;
        for (int i = 0; i < plain.length; i++) {
            n += plain[i].length + gzip[i].deflated().length;
        }
        return n;
    }

    /** The plain bytes, or a gzip member of them alone (for tests). */
    byte[] bytes(ScrapeFormat format, boolean gzipped) {
        if (!gzipped) {
            return plain[format.ordinal()];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeGzip(out, format, GzipPart.last(new byte[0]), 0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** Whether these bytes still show what a scrape at {@code now} of data at {@code currentVersion} must show. */
    boolean holds(long currentVersion, Instant now) {
        return version == currentVersion && !now.isBefore(builtAt) && now.isBefore(validUntil);
    }

    private static GzipPart[] emptyParts() {
        GzipPart[] parts = new GzipPart[ScrapeFormat.values().length];
        Arrays.fill(parts, GzipPart.EMPTY);
        return parts;
    }
}
