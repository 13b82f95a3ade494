package dev.workspacesweb.exporter.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every HTTP attempt the SDK makes ({@code workspaces_web_api_requests_total{operation}}) and every attempt
 * that failed ({@code workspaces_web_api_request_errors_total{operation,error}}). Attempts, not calls: a throttled
 * call that the SDK retried three times is three requests and three ThrottlingException errors, which is what the
 * account's API budget sees.
 */
public final class ApiMetricsInterceptor implements ExecutionInterceptor {
    private static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();

    public ApiMetricsInterceptor(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = operation(attributes);
        requests.computeIfAbsent(operation, op -> Counter.builder("workspaces_web.api.requests")
                        .description("HTTP requests (attempts, retries included) sent to the WorkSpaces Web API")
                        .tag("operation", op)
                        .register(registry))
                .increment();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        int status = context.httpResponse().statusCode();
        if (status < 400) {
            return;
        }
        Optional<String> type = context.httpResponse().firstMatchingHeader(ERROR_TYPE_HEADER);
        error(operation(attributes), type.map(ApiMetricsInterceptor::errorCode).orElse("HTTP" + status));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        // Service errors were counted per attempt in afterTransmission; what is left are failures with no error
        // response: timeouts, I/O errors, responses that do not parse.
        if (!(context.exception() instanceof AwsServiceException)) {
            error(operation(attributes), ApiErrors.code(context.exception()));
        }
    }

    private void error(String operation, String code) {
        errors.computeIfAbsent(operation + '\0' + code, k -> Counter.builder("workspaces_web.api.request.errors")
                        .description("Failed WorkSpaces Web API requests by AWS error code (or Timeout / IOError)")
                        .tag("operation", operation)
                        .tag("error", code)
                        .register(registry))
                .increment();
    }

    private static String operation(ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return op == null ? "unknown" : op;
    }

    /** restJson1: strip anything after the first ':' and anything up to '#'. */
    static String errorCode(String headerValue) {
        String code = headerValue;
        int colon = code.indexOf(':');
        if (colon >= 0) {
            code = code.substring(0, colon);
        }
        int hash = code.indexOf('#');
        if (hash >= 0) {
            code = code.substring(hash + 1);
        }
        return code.isBlank() ? "Unknown" : code.trim();
    }
}
