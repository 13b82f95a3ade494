package dev.workspacesweb.exporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.function.Predicate;

/**
 * A collector registered once whose work is done by a collector that can be replaced (a configuration reload builds
 * new session metrics): a scrape sees the old one or the new one, never both and never neither, which registering
 * and unregistering would not promise. Every delegate must expose the same metric names.
 */
public final class SwappableCollector implements MultiCollector {
    private volatile MultiCollector delegate;

    public SwappableCollector(MultiCollector delegate) {
        this.delegate = delegate;
    }

    public void swap(MultiCollector next) {
        this.delegate = next;
    }

    @Override
    public MetricSnapshots collect() {
        return delegate.collect();
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames) {
        return delegate.collect(includedNames);
    }

    @Override
    public MetricSnapshots collect(PrometheusScrapeRequest scrapeRequest) {
        return delegate.collect(scrapeRequest);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
        return delegate.collect(includedNames, scrapeRequest);
    }

    @Override
    public List<String> getPrometheusNames() {
        return delegate.getPrometheusNames();
    }
}
