package dev.workspacesweb.exporter.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** API requests per operation and outcome ("200" or the error type), for {@code /_simulator/requests}. */
final class RequestCounts {

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    void count(String operation, String outcome) {
        counts.computeIfAbsent(operation, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new LongAdder()).increment();
    }

    /** A sorted snapshot. */
    Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((operation, outcomes) -> {
            Map<String, Long> byOutcome = new TreeMap<>();
            outcomes.forEach((outcome, adder) -> byOutcome.put(outcome, adder.sum()));
            out.put(operation, byOutcome);
        });
        return out;
    }
}
