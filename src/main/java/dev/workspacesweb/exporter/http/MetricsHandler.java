package dev.workspacesweb.exporter.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /metrics}: client_java's own scrape handler (content negotiation between Prometheus text, OpenMetrics
 * and protobuf, gzip, the {@code name[]} filter) on a Helidon exchange. The registry holds only collectors that
 * render already-built snapshots, so a scrape does no AWS call and no aggregation.
 */
final class MetricsHandler implements Handler {
    private static final System.Logger LOG = System.getLogger(MetricsHandler.class.getName());

    private final PrometheusScrapeHandler scrapeHandler;
    /**
     * Scrapes rendered at once. Rendering is CPU-bound and request handlers run on virtual threads, which share one
     * carrier thread per core with the poller's workers: unbounded concurrent scrapes would hold every carrier and
     * starve the polls (measured: 50 scrapers stopped them). One core always stays free for polling; the scrapes
     * beyond the limit wait parked, without holding a carrier.
     */
    private final Semaphore renders;

    MetricsHandler(PrometheusRegistry registry) {
        this(registry, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    MetricsHandler(PrometheusRegistry registry, int concurrentRenders) {
        this.scrapeHandler = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
        this.renders = new Semaphore(concurrentRenders, true);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws IOException, InterruptedException {
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
