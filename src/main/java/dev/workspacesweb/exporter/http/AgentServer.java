package dev.workspacesweb.exporter.http;

import dev.workspacesweb.exporter.metrics.SessionMetrics;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.MethodPredicate;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's HTTP server: {@code /metrics}, {@code /-/healthy}, {@code /-/ready} and {@code /}, plus whatever
 * {@code extraRoutes} adds (the admin API under {@code /api/v1}).
 *
 * <p>Security ({@link WebConfig}): TLS, when configured, covers the whole listener; basic auth and "GET and HEAD only"
 * cover everything outside {@code /api/v1} ({@link AccessFilter}). Requests are bounded (request line, headers,
 * body), and an error never puts a stack trace or an exception message in the response.
 */
public final class AgentServer implements AutoCloseable {
    /** Request line ({@code GET /metrics?name[]=...}): long enough for a dozen name filters. */
    static final int MAX_REQUEST_LINE = 4096;
    /** All request headers together. Prometheus sends a handful; browsers a few more. */
    static final int MAX_HEADERS_SIZE = 8192;
    /** Request body: the read endpoints take none; the admin API takes small JSON documents. */
    static final long MAX_BODY_SIZE = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(AgentServer.class.getName());
    private static final MethodPredicate READ = Method.predicate(Method.GET, Method.HEAD);

    private final WebServer server;
    private final boolean tls;
    private final RenderThreads renderThreads;

    private AgentServer(WebServer server, boolean tls, RenderThreads renderThreads) {
        this.server = server;
        this.tls = tls;
        this.renderThreads = renderThreads;
    }

    /**
     * Starts the server.
     *
     * @param web         TLS, basic auth and extra headers; {@link WebConfig#none()} for plain HTTP without auth
     * @param extraRoutes further routes (e.g. the admin API, which must live under {@code /api/v1}), or a no-op
     */
    public static AgentServer start(String host, int port, PrometheusRegistry registry, SnapshotStore store, String version,
            WebConfig web, Consumer<HttpRouting.Builder> extraRoutes) {
        return start(host, port, registry, null, store, version, web, extraRoutes, false);
    }

    /**
     * As {@link #start(String, int, PrometheusRegistry, SnapshotStore, String, WebConfig, Consumer)}.
     *
     * @param simulated the data comes from the embedded simulator: the landing page says so at the top
     */
    public static AgentServer start(String host, int port, PrometheusRegistry registry, SnapshotStore store, String version,
            WebConfig web, Consumer<HttpRouting.Builder> extraRoutes, boolean simulated) {
        return start(host, port, registry, null, store, version, web, extraRoutes, simulated);
    }

