package dev.workspacesweb.exporter.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encoded bytes of the session families: each portal's samples encoded once when its view is published
 * ({@link #prepare}, or the first scrape after it), and the {@link EncodedScrape} of all portals assembled from them
 * by copying. A family's samples from several portals follow one header (HELP/TYPE once per family, its samples
 * contiguous); families come in client_java's order (by name), portals by id, each portal's samples in client_java's
 * order. With one portal the bytes are exactly what client_java's writer renders; with several, the same families
 * and samples, grouped by portal within each family.
 *
 * <p>Memory: per portal the plain and gzipped samples in three formats, plus the assembled copy of all portals; both
 * are bounded by the series caps (limits.max_users_per_portal, limits.max_client_ips_per_portal) per portal.
 */
final class EncodedSessions {
    /** One portal's samples of one family, per {@link ScrapeFormat#ordinal()}, plain and compressed. */
    private record Chunk(byte[][] plain, GzipPart[] gzip) {
        long size() {
            long n = 0;
            for (int i = 0; i < plain.length; i++) {
                n += plain[i].length + gzip[i].deflated().length;
            }
            return n;
        }
    }

    /**
     * One portal's encoded families.
     *
     * @param sessionDataUntil until when {@code sessionData} is shown (see {@code SessionMetrics.sessionDataUntil})
     */
    private record EncodedPortal(String portalId, Instant sessionDataUntil, Map<String, Chunk> alwaysShown,
            Map<String, Chunk> sessionData) {}

    /** A family's header per format, plain and (for the text formats) compressed; the same for every portal. */
    private record Header(byte[][] plain, GzipPart[] gzip) {}

    private final FamilyEncoder encoder = new FamilyEncoder();
    private final Map<String, EncodedPortal> portals = new ConcurrentHashMap<>();
    private final Map<String, Header> headers = new ConcurrentHashMap<>();
    private volatile EncodedScrape current = EncodedScrape.EMPTY;

    /** One portal's rendered data points, from which its bytes are encoded once. */
    interface Source {
        /** Until when {@link #sessionDataFamilies()} is shown. */
        Instant sessionDataUntil();

        /** The families shown whatever the age of the data, each holding this portal's points only. */
        List<MetricSnapshot> alwaysShownFamilies();

        /** The session data families (hidden once stale), each holding this portal's points only. */
        List<MetricSnapshot> sessionDataFamilies();
    }

    /** Which source each portal's chunks were encoded from: a portal is encoded again only when its source changed. */
    private final Map<String, Source> encodedFrom = new HashMap<>();

    private Map<String, Chunk> encode(List<MetricSnapshot> families) {
        Map<String, Chunk> chunks = new HashMap<>();
        for (MetricSnapshot family : families) {
            if (family.getDataPoints().isEmpty()) {
                continue;
            }
            String name = family.getMetadata().getPrometheusName();
            FamilyEncoder.Encoded e = encoder.encode(family);
            headers.computeIfAbsent(name, n -> new Header(e.header(), gzipAll(e.header())));
            chunks.put(name, new Chunk(e.body(), gzipAll(e.body())));
        }
        return Map.copyOf(chunks);
    }

    private static GzipPart[] gzipAll(byte[][] plain) {
        GzipPart[] gz = new GzipPart[plain.length];
        for (int i = 0; i < plain.length; i++) {
            gz[i] = GzipPart.of(plain[i]);
        }
        return gz;
    }

    /** The scrape bytes held, if valid at {@code now} for {@code version}; else null. */
    EncodedScrape currentIfValid(Instant now, long version) {
        EncodedScrape c = current;
        return c.holds(version, now) ? c : null;
    }

    /**
     * The scrape bytes valid at {@code now} for the portals' current sources at {@code version} (asked for only when
     * the bytes held are not): a portal whose source changed (a view was published) and that {@link #prepare} has
     * not encoded yet is encoded here, once; the others' chunks are reused and the bytes of all portals assembled by
     * copying.
     */
    EncodedScrape current(Instant now, long version, java.util.function.Supplier<Map<String, ? extends Source>> sourcesNow) {
        EncodedScrape c = current;
        if (c.holds(version, now)) {
            return c;
        }
        synchronized (this) {
            c = current;
            if (!c.holds(version, now)) {
                Map<String, ? extends Source> sources = sourcesNow.get();
                encodedFrom.keySet().removeIf(id -> !sources.containsKey(id));
                portals.keySet().removeIf(id -> !sources.containsKey(id));
                for (Map.Entry<String, ? extends Source> e : sources.entrySet()) {
                    encodeIfChanged(e.getKey(), e.getValue());
                }
                c = assemble(version, now);
                current = c;
            }
            return c;
        }
    }

    /**
     * Encodes one portal's families from its newly published source ahead of the next scrape (on the poll's thread),
     * unless they already are; the next scrape then only assembles.
     */
    synchronized void prepare(String portalId, Source source) {
        encodeIfChanged(portalId, source);
    }

    /** Guarded by {@code this}: a portal is encoded again only when its source changed. */
    private void encodeIfChanged(String portalId, Source source) {
        if (encodedFrom.get(portalId) != source) {
            portals.put(portalId, new EncodedPortal(portalId, source.sessionDataUntil(),
                    encode(source.alwaysShownFamilies()), encode(source.sessionDataFamilies())));
            encodedFrom.put(portalId, source);
        }
    }

    /** Heap held by the per-portal chunks and the assembled bytes. */
    long retainedBytes() {
        long n = current.retainedBytes();
        for (EncodedPortal p : portals.values()) {
            for (Chunk c : p.alwaysShown().values()) {
                n += c.size();
            }
            for (Chunk c : p.sessionData().values()) {
                n += c.size();
            }
        }
        return n;
    }

    private EncodedScrape assemble(long builtVersion, Instant now) {
        // Read after the version: a put that lands meanwhile leaves a newer version, so the next call assembles again.
        List<EncodedPortal> shown = new ArrayList<>(portals.values());
        shown.sort(Comparator.comparing(EncodedPortal::portalId));
        Instant validUntil = Instant.MAX;
        TreeSet<String> families = new TreeSet<>();
        for (EncodedPortal p : shown) {
            families.addAll(p.alwaysShown().keySet());
            if (now.isBefore(p.sessionDataUntil())) {
                families.addAll(p.sessionData().keySet());
                if (p.sessionDataUntil().isBefore(validUntil)) {
                    validUntil = p.sessionDataUntil();
                }
            }
        }
        int formats = ScrapeFormat.values().length;
        ByteArrayOutputStream[] plain = new ByteArrayOutputStream[formats];
        List<List<GzipPart>> gzip = new ArrayList<>(formats);
        int[] sizes = new int[formats];
        Map<String, List<Chunk>> byFamily = new HashMap<>();
        for (String family : families) {
            List<Chunk> chunks = new ArrayList<>(shown.size());
            for (EncodedPortal p : shown) {
                Chunk c = p.alwaysShown().get(family);
                if (c == null && now.isBefore(p.sessionDataUntil())) {
                    c = p.sessionData().get(family);
                }
                if (c != null) {
                    chunks.add(c);
                    for (int f = 0; f < formats; f++) {
                        sizes[f] += c.plain()[f].length;
                    }
                }
            }
            byFamily.put(family, chunks);
        }
        for (int f = 0; f < formats; f++) {
            plain[f] = new ByteArrayOutputStream(sizes[f] + 512 * families.size() + 64);
            gzip.add(new ArrayList<>());
        }
        for (String family : families) {
            List<Chunk> chunks = byFamily.get(family);
            Header header = headers.get(family);
            for (ScrapeFormat format : ScrapeFormat.values()) {
                int f = format.ordinal();
                if (format == ScrapeFormat.PROTOBUF) {
                    // One MetricFamily message: its length prefix covers the header fields and every portal's metrics.
                    long length = header.plain()[f].length;
                    for (Chunk c : chunks) {
                        length += c.plain()[f].length;
                    }
                    byte[] prefix = FamilyEncoder.varint(length);
                    ByteArrayOutputStream start = new ByteArrayOutputStream(prefix.length + header.plain()[f].length);
                    start.writeBytes(prefix);
                    start.writeBytes(header.plain()[f]);
                    byte[] startBytes = start.toByteArray();
                    plain[f].writeBytes(startBytes);
                    gzip.get(f).add(GzipPart.of(startBytes));
                } else {
                    plain[f].writeBytes(header.plain()[f]);
                    gzip.get(f).add(header.gzip()[f]);
                }
                for (Chunk c : chunks) {
                    plain[f].writeBytes(c.plain()[f]);
                    gzip.get(f).add(c.gzip()[f]);
                }
            }
        }
        byte[][] plainBytes = new byte[formats][];
        GzipPart[] gzipParts = new GzipPart[formats];
        for (int f = 0; f < formats; f++) {
            plainBytes[f] = plain[f].toByteArray();
            gzipParts[f] = GzipPart.concat(gzip.get(f));
        }
        return new EncodedScrape(builtVersion, now, validUntil, plainBytes, gzipParts);
    }
}
