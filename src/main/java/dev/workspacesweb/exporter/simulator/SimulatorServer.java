package dev.workspacesweb.exporter.simulator;

import io.helidon.webserver.WebServer;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * The embedded WorkSpaces Secure Browser simulator: a Helidon SE WebServer (virtual threads) speaking the service's
 * restJson1 wire protocol for ListPortals, ListSessions, GetSession and ExpireSession, over a synthetic
 * {@link Workload} of one or more accounts; STS AssumeRole in the Query protocol on {@code POST /} (point an
 * {@code StsClient} at the same endpoint); plus {@code GET /_simulator/truth[?history=true]} and {@code GET /_simulator/requests} (no
 * Authorization needed). Point any AWS client at {@link #endpoint()} with any credentials.
 */
public final class SimulatorServer implements AutoCloseable {

    private final WebServer server;
    private final Workload workload;
    private final FaultInjector faults;
    private final RequestCounts counts;
    private final String host;

    private SimulatorServer(WebServer server, Workload workload, FaultInjector faults, RequestCounts counts,
            String host) {
        this.server = server;
        this.workload = workload;
        this.faults = faults;
        this.counts = counts;
        this.host = host;
    }

    /**
     * Builds the workload (preloading its history and initial sessions) and starts serving.
     *
     * @param clock the workload's time; production passes {@link InstantSource#system()}
     * @param port  0 for an ephemeral port, see {@link #port()}
     */
    public static SimulatorServer start(SimulatorSettings settings, InstantSource clock, String host, int port) {
        Workload workload = new Workload(settings, clock);
        FaultInjector faults = new FaultInjector(
                settings.faults() == null ? SimulatorSettings.Faults.none() : settings.faults(), settings.seed());
        RequestCounts counts = new RequestCounts();
        IssuedCredentials issued = new IssuedCredentials(settings.seed());
        StsHandler sts = new StsHandler(workload, faults::faults, issued, counts, InstantSource.system());
        ApiHandler handler = new ApiHandler(workload, faults, new PageTokens(), counts, issued, sts);
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                // Without TCP_NODELAY a response written in two segments waits for the client's delayed ACK (40 ms).
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(routing -> routing.any(handler))
                .build()
                .start();
        return new SimulatorServer(server, workload, faults, counts, host);
    }

    public int port() {
        return server.port();
    }

    /** The base URL for clients, e.g. {@code http://127.0.0.1:PORT} (loopback when bound to all interfaces). */
    public URI endpoint() {
        String address = switch (host) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]", "0:0:0:0:0:0:0:0" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
        return URI.create("http://" + address + ":" + port());
    }

    /** The workload: test hooks and ground truth. */
    public Workload workload() {
        return workload;
    }

    public List<String> portalIds() {
        return workload.portalIds();
    }

    /** Replaces the fault injection at run time. */
    public void faults(SimulatorSettings.Faults faults) {
        this.faults.faults(faults);
    }

    /**
     * Makes every request to one portal (ListSessions, GetSession, ExpireSession) take {@code latency} instead of
     * {@code faults.latency}: a slow portal beside fast ones. Zero removes it.
     */
    public void portalLatency(String portalId, Duration latency) {
        int index = workload.portalIndex(portalId);
        if (index < 0) {
            throw new IllegalArgumentException("no portal " + portalId);
        }
        faults.portalLatency(index, latency);
    }

    public SimulatorSettings.Faults faults() {
        return faults.faults();
    }

    /** API requests per operation and outcome ("200" or the error type), as {@code /_simulator/requests}. */
    public Map<String, Map<String, Long>> requestCounts() {
        return counts.snapshot();
    }

    public Truth truth() {
        return workload.truth();
    }

    public void stop() {
        if (server.isRunning()) {
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