    /**
     * Starts the server.
     *
     * @param sessions    the session metrics in use in {@code registry}, whose encoded bytes {@code /metrics} sends;
     *                    null to render every scrape live
     * @param web         TLS, basic auth and extra headers; {@link WebConfig#none()} for plain HTTP without auth
     * @param extraRoutes further routes (e.g. the admin API, which must live under {@code /api/v1}), or a no-op
     * @param simulated   the data comes from the embedded simulator: the landing page says so at the top
     */
    public static AgentServer start(String host, int port, PrometheusRegistry registry, Supplier<SessionMetrics> sessions,
            SnapshotStore store, String version, WebConfig web, Consumer<HttpRouting.Builder> extraRoutes, boolean simulated) {
        RenderThreads renderThreads = RenderThreads.forThisMachine();
        MetricsHandler metrics = new MetricsHandler(registry, sessions, renderThreads);
        LandingPage landing = new LandingPage(store, version, simulated);
        BasicAuthenticator authenticator = web.basicAuthEnabled() ? new BasicAuthenticator(web.basicAuthUsers()) : null;
        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(new AccessFilter(web.headers(), authenticator,
                        web.tls().map(TlsServerConfig::clientAllowedSans).orElse(List.of())))
                .error(RuntimeException.class, AgentServer::handleError)
                .route(READ, PathMatchers.exact("/metrics"), metrics)
                .route(READ, PathMatchers.exact("/-/healthy"),
                        (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain").send("OK\n"))
                .route(READ, PathMatchers.exact("/-/ready"), (req, res) -> {
                    boolean ready = store.ready();
                    res.status(ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                            .header(HeaderNames.CONTENT_TYPE, "text/plain")
                            .send(ready ? "Ready\n" : "Not ready: waiting for the first poll of every portal\n");
                })
                .route(READ, PathMatchers.exact("/"), landing);
        extraRoutes.accept(routing);
        WebServerConfig.Builder builder = WebServer.builder()
                .host(host)
                .port(port)
                .addProtocol(http1())
                // Plain HTTP on blocking sockets: the JDK's socket stream copies a response once into a direct buffer
                // per write of up to 128 KB; Helidon's NIO socket first copies it 8 KB at a time into a heap buffer,
                // which the JDK then copies again. Measured under 50 scrapers: 1.7-2.0 ms of CPU per scrape against
                // 2.3-2.6 ms (BENCHMARKS.md section 0). TLS stays on NIO sockets: on blocking ones Helidon 4.5's TLS
                // failed TlsServerTest (client certificates refused without an alert, the SAN allow-list).
                .useNio(web.tlsEnabled())
                .maxPayloadSize(MAX_BODY_SIZE)
                // Connection-level errors (a malformed request line, headers too large) get the status only.
                .errorHandling(e -> e.includeEntity(false))
                .routing(routing);
        web.tls().ifPresent(t -> builder.tls(t.toHelidon()));
        WebServer server;
        try {
            server = builder.build().start();
        } catch (RuntimeException e) {
            renderThreads.close();
            throw e;
        }
        LOG.log(Level.INFO, "HTTP server on port {0,number,#}: {1}", server.port(), web.describe());
        return new AgentServer(server, web.tlsEnabled(), renderThreads);
    }

    /** HTTP/1.1 with the agent's bounds on the request line and headers. */
    private static Http1Config http1() {
        return Http1Config.builder().maxPrologueLength(MAX_REQUEST_LINE).maxHeadersSize(MAX_HEADERS_SIZE).build();
    }

    /**
     * Loads and initializes the web server's classes by building (not starting) a server like the agent's, so that
     * the start-up's {@link #start} finds them ready; run on a background thread while the main thread reads the
     * configuration.
     */
    public static void preload() {
        WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .addProtocol(http1())
                .routing(HttpRouting.builder()
                        .route(READ, PathMatchers.exact("/-/healthy"), (req, res) -> res.send("OK\n")))
                .build();
    }

    /**
     * Exceptions out of handlers: the status and its reason phrase, nothing else. A server error is logged with the
     * exception's class and the frame that threw it, without message or stack trace.
     */
    private static void handleError(ServerRequest req, ServerResponse res, RuntimeException e) {
        Status status = e instanceof HttpException http ? http.status() : Status.INTERNAL_SERVER_ERROR_500;
        if (status.code() >= 500) {
            // The class and where it was thrown, not the message: handlers are not trusted to keep secrets out of it.
            StackTraceElement[] frames = e.getStackTrace();
            LOG.log(Level.WARNING, "{0} {1} failed: {2} at {3}", req.prologue().method().text(), req.path().path(),
                    e.getClass().getName(), frames.length == 0 ? "?" : frames[0]);
        }
        if (!res.isSent()) {
            res.status(status).header(HeaderNames.CONTENT_TYPE, "text/plain").send(status.reasonPhrase() + "\n");
        }
    }

    public int port() {
        return server.port();
    }

    /** Whether the listener speaks TLS, i.e. the scheme is https. */
    public boolean tls() {
        return tls;
    }

    @Override
    public void close() {
        server.stop();
        renderThreads.close();
    }
}
