package dev.workspacesweb.exporter.http;

import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.MethodPredicate;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Consumer;

/**
 * The agent's HTTP server: {@code /metrics}, {@code /-/healthy}, {@code /-/ready} and {@code /}. Read endpoints answer
 * GET and HEAD only.
 */
public final class AgentServer implements AutoCloseable {
    private static final MethodPredicate READ = Method.predicate(Method.GET, Method.HEAD);

    private final WebServer server;

    private AgentServer(WebServer server) {
        this.server = server;
    }

    /**
     * Starts the server.
     *
     * @param extraRoutes further routes (e.g. the admin API), or a no-op
     */
    public static AgentServer start(String host, int port, PrometheusRegistry registry, SnapshotStore store, String version,
            Consumer<HttpRouting.Builder> extraRoutes) {
        MetricsHandler metrics = new MetricsHandler(registry);
        LandingPage landing = new LandingPage(store, version);
        HttpRouting.Builder routing = HttpRouting.builder()
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
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .routing(routing)
                .build()
                .start();
        return new AgentServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
