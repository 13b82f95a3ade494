package dev.workspacesweb.exporter.aws;

import dev.workspacesweb.exporter.config.AgentConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Credentials for {@code source: aws}: the SDK's default chain (environment, profile, web identity / IRSA, container
 * and instance roles), optionally used to assume {@code aws.role_arn} through STS.
 */
public final class AwsCredentials {
    private AwsCredentials() {}

    public static AwsCredentialsProvider provider(AgentConfig.Aws aws, String region) {
        AwsCredentialsProvider base = DefaultCredentialsProvider.builder().build();
        if (aws.roleArn() == null || aws.roleArn().isBlank()) {
            return base;
        }
        StsClient sts = StsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(base)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> {
                    r.roleArn(aws.roleArn()).roleSessionName("workspaces-web-exporter");
                    if (aws.externalId() != null && !aws.externalId().isBlank()) {
                        r.externalId(aws.externalId());
                    }
                })
                .build();
    }
}
