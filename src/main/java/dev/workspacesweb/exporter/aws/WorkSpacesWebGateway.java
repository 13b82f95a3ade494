package dev.workspacesweb.exporter.aws;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.PortalRef;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.ServiceSession;
import dev.workspacesweb.exporter.model.SessionPage;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkResponse;
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
import software.amazon.awssdk.services.workspacesweb.model.SessionSummary;

/**
 * The agent's only door to the WorkSpaces Web API in one region: one SDK client with the adaptive retry strategy,
 * call and attempt timeouts and the API metrics interceptor, behind a client-side request rate limit shared fairly
 * between the portals. Everything above it deals in the project's model types (pages, sessions, portals); nothing
 * above it sees an SDK type.
 */
public final class WorkSpacesWebGateway implements WorkSpacesWebApi, AutoCloseable {
    /** The rate limiter's requester name of ListPortals calls. */
    static final String DISCOVERY = "";

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
                        .retryStrategy(new NoSkewRetryOfDenials(retryStrategy(aws.maxAttempts(), backoff, adaptive)))
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

    /**
     * Loads and initializes what the first calls of a client need (the client's construction, request marshalling,
     * SigV4 signing, the interceptors, the HTTP client) by making one ListSessions call that an interceptor stops
     * before it leaves the process: nothing is sent, no credentials are read. The start-up runs it on a background
     * thread while the main thread does other work, so the first poll finds these classes ready.
     */
    public static void preload() {
        var stop = new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                throw new IllegalStateException("preload: not sent");
            }
        };
        try (WorkSpacesWebClient client = WorkSpacesWebClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDPRELOAD", "preload")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(stop)
                        .build())
                .build()) {
            client.listSessions(ListSessionsRequest.builder().portalId("preload").build());
        } catch (RuntimeException expected) {
            // The interceptor's stop, as intended.
        }
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

    @Override
    public String region() {
        return region;
    }

    @Override
    public void checkCredentials() {
        try {
            client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Every portal of the region, all pages; the requests are discovery's share of the rate limit. */
    @Override
    public List<PortalInfo> listPortals() {
        List<PortalInfo> portals = new ArrayList<>();
        String token = null;
        do {
            limiter.acquire(DISCOVERY);
            String next = token;
            ListPortalsResponse page = client.listPortals(r -> r.maxResults(pageSize).nextToken(next));
            for (PortalSummary p : page.portals()) {
                portals.add(new PortalInfo(PortalRef.idOfArn(p.portalArn()), region, p.portalArn(), nz(p.displayName()),
                        nz(p.portalStatusAsString()), nz(p.instanceTypeAsString()), p.maxConcurrentSessions()));
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return portals;
    }

    /** Lists sessions page by page; each request is the portal's share of the region's rate limit. */
    @Override
    public int listSessions(String portalId, SessionQuery query, Predicate<SessionPage> onPage) {
        String token = null;
        int pages = 0;
        do {
            limiter.acquire(portalId);
            ListSessionsRequest.Builder request = ListSessionsRequest.builder()
                    .portalId(portalId)
                    .maxResults(query.maxResults() == null ? pageSize : query.maxResults())
                    .nextToken(token);
            if (query.status() != null) {
                request.status(query.status());
            }
            if (query.order() != null) {
                request.sortBy(query.order() == SessionQuery.Order.START_TIME_ASCENDING
                        ? SessionSortBy.START_TIME_ASCENDING : SessionSortBy.START_TIME_DESCENDING);
            }
            if (query.username() != null) {
                request.username(query.username());
            }
            if (query.sessionId() != null) {
                request.sessionId(query.sessionId());
            }
            ListSessionsResponse page = client.listSessions(request.build());
            pages++;
            List<ServiceSession> sessions = new ArrayList<>(page.sessions().size());
            for (SessionSummary s : page.sessions()) {
                sessions.add(new ServiceSession(s.sessionId(), s.username(), s.statusAsString(), s.startTime(), s.endTime(),
                        List.of(), ""));
            }
            if (!onPage.test(new SessionPage(sessions, page.nextToken(), serviceTime(page)))) {
                break;
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return pages;
    }

    /** GetSession; empty when the service says the session does not exist. */
    @Override
    public Optional<ServiceSession> getSession(String portalId, String sessionId) {
        limiter.acquire(portalId);
        try {
            Session s = client.getSession(r -> r.portalId(portalId).sessionId(sessionId)).session();
            return s == null ? Optional.empty() : Optional.of(new ServiceSession(s.sessionId(), s.username(),
                    s.statusAsString(), s.startTime(), s.endTime(), s.clientIpAddresses(), s.portalArn()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** ExpireSession (idempotent on the service side). */
    @Override
    public void expireSession(String portalId, String sessionId) {
        limiter.acquire(portalId);
        client.expireSession(r -> r.portalId(portalId).sessionId(sessionId));
    }

    /**
     * The service's time from the response's {@code Date} header (RFC 1123, whole seconds), which the SDK also uses
     * to correct its signing clock; null when there is none or it does not parse.
     */
    static Instant serviceTime(SdkResponse response) {
        if (response.sdkHttpResponse() == null) {
            return null;
        }
        return response.sdkHttpResponse().firstMatchingHeader("Date").map(WorkSpacesWebGateway::parseDate).orElse(null);
    }

    static Instant parseDate(String value) {
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void close() {
        client.close();
        if (timeouts != null) {
            timeouts.shutdownNow();
        }
    }
}
