package dev.workspacesweb.exporter.http;

import static dev.workspacesweb.exporter.http.SecureServers.raw;
import static dev.workspacesweb.exporter.http.SecureServers.status;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Limits and error answers without any web config: they hold for every deployment. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningTest {
    private AgentServer server;

    @BeforeAll
    void start() {
        server = SecureServers.start(WebConfig.none());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static void assertNoInternals(String response) {
        assertThat(response).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.helidon")
                .doesNotContain("hunter2").doesNotContain("internal detail");
    }

    @Test
    void readEndpointsAnswerGetAndHeadOnly() throws Exception {
        String get = raw(server.port(), "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(status(get)).isEqualTo(200);
        String post = raw(server.port(), "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertThat(status(post)).isEqualTo(405);
        assertThat(post).containsIgnoringCase("Allow: GET, HEAD");
        String trace = raw(server.port(), "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(status(trace)).isEqualTo(405);
    }

    @Test
    void overlongRequestLineIsRefused() throws Exception {
        String response = raw(server.port(), "GET /metrics?name[]=" + "a".repeat(AgentServer.MAX_REQUEST_LINE)
                + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(status(response)).isBetween(400, 499);
        assertNoInternals(response);
    }

    @Test
    void requestLinesAndHeadersUpToTheLimitsAreServed() throws Exception {
        // Just under our limits. Helidon's default header limit is 16 KiB: with oversizedHeadersAreRefused, this
        // shows our 8 KiB is the one in force.
        String filter = "name%5B%5D=" + "a".repeat(3000);
        assertThat(status(raw(server.port(), "GET /metrics?" + filter + " HTTP/1.1\r\nHost: x\r\n\r\n"))).isEqualTo(200);
        assertThat(status(raw(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Filler: " + "b".repeat(7000)
                + "\r\n\r\n"))).isEqualTo(200);
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        String response = raw(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Filler: "
                + "b".repeat(AgentServer.MAX_HEADERS_SIZE) + "\r\n\r\n");
        assertThat(status(response)).isBetween(400, 499);
        assertNoInternals(response);
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        int size = (int) AgentServer.MAX_BODY_SIZE + 1;
        String response = raw(server.port(), "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + size
                + "\r\n\r\n" + "c".repeat(size));
        assertThat(status(response)).isEqualTo(413);
        assertNoInternals(response);
        String small = raw(server.port(), "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(status(small)).isEqualTo(200);
        assertThat(small).contains("read 5 bytes");
    }

    @Test
    void handlerExceptionGivesAShortBodyWithoutDetails() throws Exception {
        String response = raw(server.port(), "GET /api/v1/boom HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(status(response)).isEqualTo(500);
        assertThat(response).endsWith("\r\n\r\nInternal Server Error\n");
        assertNoInternals(response);
    }

    @Test
    void malformedRequestGivesNoDetails() throws Exception {
        String response = raw(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
        assertThat(status(response)).isBetween(400, 499);
        assertNoInternals(response);
    }
}
