package dev.workspacesweb.exporter.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;

/** The real AWS SDK client and a raw HTTP client, both pointed at a simulator. */
final class Sdk {

    /** A SigV4-shaped header for raw requests; the simulator checks its form, not its signature. */
    static final String FAKE_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260302/us-east-1/"
            + "workspaces-web/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";

    private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Sdk() {
    }

    /** The SDK client with retries off, so every error surfaces once. */
    static WorkSpacesWebClient client(SimulatorServer simulator) {
        return WorkSpacesWebClient.builder()
                .endpointOverride(simulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static HttpResponse<String> get(SimulatorServer simulator, String pathAndQuery, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.endpoint() + pathAndQuery)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    static HttpResponse<String> delete(SimulatorServer simulator, String path) {
        return send(HttpRequest.newBuilder(URI.create(simulator.endpoint() + path)).DELETE()
                .header("Authorization", FAKE_AUTHORIZATION).build());
    }

    static HttpResponse<String> get(SimulatorServer simulator, String pathAndQuery) {
        return get(simulator, pathAndQuery, FAKE_AUTHORIZATION);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return RAW.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
