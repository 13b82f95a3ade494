package dev.workspacesweb.exporter.http;

import dev.workspacesweb.exporter.metrics.EncodedScrape;
import dev.workspacesweb.exporter.metrics.ScrapeFormat;
import dev.workspacesweb.exporter.metrics.SessionMetrics;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /metrics}. A plain scrape (no query) sends the session families as the bytes encoded when each portal's
 * view was published ({@link SessionMetrics#encoded()}), followed by the rest of the registry (the agent's own and
 * the JVM metrics, which change between scrapes) rendered live by client_java's writer, once for the scrapes that
 * arrive together ({@link SharedRenders}: never a render older than the request); content negotiation and gzip
 * follow client_java's scrape handler. Anything else (a {@code name[]} filter, {@code debug=}, {@code HEAD}, a format
 * that is not cached) goes to client_java's own scrape handler on the whole registry.
 */
final class MetricsHandler implements Handler {
    private static final System.Logger LOG = System.getLogger(MetricsHandler.class.getName());

    private final PrometheusScrapeHandler scrapeHandler;
    private final PrometheusRegistry registry;
    /** The session metrics in use (a reload swaps them); null when there are none: every scrape is rendered live. */
    private final Supplier<SessionMetrics> sessions;
    private final ExpositionFormats formats = ExpositionFormats.init(PrometheusProperties.get());
    /**
     * Scrapes rendered live (client_java's handler on the whole registry) at once. Rendering is CPU-bound and request handlers run on virtual threads, which share one
     * carrier thread per core with the poller's workers: unbounded concurrent scrapes would hold every carrier and
     * starve the polls (measured: 50 scrapers stopped them). One core always stays free for polling; the scrapes
     * beyond the limit wait parked, without holding a carrier.
     */
    private final Semaphore renders;
    /** The live part of plain scrapes (the agent's own and the JVM metrics), shared by concurrent scrapes. */
    private final SharedRenders liveRenders = new SharedRenders();

    MetricsHandler(PrometheusRegistry registry, Supplier<SessionMetrics> sessions) {
        this(registry, sessions, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    MetricsHandler(PrometheusRegistry registry, Supplier<SessionMetrics> sessions, int concurrentRenders) {
        this.scrapeHandler = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
        this.registry = registry;
        this.sessions = sessions;
        this.renders = new Semaphore(concurrentRenders, true);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws IOException, InterruptedException {
        String query = req.query().rawValue();
        if (sessions != null && (query == null || query.isEmpty()) && req.prologue().method().text().equals("GET")) {
            String accept = req.headers().contains(HeaderNames.ACCEPT) ? req.headers().get(HeaderNames.ACCEPT).get() : null;
            ExpositionFormatWriter writer = formats.findWriter(accept);
            ScrapeFormat format = ScrapeFormat.of(writer);
            EscapingScheme escaping = EscapingScheme.fromAcceptHeader(accept);
            if (format != null && ScrapeFormat.encodedUnder(escaping)) {
                sendEncoded(res, writer, format, escaping, acceptsGzip(req));
                return;
            }
        }
        renderLive(req, res);
    }

    /** The encoded session families, then the rest of the registry rendered now; one {@code # EOF} at the end. */
    private void sendEncoded(ServerResponse res, ExpositionFormatWriter writer, ScrapeFormat format, EscapingScheme escaping,
            boolean gzip) throws IOException, InterruptedException {
        SessionMetrics shown = sessions.get();
        // None during the start-up, before the AWS clients and the session metrics exist.
        EncodedScrape encoded = shown == null ? EncodedScrape.EMPTY : shown.encoded();
        // Not bounded by the render permits: what is rendered here is the agent's own and the JVM's few families
        // (a fraction of a millisecond), and copying the encoded bytes parks at every full socket buffer, so the
        // polls get their carrier in turn. A permit held by a descheduled thread would serialise every scrape.
        // Concurrent scrapes share one render of the rest that began after each of them arrived.
        byte[] rest = liveRenders.get(writer.getContentType() + (gzip ? "+gzip " : " ") + escaping, () -> {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 * 1024);
            try (OutputStream out = gzip ? new GZIPOutputStream(buffer, 8192) : buffer) {
                writer.write(out, registry.scrape(name -> !SessionMetrics.isSessionFamily(name)), escaping);
            }
            return buffer.toByteArray();
        });
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, writer.getContentType());
        if (gzip) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
        }
        // One array, sent as it is: Helidon's response output stream would copy a large body into a growing buffer
        // before writing it (several copies of 2.4 MB per scrape, BENCHMARKS.md section 0); send(byte[]) writes it.
        byte[] body = new byte[encoded.length(format, gzip) + rest.length];
        int at = encoded.copyTo(body, format, gzip);
        System.arraycopy(rest, 0, body, at, rest.length);
        res.send(body);
    }

    /** As client_java's scrape handler decides: any {@code Accept-Encoding} value {@code gzip}. */
    private static boolean acceptsGzip(ServerRequest req) {
        if (!req.headers().contains(HeaderNames.ACCEPT_ENCODING)) {
            return false;
        }
        for (String header : req.headers().get(HeaderNames.ACCEPT_ENCODING).allValues()) {
            for (String encoding : header.split(",")) {
                if (encoding.trim().equalsIgnoreCase("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** client_java's scrape handler on the whole registry: the name[] filter, debug=, HEAD. */
    private void renderLive(ServerRequest req, ServerResponse res) throws IOException, InterruptedException {
        renders.acquire();
        try {
            scrapeHandler.handleRequest(new Exchange(req, res, new boolean[1]));
        } finally {
            renders.release();
        }
    }

    /** @param bodyStarted set once the status and headers are out: an error after that can only drop the connection */
    private record Exchange(ServerRequest req, ServerResponse res, boolean[] bodyStarted) implements PrometheusHttpExchange {
        @Override
        public PrometheusHttpRequest getRequest() {
            return new PrometheusHttpRequest() {
                @Override
                public String getQueryString() {
                    String raw = req.query().rawValue();
                    return raw == null || raw.isEmpty() ? null : raw;
                }

                @Override
                public Enumeration<String> getHeaders(String name) {
                    HeaderName header = HeaderNames.create(name);
                    List<String> values = req.headers().contains(header) ? req.headers().get(header).allValues() : List.of();
                    return Collections.enumeration(values);
                }

                @Override
                public String getMethod() {
                    return req.prologue().method().text();
                }

                @Override
                public String getRequestPath() {
                    return req.path().path();
                }
            };
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return new PrometheusHttpResponse() {
                @Override
                public void setHeader(String name, String value) {
                    res.header(HeaderNames.create(name), value);
                }

                @Override
                public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
                    bodyStarted[0] = true;
                    res.status(Status.create(statusCode));
                    if (contentLength > 0) {
                        res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(contentLength));
                    }
                    return res.outputStream();
                }
            };
        }

        @Override
        public void handleException(IOException e) throws IOException {
            LOG.log(Level.DEBUG, "scrape failed while writing the response", e);
            throw e;
        }

        @Override
        public void handleException(RuntimeException e) {
            // Never a stack trace in the response: a short line, the details in the log.
            LOG.log(Level.WARNING, "scrape failed: {0} at {1}", e.getClass().getName(),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            if (!bodyStarted[0] && !res.isSent()) {
                res.status(Status.INTERNAL_SERVER_ERROR_500).send("scrape failed: " + e.getClass().getSimpleName());
            }
        }

        @Override
        public void close() {
            // Helidon completes the response when the output stream is closed by the handler.
        }
    }
}
