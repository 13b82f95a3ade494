package dev.workspacesweb.exporter.otlp;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;

/**
 * One converted metric. The SDK's own {@code ImmutableMetricData} lives in an {@code internal} package, and
 * {@link MetricData} is a public interface the OTLP marshaler reads through its getters only, so this record is the
 * supported way for a {@link io.opentelemetry.sdk.metrics.export.MetricProducer} to hand data over.
 */
record SnapshotMetricData(
        Resource resource,
        InstrumentationScopeInfo scope,
        String name,
        String description,
        String unit,
        MetricDataType type,
        Data<?> data) implements MetricData {

    @Override
    public Resource getResource() {
        return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public String getUnit() {
        return unit;
    }

    @Override
    public MetricDataType getType() {
        return type;
    }

    @Override
    public Data<?> getData() {
        return data;
    }
}
