package dev.workspacesweb.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.config.AgentConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpSettingsTest {
    private static final String VERSION = "1.2.3";

    @Test
    void theEndpointIsTheConfiguredOneThenTheSignalVariableThenTheBaseVariablePlusThePathThenTheDefault() {
        Map<String, String> both = Map.of(
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:4318/custom/path",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318");
        assertThat(OtlpSettings.endpoint("https://configured/v1/metrics", both)).isEqualTo("https://configured/v1/metrics");
        assertThat(OtlpSettings.endpoint("", both)).as("the signal-specific URL is used as is")
                .isEqualTo("http://metrics:4318/custom/path");
        assertThat(OtlpSettings.endpoint("", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318")))
                .isEqualTo("http://base:4318/v1/metrics");
        assertThat(OtlpSettings.endpoint("", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318/prefix/")))
                .isEqualTo("http://base:4318/prefix/v1/metrics");
        assertThat(OtlpSettings.endpoint(" ", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " "))).isEqualTo("http://localhost:4318/v1/metrics");
    }

    @Test
    void headerListsArePercentDecodedSplitAtTheFirstEqualsAndSkipMalformedEntries() {
        assertThat(OtlpSettings.parseList("V", "a=1, b = two%20words ,,c=x=y==,novalue,=orphan,d=%E2%9C%93,e=a+b"))
                .containsExactly(
                        Map.entry("a", "1"),
                        Map.entry("b", "two words"),
                        Map.entry("c", "x=y=="),
                        Map.entry("d", "\u2713"),
                        Map.entry("e", "a+b"));
        assertThat(OtlpSettings.parseList("V", "bad=%zz,ok=1")).containsExactly(Map.entry("ok", "1"));
    }

    @Test
    void signalHeadersOverrideGenericOnesAndConfiguredHeadersOverrideBoth() {
        Map<String, String> env = Map.of(
                "OTEL_EXPORTER_OTLP_HEADERS", "a=generic,b=generic,c=generic",
                "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "b=metrics,c=metrics");
        assertThat(OtlpSettings.headers(Map.of("c", "config"), env))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", "generic", "b", "metrics", "c", "config"));
    }

    @Test
    void theResourceHasTheAgentsDefaultsUnlessTheUserSaysOtherwise() {
        Resource defaults = OtlpSettings.resource(Map.of(), VERSION);
        assertThat(defaults.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("workspaces-web-exporter");
        assertThat(defaults.getAttribute(AttributeKey.stringKey("service.version"))).isEqualTo(VERSION);
        assertThat(defaults.getAttribute(AttributeKey.stringKey("telemetry.sdk.name"))).isEqualTo("opentelemetry");

        Resource fromAttributes = OtlpSettings.resource(Map.of("OTEL_RESOURCE_ATTRIBUTES",
                "service.name=from-attributes,service.version=9,host.name=h1"), VERSION);
        assertThat(fromAttributes.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("from-attributes");
        assertThat(fromAttributes.getAttribute(AttributeKey.stringKey("service.version"))).isEqualTo("9");
        assertThat(fromAttributes.getAttribute(AttributeKey.stringKey("host.name"))).isEqualTo("h1");

        Resource both = OtlpSettings.resource(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes",
                "OTEL_SERVICE_NAME", "from-service-name"), VERSION);
        assertThat(both.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("from-service-name");
    }

    @Test
    void resolveCarriesTheIntervalAndIgnoresAnUnsupportedProtocolWithAWarningOnly() {
        OtlpSettings settings = OtlpSettings.resolve(
                new AgentConfig.Otlp(true, "http://c/v1/metrics", Duration.ofSeconds(15), Map.of("k", "v")),
                Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), VERSION);
        assertThat(settings.endpoint()).isEqualTo("http://c/v1/metrics");
        assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.headers()).containsExactly(Map.entry("k", "v"));
    }
}
