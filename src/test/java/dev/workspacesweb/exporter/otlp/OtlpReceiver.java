package dev.workspacesweb.exporter.otlp;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-process OTLP/HTTP metrics receiver: {@code POST /v1/metrics} with an {@code application/x-protobuf}
 * {@link ExportMetricsServiceRequest}, answered {@code 200} with an empty {@link ExportMetricsServiceResponse} as a
 * collector does. Every request is decoded and queued with its HTTP headers; tests take them with a timeout instead
 * of sleeping.
 */
final class OtlpReceiver implements AutoCloseable {
    static final String PATH = "/v1/metrics";

    /** One received push: the request's HTTP headers and the decoded body. */
    record Push(Headers headers, ExportMetricsServiceRequest request) {}

    private final HttpServer server;
    private final BlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
    private volatile int status = 200;

    private OtlpReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext(PATH, this::handle);
        server.start();
    }

    /** On a free port. */
    static OtlpReceiver start() throws IOException {
        return new OtlpReceiver(0);
    }

    /** On the given port, e.g. one that a pusher already pushes to while nothing listens. */
    static OtlpReceiver startOn(int port) throws IOException {
        return new OtlpReceiver(port);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    String metricsUrl() {
        return baseUrl() + PATH;
    }

    /** The next push, waiting at most 10 seconds for it. */
    Push take() throws InterruptedException {
        Push push = pushes.poll(10, TimeUnit.SECONDS);
        if (push == null) {
            throw new AssertionError("no OTLP push arrived within 10 s at " + metricsUrl());
        }
        return push;
    }

    /** Answers every later push with this HTTP status (and no body) instead of 200, as a failing collector does. */
    void answerWith(int status) {
        this.status = status;
    }

    int pending() {
        return pushes.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ExportMetricsServiceRequest request;
            try (InputStream body = exchange.getRequestBody()) {
                request = ExportMetricsServiceRequest.parseFrom(body.readAllBytes());
            }
            Headers copy = new Headers();
            copy.putAll(exchange.getRequestHeaders());
            pushes.add(new Push(copy, request));
            int answer = status;
            if (answer != 200) {
                exchange.sendResponseHeaders(answer, -1);
                return;
            }
            byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                exchange.getResponseBody().write(response);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
