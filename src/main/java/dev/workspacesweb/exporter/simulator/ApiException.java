package dev.workspacesweb.exporter.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error the simulated service answers with: HTTP status, the error shape's name (sent as
 * {@code x-amzn-ErrorType}), the JSON body members and, for 429/500, a {@code Retry-After} header.
 */
final class ApiException extends RuntimeException {

    /** One entry of a ValidationException's {@code fieldList}. */
    record FieldProblem(String name, String message) {
    }

    final int status;
    final String errorType;
    final Map<String, Object> body;
    final Integer retryAfterSeconds;

    private ApiException(int status, String errorType, Map<String, Object> body, Integer retryAfterSeconds) {
        super(errorType + ": " + body.get("message"), null, false, false);
        this.status = status;
        this.errorType = errorType;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** ValidationException for field problems, with the message the AWS frameworks build from them. */
    static ApiException validation(String reason, List<FieldProblem> problems) {
        StringBuilder message = new StringBuilder().append(problems.size())
                .append(problems.size() == 1 ? " validation error detected: " : " validation errors detected: ");
        for (int i = 0; i < problems.size(); i++) {
            if (i > 0) {
                message.append("; ");
            }
            message.append(problems.get(i).message());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message.toString());
        body.put("reason", reason);
        body.put("fieldList", problems.stream()
                .map(p -> Map.of("name", p.name(), "message", p.message())).toList());
        return new ApiException(400, "ValidationException", body, null);
    }

    /** ValidationException without a field list (reason {@code other}), e.g. for pagination tokens. */
    static ApiException validation(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("reason", "other");
        return new ApiException(400, "ValidationException", body, null);
    }

    static ApiException accessDenied(String message) {
        return new ApiException(403, "AccessDeniedException", Map.of("message", message), null);
    }

    /** A session token that does not go with the access key (403, as AWS front ends answer it). */
    static ApiException unrecognizedClient() {
        return new ApiException(403, "UnrecognizedClientException",
                Map.of("message", "The security token included in the request is invalid."), null);
    }

    static ApiException notFound(String resourceType, String resourceId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "The " + resourceType + " " + resourceId + " was not found.");
        body.put("resourceId", resourceId);
        body.put("resourceType", resourceType);
        return new ApiException(404, "ResourceNotFoundException", body, null);
    }

    static ApiException throttling(int retryAfterSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Rate exceeded");
        body.put("serviceCode", "workspaces-web");
        return new ApiException(429, "ThrottlingException", body, retryAfterSeconds);
    }

    static ApiException internal(int retryAfterSeconds) {
        return new ApiException(500, "InternalServerException",
                Map.of("message", "An internal error occurred. Try again."), retryAfterSeconds);
    }

    /** Not one of the four operations; the shape AWS front ends use for an unknown route. */
    static ApiException unknownOperation() {
        return new ApiException(404, "UnknownOperationException", Map.of("message", "Unknown operation"), null);
    }
}
