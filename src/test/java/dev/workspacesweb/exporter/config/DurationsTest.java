package dev.workspacesweb.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "5m, 300000",
        "1h, 3600000",
        "1d, 86400000",
        "1h30m, 5400000",
        "2d3h4m5s6ms, 183845006",
        "1w, 604800000",
        "1y, 31536000000",
        "0s, 0",
        "0ms, 0",
        "' 45s ', 45000",
    })
    void parsesPrometheusDurations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "0", "1500"})
    void rejectsBareNumbersAndSaysWhichUnitsAreAccepted(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessageContaining("has no unit")
                .withMessageContaining("ms, s, m, h, d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "30 s", "1m1h", "1.5h", "-1s", "30S", "s", "1h 30m", "30sec", "5mm",
        "99999999999999999999y"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text));
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        "0, 0s",
        "500, 500ms",
        "30000, 30s",
        "5400000, 1h30m",
        "1209600000, 14d",
        "183845006, 2d3h4m5s6ms",
    })
    void formatsWhatParseReads(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @org.junit.jupiter.api.Test
    void formatsNegativeDurationsWithASign() {
        assertThat(Durations.format(Duration.ofSeconds(-90))).isEqualTo("-1m30s");
    }
}
