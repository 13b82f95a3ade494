package dev.workspacesweb.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesCapTest {
    @Test
    void keepsEverythingUnderTheCap() {
        SeriesCap.Capped c = SeriesCap.cap(Map.of("b", 1, "a", 2), 2);
        assertThat(c.folded()).isZero();
        assertThat(c.series()).extracting(Map.Entry::getKey).containsExactly("a", "b");
    }

    @Test
    void keepsTheBiggestAndFoldsTheRestWithTheirSessions() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("small1", 1);
        counts.put("big", 9);
        counts.put("mid", 5);
        counts.put("small2", 1);
        SeriesCap.Capped c = SeriesCap.cap(counts, 2);
        assertThat(c.folded()).isEqualTo(2);
        assertThat(c.series()).containsExactly(Map.entry("big", 9), Map.entry("mid", 5), Map.entry("__other__", 2));
        int total = c.series().stream().mapToInt(Map.Entry::getValue).sum();
        assertThat(total).as("no session lost by folding").isEqualTo(16);
    }

    @Test
    void tiesAreBrokenByValueSoTheChoiceIsStable() {
        SeriesCap.Capped c = SeriesCap.cap(Map.of("c", 1, "a", 1, "b", 1), 1);
        assertThat(c.series()).containsExactly(Map.entry("a", 1), Map.entry("__other__", 2));
    }
}
