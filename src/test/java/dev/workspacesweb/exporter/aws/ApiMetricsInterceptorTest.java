package dev.workspacesweb.exporter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiMetricsInterceptorTest {
    @Test
    void errorCodeFollowsRestJson1() {
        assertThat(ApiMetricsInterceptor.errorCode("ThrottlingException")).isEqualTo("ThrottlingException");
        assertThat(ApiMetricsInterceptor.errorCode("ThrottlingException:http://internal.amazon.com/")).isEqualTo("ThrottlingException");
        assertThat(ApiMetricsInterceptor.errorCode("com.amazonaws.workspacesweb#ResourceNotFoundException")).isEqualTo("ResourceNotFoundException");
        assertThat(ApiMetricsInterceptor.errorCode("")).isEqualTo("Unknown");
    }
}
