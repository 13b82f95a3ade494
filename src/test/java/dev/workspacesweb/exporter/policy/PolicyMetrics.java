package dev.workspacesweb.exporter.policy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code workspaces_web_policy_actions_total} back from a registry. */
final class PolicyMetrics {
    private PolicyMetrics() {}

    static double value(PrometheusRegistry registry, String policy, String outcome) {
        for (CounterSnapshot.CounterDataPointSnapshot p : counter(registry).getDataPoints()) {
            if (policy.equals(p.getLabels().get("policy")) && outcome.equals(p.getLabels().get("outcome"))
                    && "expire".equals(p.getLabels().get("action"))) {
                return p.getValue();
            }
        }
        return 0;
    }

    /** Every series as {@code policy/action/outcome=value}. */
    static List<String> series(PrometheusRegistry registry) {
        List<String> out = new ArrayList<>();
        for (CounterSnapshot.CounterDataPointSnapshot p : counter(registry).getDataPoints()) {
            out.add(p.getLabels().get("policy") + "/" + p.getLabels().get("action") + "/" + p.getLabels().get("outcome")
                    + "=" + p.getValue());
        }
        return out;
    }

    private static CounterSnapshot counter(PrometheusRegistry registry) {
        for (MetricSnapshot m : registry.scrape()) {
            if (m.getMetadata().getName().equals(PolicyEngine.METRIC)) {
                return (CounterSnapshot) m;
            }
        }
        throw new AssertionError("no " + PolicyEngine.METRIC + " in the registry");
    }
}
