package dev.workspacesweb.exporter.bench;

import com.sun.net.httpserver.HttpServer;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The floor of the start-up benchmark (scripts/bench-startup.sh): an HTTP server that does nothing but answer
 * {@code /-/healthy} and {@code /-/ready} with 200 on {@code SERVER_HOST:SERVER_PORT}, started from the agent's own
 * jar on its class path, so that the agent's time to {@code /-/healthy} can be read against the time its web server
 * alone takes to answer. {@code helidon}: Helidon SE's WebServer, built as the agent builds it (HTTP/1.1, one routing);
 * {@code jdk}: the JDK's own {@code com.sun.net.httpserver}, the least a JVM needs to answer HTTP. Runs until killed.
 */
public final class ServerFloor {
    private ServerFloor() {}

    public static void main(String[] args) throws IOException {
        String host = System.getenv().getOrDefault("SERVER_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("SERVER_PORT", "19742"));
        switch (args.length == 1 ? args[0] : "") {
            case "helidon" -> WebServer.builder()
                    .host(host)
                    .port(port)
                    .routing(HttpRouting.builder()
                            .get("/-/healthy", (req, res) -> res.send("OK\n"))
                            .get("/-/ready", (req, res) -> res.send("OK\n")))
                    .build()
                    .start();
            case "jdk" -> {
                HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
                byte[] ok = "OK\n".getBytes(StandardCharsets.US_ASCII);
                server.createContext("/-/", exchange -> {
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                    exchange.close();
                });
                server.start();
            }
            default -> {
                System.err.println("usage: ServerFloor helidon|jdk");
                System.exit(2);
            }
        }
    }
}
