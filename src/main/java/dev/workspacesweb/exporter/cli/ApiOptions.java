package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.aws.ApiErrors;
import dev.workspacesweb.exporter.aws.AwsCredentials;
import dev.workspacesweb.exporter.config.PortalRef;
import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.ConfigException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code --config}, {@code --region} and {@code --endpoint}, shared by the {@code sessions} and {@code portals}
 * commands: they talk to the API with the agent's configuration and credentials, through the agent's gateway.
 */
final class ApiOptions {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--region", paramLabel = "NAME",
            description = "AWS region (default: the first of aws.regions; a portal ARN's region wins).")
    String region;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Talk to this endpoint instead of AWS, e.g. the simulator started with 'simulate' "
                    + "(credentials: environment or profile if set, else dummy ones).")
    URI endpoint;

    /** What a command talks to: validated configuration, region and credentials. */
    record Target(AgentConfig.Aws aws, String defaultRegion, AwsCredentialsProvider credentials) {
        /** The agent's gateway for a region (its retries, timeouts and rate limit); the caller closes it. */
        WorkSpacesWebGateway gateway(String region) {
            AwsCredentialsProvider creds = credentials != null ? credentials : AwsCredentials.provider(aws, region);
            return WorkSpacesWebGateway.create(region, aws, creds, new SimpleMeterRegistry(), null, true);
        }

        /** A portal given as id or ARN: its id, and the region to call (an ARN's region wins). */
        PortalRef portal(String idOrArn) throws CommandFailure {
            if (idOrArn.startsWith("arn:")) {
                try {
                    return PortalRef.parse(idOrArn, defaultRegion);
                } catch (IllegalArgumentException e) {
                    throw CommandFailure.usage("--portal: " + e.getMessage());
                }
            }
            return new PortalRef(idOrArn, defaultRegion, "");
        }
    }

    /**
     * Loads the configuration and decides where to send requests.
     *
     * @throws CommandFailure (usage) on a configuration error, or when the configuration points at the embedded
     *                        simulator, which only exists inside a running agent
     */
    Target target() throws CommandFailure {
        AgentConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            throw CommandFailure.usage("configuration error: " + e.getMessage());
        }
        if (region != null && !REGION.matcher(region).matches()) {
            throw CommandFailure.usage("--region: not an AWS region: '" + region + "' (e.g. us-east-1)");
        }
        AgentConfig.Aws a = loaded.aws();
        String defaultRegion = region != null ? region : a.regions().get(0);
        if (endpoint != null) {
            if (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null) {
                throw CommandFailure.usage("--endpoint: not an http(s) URL: '" + endpoint + "' (e.g. http://127.0.0.1:4566)");
            }
            AgentConfig.Aws aws = new AgentConfig.Aws(List.of(defaultRegion), endpoint.toString(), a.portals(),
                    a.maxRequestsPerSecond(), a.maxConcurrency(), a.pageSize(), a.apiCallTimeout(),
                    a.apiCallAttemptTimeout(), a.maxAttempts(), "", "");
            return new Target(aws, defaultRegion, endpointCredentials());
        }
        if (loaded.source() == AgentConfig.Source.SIMULATOR) {
            throw CommandFailure.usage("the configuration (" + config.describe() + ") has source: simulator, and the "
                    + "embedded simulator only runs inside the agent. Pass --endpoint URL (e.g. the address printed by "
                    + "'simulate --port 4566') or use a configuration with source: aws.");
        }
        return new Target(a, defaultRegion, null);
    }

    /**
     * With --endpoint (the simulator, LocalStack, a proxy) credentials from the environment, system properties or the
     * profile file when there are any; otherwise static dummy ones, which is all a simulator wants. Instance and
     * container roles are not looked up: their metadata endpoints mean a slow timeout outside AWS.
     */
    static AwsCredentialsProvider endpointCredentials() {
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(
                        SystemPropertyCredentialsProvider.create(),
                        EnvironmentVariableCredentialsProvider.create(),
                        ProfileCredentialsProvider.create(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCALENDPOINT", "local-endpoint-secret")))
                .build();
    }

    /** The body of a command that talks to the API. */
    @FunctionalInterface
    interface Body {
        int run(Target target, PrintWriter out, PrintWriter err) throws CommandFailure;
    }

    /** Runs a command body: exit 2 on usage errors, 1 on AWS errors with the error code named, else the body's code. */
    int execute(CommandSpec spec, Body body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.run(target(), out, err);
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (SdkException e) {
            err.println("AWS error: " + ApiErrors.describe(e));
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
