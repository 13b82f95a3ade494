package dev.workspacesweb.exporter.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps the {@code max} label values with the most sessions (ties by value, so the choice is stable between polls)
 * and folds the rest into one {@code __other__} series, so one portal's users or IPs cannot blow up the TSDB.
 */
final class SeriesCap {
    static final String OTHER = "__other__";

    /** The kept series, the folded one last, and how many were folded. */
    record Capped(List<Map.Entry<String, Integer>> series, int folded) {}

    private static final Comparator<Map.Entry<String, Integer>> MOST_FIRST =
            Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

    private SeriesCap() {}

    static Capped cap(Map<String, Integer> counts, int max) {
        List<Map.Entry<String, Integer>> all = new ArrayList<>(counts.entrySet());
        if (all.size() <= max) {
            all.sort(Map.Entry.comparingByKey());
            return new Capped(all, 0);
        }
        all.sort(MOST_FIRST);
        List<Map.Entry<String, Integer>> kept = new ArrayList<>(all.subList(0, max));
        int otherSessions = 0;
        for (Map.Entry<String, Integer> e : all.subList(max, all.size())) {
            otherSessions += e.getValue();
        }
        kept.sort(Map.Entry.comparingByKey());
        kept.add(Map.entry(OTHER, otherSessions));
        return new Capped(kept, all.size() - max);
    }
}
