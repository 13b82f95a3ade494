package dev.workspacesweb.exporter.http;

import dev.workspacesweb.exporter.metrics.EncodedScrape;
import dev.workspacesweb.exporter.metrics.GzipPart;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;

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

    /** Bytes of the body written with the status line and headers, before the rest goes to the socket uncopied. */
    private static final int FIRST_WRITE = 1024;

    private final PrometheusScrapeHandler scrapeHandler;
    private final PrometheusRegistry registry;
    /** The session metrics in use (a reload swaps them); null when there are none: every scrape is rendered live. */
    private final Supplier<SessionMetrics> sessions;
    private final ExpositionFormats formats = ExpositionFormats.init(PrometheusProperties.get());
    /**
     * Where client_java's writers run: platform threads, as many as the cores but one (see {@link RenderThreads}: on
     * the request's virtual thread the same render is an order of magnitude slower, and unbounded concurrent renders
     * would starve the polls).
     */
    private final RenderThreads renderThreads;
    /** The live part of plain scrapes (the agent's own and the JVM metrics), shared by concurrent scrapes. */
    private final SharedRenders<byte[]> liveText = new SharedRenders<>();
    /** The same, compressed as the end of a gzip member. */
    private final SharedRenders<GzipPart> liveGzip = new SharedRenders<>();

    MetricsHandler(PrometheusRegistry registry, Supplier<SessionMetrics> sessions, RenderThreads renderThreads) {
        this.scrapeHandler = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
        this.registry = registry;
        this.sessions = sessions;
        this.renderThreads = renderThreads;
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
        EncodedScrape encoded = shown == null ? EncodedScrape.EMPTY : shown.encodedIfBuilt();
        if (encoded == null) {
            // A poll landed since the last scrape: its bytes are assembled (and encoded, if this scrape came before
            // the poll's own thread did it) with client_java's writers, so on a render thread.
            encoded = renderThreads.run(shown::encoded);
        }
        // Concurrent scrapes share one render of the rest that began after each of them arrived.
        String kind = writer.getContentType() + " " + escaping;
        // The encoded bytes go to the socket as they are, never copied: with the length known, Helidon's response
        // stream writes every write after the first straight to the socket, and copies only the first (with the
        // status line and headers) into one buffer. So the first write is a short head of the body; send(byte[])
        // would copy the whole 2.4 MB body once more, and assembling it here once before that (BENCHMARKS.md
        // section 0).
        if (gzip) {
            // One gzip member: the encoded families' deflate data, then the live families' (GzipPart).
            GzipPart rest = liveGzip.get(kind, () -> renderThreads.run(() -> GzipPart.last(renderRest(writer, escaping))));
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, writer.getContentType());
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(encoded.gzipLength(format, rest)));
            try (OutputStream out = res.outputStream()) {
                encoded.writeGzip(out, format, rest, FIRST_WRITE);
            }
        } else {
            byte[] rest = liveText.get(kind, () -> renderThreads.run(() -> renderRest(writer, escaping)));
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, writer.getContentType());
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(encoded.length(format) + rest.length));
            try (OutputStream out = res.outputStream()) {
                encoded.writeTo(out, format, FIRST_WRITE);
                out.write(rest);
            }
        }
    }

    /** The registry but the session families, rendered now (on a render thread). */
    private byte[] renderRest(ExpositionFormatWriter writer, EscapingScheme escaping) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(32 * 1024);
        writer.write(buffer, registry.scrape(name -> !SessionMetrics.isSessionFamily(name)), escaping);
        return buffer.toByteArray();
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

    /**
     * client_java's scrape handler on the whole registry (the name[] filter, debug=, HEAD): run on a render thread
     * into memory, then sent from here as the handler made it.
     */
    private void renderLive(ServerRequest req, ServerResponse res) throws IOException, InterruptedException {
        Captured captured = renderThreads.run(() -> {
            Captured c = new Captured();
            scrapeHandler.handleRequest(new Exchange(req, c));
            return c;
        });
        captured.headers.forEach(h -> res.header(HeaderNames.create(h[0]), h[1]));
        if (captured.status != 0) {
            res.status(Status.create(captured.status));
            if (captured.contentLength > 0) {
                res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(captured.contentLength));
            }
            try (OutputStream out = res.outputStream()) {
                captured.body.writeTo(out);
            }
        } else if (captured.failure != null) {
            res.status(Status.INTERNAL_SERVER_ERROR_500).send("scrape failed: " + captured.failure);
        }
    }

    /**
     * A response as client_java's handler makes it: its headers, then (status set) its body, or a failure before the
     * body began. Filled on a render thread, read after {@link RenderThreads#run} returns.
     */
    private static final class Captured {
        final List<String[]> headers = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status;
        int contentLength;
        String failure;
    }

    private record Exchange(ServerRequest req, Captured res) implements PrometheusHttpExchange {
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
                    res.headers.add(new String[] {name, value});
                }

                @Override
                public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
                    res.status = statusCode;
                    res.contentLength = contentLength;
                    return res.body;
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
            if (res.status == 0) {
                res.failure = e.getClass().getSimpleName();
            }
        }

        @Override
        public void close() {
            // Nothing to release: the response is in memory until renderLive sends it.
        }
    }
}
