package dev.workspacesweb.exporter.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * The session families of every portal, encoded in each {@link ScrapeFormat} and gzipped, ready to be copied into
 * a scrape response: built when a portal's view is published, shared by every scrape until the next publication (or
 * until a down portal's session data turns stale). The bytes hold whole families with their header once; in
 * OpenMetrics they hold no {@code # EOF}, which the rest of the response (the live families) closes with. The gzip
 * bytes are a sequence of gzip members (RFC 1952 allows several; decoders read them as one stream), so more members
 * may follow.
 */
public final class EncodedScrape {
    /** No session families at all. */
    public static final EncodedScrape EMPTY = new EncodedScrape(0, Instant.MIN, Instant.MAX,
            new byte[ScrapeFormat.values().length][0], new byte[ScrapeFormat.values().length][0]);

    private final long version;
    private final Instant builtAt;
    private final Instant validUntil;
    private final byte[][] plain;
    private final byte[][] gzip;

    EncodedScrape(long version, Instant builtAt, Instant validUntil, byte[][] plain, byte[][] gzip) {
        this.version = version;
        this.builtAt = builtAt;
        this.validUntil = validUntil;
        this.plain = plain;
        this.gzip = gzip;
    }

    /** Bytes that {@link #writeTo} writes. */
    public int length(ScrapeFormat format, boolean gzipped) {
        return bytes(format, gzipped).length;
    }

    /**
     * Writes the bytes to {@code out} as two writes: their first {@code firstWrite} bytes, then the rest, each
     * straight from the array held here (a response stream may copy only its first write, with the headers).
     */
    public void writeTo(OutputStream out, ScrapeFormat format, boolean gzipped, int firstWrite) throws IOException {
        byte[] b = bytes(format, gzipped);
        int head = Math.min(firstWrite, b.length);
        if (head > 0) {
            out.write(b, 0, head);
        }
        if (b.length > head) {
            out.write(b, head, b.length - head);
        }
    }

    /** Heap held by the encoded bytes of all formats, plain and gzipped. */
    public long retainedBytes() {
        long n = 0;
        for (int i = 0; i < plain.length; i++) {
            n += plain[i].length + gzip[i].length;
        }
        return n;
    }

    byte[] bytes(ScrapeFormat format, boolean gzipped) {
        return (gzipped ? gzip : plain)[format.ordinal()];
    }

    /** Whether these bytes still show what a scrape at {@code now} of data at {@code currentVersion} must show. */
    boolean holds(long currentVersion, Instant now) {
        return version == currentVersion && !now.isBefore(builtAt) && now.isBefore(validUntil);
    }
}
