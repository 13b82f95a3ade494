package dev.workspacesweb.exporter.aws;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The SDK's retry strategy, except that a 401/403 whose error code names an authorization decision (e.g.
 * AccessDeniedException) is not retried because the response's {@code Date} is minutes from the agent's clock. The
 * SDK reads any 401/403 with a distant {@code Date} as a possible clock-skew failure and retries it once; a denial is
 * a decision, not a signature problem, and the service's time differing from the agent's is what the agent expects
 * (it takes its cutoffs from that {@code Date}). Signature and clock errors (InvalidSignatureException,
 * RequestTimeTooSkewed...) are still retried with the SDK's skew correction.
 */
final class NoSkewRetryOfDenials implements RetryStrategy {
    /** The codes of a request signed at a wrong time: the SDK's clock-skew codes. */
    private static final Set<String> SKEW_CODES = Set.of("RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture",
            "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure");

    private final RetryStrategy delegate;

    NoSkewRetryOfDenials(RetryStrategy delegate) {
        this.delegate = delegate;
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        return delegate.acquireInitialToken(request);
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        if (request.failure() instanceof AwsServiceException e && isDenial(e)) {
            throw new TokenAcquisitionFailedException("a denial is not retried", e);
        }
        return delegate.refreshRetryToken(request);
    }

    static boolean isDenial(AwsServiceException e) {
        if (e.statusCode() != 401 && e.statusCode() != 403) {
            return false;
        }
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code != null && !code.isBlank() && !SKEW_CODES.contains(code);
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        return delegate.recordSuccess(request);
    }

    @Override
    public int maxAttempts() {
        return delegate.maxAttempts();
    }

    /** Complete as it is: the client must not rebuild it (and drop this decorator) to add its defaults. */
    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder<?, ?> toBuilder() {
        return delegate.toBuilder();
    }
}
