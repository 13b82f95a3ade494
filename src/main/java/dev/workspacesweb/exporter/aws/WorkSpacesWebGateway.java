package dev.workspacesweb.exporter.aws;

import dev.workspacesweb.exporter.config.AgentConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;
import software.amazon.awssdk.services.workspacesweb.model.ListPortalsResponse;
import software.amazon.awssdk.services.workspacesweb.model.ListSessionsRequest;
import software.amazon.awssdk.services.workspacesweb.model.ListSessionsResponse;
import software.amazon.awssdk.services.workspacesweb.model.PortalSummary;
import software.amazon.awssdk.services.workspacesweb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.workspacesweb.model.Session;
import software.amazon.awssdk.services.workspacesweb.model.SessionSortBy;
import software.amazon.awssdk.services.workspacesweb.model.SessionStatus;

/**
 * The agent's only door to the WorkSpaces Web API in one region: one SDK client with the adaptive retry strategy,
 * call and attempt timeouts and the API metrics interceptor, behind a client-side request rate limit. Everything
 * above it deals in whole pages and sessions; nothing above it builds SDK requests.
 */
public final class WorkSpacesWebGateway implements AutoCloseable {
    private final String region;
    private final WorkSpacesWebClient client;
    private final RequestRateLimiter limiter;
    private final int pageSize;
    /** The executor of the SDK's call timeouts when this gateway built the client (then it shuts it down), else null. */
    private final ScheduledThreadPoolExecutor timeouts;

    public WorkSpacesWebGateway(String region, WorkSpacesWebClient client, RequestRateLimiter limiter, int pageSize) {
        this(region, client, limiter, pageSize, null);
    }

    private WorkSpacesWebGateway(String region, WorkSpacesWebClient client, RequestRateLimiter limiter, int pageSize,
            ScheduledThreadPoolExecutor timeouts) {
        this.timeouts = timeouts;
        this.region = region;
        this.client = client;
        this.limiter = limiter;
        this.pageSize = pageSize;
    }

    /**
     * Builds the SDK client for {@code region} from the {@code aws.*} settings.
     *
     * @param credentials the SDK credentials chain, or static credentials for the simulator
     * @param backoff     base delay of retries; the SDK default when null (tests pass a short one)
     * @param adaptive    the SDK's adaptive strategy (production), else its standard one: the same retries without
     *                    the client-side rate cut, which under heavy injected throttling would stretch a test's
     *                    simulated hours into real ones
     */
    public static WorkSpacesWebGateway create(
            String region,
            AgentConfig.Aws aws,
            AwsCredentialsProvider credentials,
            MeterRegistry meters,
            BackoffStrategy backoff,
            boolean adaptive) {
        // The SDK arms a timeout task per call and attempt and cancels it when the call returns. Its default
        // executor keeps a cancelled task queued until its deadline (api_call_timeout later), and the task holds the
        // calling thread and the HTTP connection: after a cycle at 100k sessions they held ~11 MB. Removing on cancel
        // frees them as soon as the call is done (measured in BENCHMARKS.md, "Memory").
        ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().name("aws-call-timeouts-", 0).daemon(true).factory());
        timeouts.setRemoveOnCancelPolicy(true);
        var builder = WorkSpacesWebClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retryStrategy(aws.maxAttempts(), backoff, adaptive))
                        .apiCallTimeout(aws.apiCallTimeout())
                        .apiCallAttemptTimeout(aws.apiCallAttemptTimeout())
                        .scheduledExecutorService(timeouts)
                        .addExecutionInterceptor(new ApiMetricsInterceptor(meters))
                        .build());
        if (!aws.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(aws.endpoint()));
        }
        // The SDK does not shut down an executor it was given: close() does.
        return new WorkSpacesWebGateway(
                region, builder.build(), new RequestRateLimiter(aws.maxRequestsPerSecond()), aws.pageSize(), timeouts);
    }

    static RetryStrategy retryStrategy(int maxAttempts, BackoffStrategy backoff, boolean adaptive) {
        if (maxAttempts <= 1) {
            return AwsRetryStrategy.doNotRetry();
        }
        if (adaptive) {
            // Adaptive: standard retries plus a client-side rate that backs off when the service throttles.
            var builder = AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(maxAttempts);
            if (backoff != null) {
                builder.backoffStrategy(backoff).throttlingBackoffStrategy(backoff);
            }
            return builder.build();
        }
        var builder = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts);
        if (backoff != null) {
            builder.backoffStrategy(backoff).throttlingBackoffStrategy(backoff);
        }
        return builder.build();
    }

    public String region() {
        return region;
    }

    public WorkSpacesWebClient client() {
        return client;
    }

    /** Every portal of the region, all pages. */
    public List<PortalSummary> listPortals() {
        List<PortalSummary> portals = new ArrayList<>();
        String token = null;
        do {
            limiter.acquire();
            String next = token;
            ListPortalsResponse page = client.listPortals(r -> r.maxResults(pageSize).nextToken(next));
            portals.addAll(page.portals());
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return portals;
    }

    /**
     * Lists sessions page by page, handing each page to {@code onPage} until it returns false or the last page.
     *
     * @return the number of pages fetched
     */
    public int listSessions(
            String portalId, SessionStatus status, SessionSortBy sortBy, Predicate<ListSessionsResponse> onPage) {
        String token = null;
        int pages = 0;
        do {
            limiter.acquire();
            ListSessionsRequest.Builder request = ListSessionsRequest.builder()
                    .portalId(portalId)
                    .status(status)
                    .maxResults(pageSize)
                    .nextToken(token);
            if (sortBy != null) {
                request.sortBy(sortBy);
            }
            ListSessionsResponse page = client.listSessions(request.build());
            pages++;
            if (!onPage.test(page)) {
                break;
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return pages;
    }

    /** GetSession; empty when the service says the session does not exist. */
    public Optional<Session> getSession(String portalId, String sessionId) {
        limiter.acquire();
        try {
            return Optional.ofNullable(client.getSession(r -> r.portalId(portalId).sessionId(sessionId)).session());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** ExpireSession (idempotent on the service side). */
    public void expireSession(String portalId, String sessionId) {
        limiter.acquire();
        client.expireSession(r -> r.portalId(portalId).sessionId(sessionId));
    }

    @Override
    public void close() {
        client.close();
        if (timeouts != null) {
            timeouts.shutdownNow();
        }
    }
}
