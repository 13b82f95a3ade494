package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.workspacesweb.WorkSpacesWebClient;
import software.amazon.awssdk.services.workspacesweb.model.PortalSummary;
import software.amazon.awssdk.services.workspacesweb.model.SessionStatus;

/** {@code simulate --port 0}, as a process: any AWS client can talk to it, here the Java SDK. */
class SimulateCommandTest {
    @Test
    void theStandaloneSimulatorServesTheApiToAnSdkClient() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-cp", classpath, Main.class.getName(), "simulate", "--port", "0", "--seed", "7",
                "--config", "config.yaml").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
            String endpoint = null;
            for (String line; endpoint == null && (line = out.readLine()) != null; ) {
                Matcher m = listening.matcher(line);
                if (m.find()) {
                    endpoint = m.group(1);
                }
            }
            assertThat(endpoint).as("the simulator says where it listens").isNotNull();
            try (WorkSpacesWebClient client = WorkSpacesWebClient.builder()
                    .endpointOverride(URI.create(endpoint))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x")))
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build()) {
                List<PortalSummary> portals = client.listPortals(r -> r.maxResults(100)).portals();
                assertThat(portals).hasSize(3); // the shipped config.yaml's simulator section
                String portalId = portals.get(0).portalArn().substring(portals.get(0).portalArn().lastIndexOf('/') + 1);
                assertThat(client.listSessionsPaginator(r -> r.portalId(portalId).status(SessionStatus.ACTIVE)).sessions())
                        .isNotEmpty();
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }
}
