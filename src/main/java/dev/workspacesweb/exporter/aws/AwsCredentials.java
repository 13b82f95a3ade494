package dev.workspacesweb.exporter.aws;

import dev.workspacesweb.exporter.config.AgentConfig;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Credentials for {@code source: aws}: the SDK's default chain (environment, profile, web identity / IRSA, container
 * and instance roles), and on top of it, per account, a role assumed through STS by the SDK's own
 * {@link StsAssumeRoleCredentialsProvider} (which refreshes the credentials before they expire).
 *
 * <p>The STS client gets no endpoint override unless one is passed (the embedded simulator): the SDK then resolves
 * the endpoint itself, honouring the standard {@code AWS_ENDPOINT_URL_STS} and {@code AWS_ENDPOINT_URL} variables
 * (and the {@code aws.endpointUrlSts} / {@code aws.endpointUrl} system properties), as VPC endpoints and tests need.
 */
public final class AwsCredentials {
    private static final String SESSION_NAME = "workspaces-web-exporter";

    private AwsCredentials() {}

    /** The SDK's default credentials chain. */
    public static AwsCredentialsProvider base() {
        return DefaultCredentialsProvider.builder().build();
    }

    /** The one-account shorthand of the CLI commands: {@code aws.role_arn} assumed with the default chain, if set. */
    public static AwsCredentialsProvider provider(AgentConfig.Aws aws, String region) {
        if (aws.roleArn() == null || aws.roleArn().isBlank()) {
            return base();
        }
        return assumeRole(base(), aws.roleArn(), aws.externalId(), region, null);
    }

    /**
     * The credentials of {@code roleArn}, assumed with {@code base} through STS in {@code region}.
     *
     * @param externalId  sent with AssumeRole when not blank
     * @param stsEndpoint an explicit STS endpoint (the embedded simulator), or null for the SDK's resolution
     */
    public static AssumedRole assumeRole(AwsCredentialsProvider base, String roleArn, String externalId, String region,
            URI stsEndpoint) {
        var sts = StsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(base)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (stsEndpoint != null) {
            sts.endpointOverride(stsEndpoint);
        }
        StsClient client = sts.build();
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(client)
                .refreshRequest(r -> {
                    r.roleArn(roleArn).roleSessionName(SESSION_NAME);
                    if (externalId != null && !externalId.isBlank()) {
                        r.externalId(externalId);
                    }
                })
                .build();
        return new AssumedRole(provider, client);
    }

    /** An assumed role's credentials; closing it closes the SDK provider and its STS client. */
    public static final class AssumedRole implements AwsCredentialsProvider, AutoCloseable {
        private final StsAssumeRoleCredentialsProvider provider;
        private final StsClient sts;

        AssumedRole(StsAssumeRoleCredentialsProvider provider, StsClient sts) {
            this.provider = provider;
            this.sts = sts;
        }

        @Override
        public software.amazon.awssdk.auth.credentials.AwsCredentials resolveCredentials() {
            return provider.resolveCredentials();
        }

        @Override
        public void close() {
            provider.close();
            sts.close();
        }
    }
}
