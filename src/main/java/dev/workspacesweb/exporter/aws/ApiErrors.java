package dev.workspacesweb.exporter.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Maps a failed call to the short code used in the {@code error} label and in logs. */
public final class ApiErrors {
    public static final String TIMEOUT = "Timeout";
    public static final String IO_ERROR = "IOError";
    public static final String INVALID_RESPONSE = "InvalidResponse";

    private ApiErrors() {}

    /**
     * The AWS error code (e.g. {@code ThrottlingException}), or {@code Timeout}, {@code IOError}, {@code InvalidResponse}
     * (a response that does not parse) or {@code ClientError} (any other client-side failure).
     */
    public static String code(Throwable t) {
        if (t instanceof SdkClientException && t.getMessage() != null && t.getMessage().startsWith("Unable to unmarshall")) {
            // A response that arrived but does not parse (truncated, not JSON, wrong types): not an I/O problem.
            return INVALID_RESPONSE;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AwsServiceException ase) {
                String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
                if (code != null && !code.isBlank()) {
                    return code;
                }
                return "HTTP" + ase.statusCode();
            }
            if (c instanceof ApiCallTimeoutException || c instanceof ApiCallAttemptTimeoutException
                    || c instanceof java.net.SocketTimeoutException || c instanceof java.net.http.HttpTimeoutException) {
                return TIMEOUT;
            }
            if (c instanceof IOException || c instanceof UncheckedIOException) {
                return IO_ERROR;
            }
        }
        // A client-side failure without an I/O cause, e.g. a response that does not parse.
        return t instanceof SdkException ? "ClientError" : t.getClass().getSimpleName();
    }

    /** One line for a log or a status page: code and message, never a stack trace or a credential. */
    public static String describe(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        int cut = message.indexOf(" (Service: ");
        if (cut > 0) {
            message = message.substring(0, cut);
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return code(t) + ": " + message;
    }
}
