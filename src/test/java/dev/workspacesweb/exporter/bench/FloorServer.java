package dev.workspacesweb.exporter.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The floor of the load benchmark: a bare JDK {@link HttpServer} on loopback answering {@code /metrics} with bytes
 * held in memory (a scrape of the agent saved to files), plain or gzipped as the request asks, one virtual thread
 * per exchange. Nothing is rendered or copied beyond writing the array to the socket: what serving unchanged data
 * costs at least. Arguments: {@code port plain-file gzip-file content-type}.
 */
public final class FloorServer {
    private FloorServer() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        byte[] plain = Files.readAllBytes(Path.of(args[1]));
        byte[] gzip = Files.readAllBytes(Path.of(args[2]));
        String contentType = args[3];
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/metrics", exchange -> {
            boolean gzipped = acceptsGzip(exchange);
            byte[] body = gzipped ? gzip : plain;
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (gzipped) {
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/-/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        System.out.println("floor on http://127.0.0.1:" + port + "/metrics: " + plain.length + " bytes, " + gzip.length + " gzipped");
    }

    private static boolean acceptsGzip(HttpExchange exchange) {
        List<String> values = exchange.getRequestHeaders().get("Accept-Encoding");
        return values != null && values.stream().anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("gzip"));
    }
}
