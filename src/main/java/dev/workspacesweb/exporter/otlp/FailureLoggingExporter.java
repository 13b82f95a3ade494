package dev.workspacesweb.exporter.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Wraps the OTLP exporter so that a collector that is down costs one log line per push and nothing else: the
 * export (with the sender's own short retries inside it) fails, this logs one WARNING naming the endpoint and the
 * cause, returns the failed result to the reader, and the next interval tries again. Nothing is thrown into the
 * agent. When pushes succeed again after failures, one INFO line says so.
 *
 * <p>The SDK's exporter logs the same failure itself, at SEVERE with a stack trace. {@link #QUIET_SDK_FAILURES}
 * takes exactly those records (its logger, message "Failed to export metrics...") out of the log and keeps their
 * text, which carries the collector's HTTP status, for this class's one line: the SDK logs before it completes the
 * export's result, so the text is there when the result's callback runs. The SDK's class that carries the status
 * is internal and not on the compile class path, hence the detour through its log message.
 */
final class FailureLoggingExporter implements MetricExporter {
    private static final System.Logger LOG = System.getLogger(FailureLoggingExporter.class.getName());

    /** Held here: java.util.logging keeps loggers weakly, and a collected logger would lose its filter. */
    private static final Logger SDK_EXPORTER_LOGGER =
            Logger.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter");

    private static final String SDK_FAILURE_PREFIX = "Failed to export metrics";

    /** The text of the SDK's last failure record, taken by the next {@link #onFailure}. One pusher per agent. */
    private static final AtomicReference<String> LAST_SDK_FAILURE = new AtomicReference<>();

    private static final Filter QUIET_SDK_FAILURES = record -> {
        String message = record.getMessage();
        if (message != null && message.startsWith(SDK_FAILURE_PREFIX)) {
            LAST_SDK_FAILURE.set(message);
            return false;
        }
        return true;
    };

    private final MetricExporter delegate;
    private final String endpoint;
    private final Duration interval;
    private final AtomicLong consecutiveFailures = new AtomicLong();
    private final AtomicLong completedExports = new AtomicLong();

    FailureLoggingExporter(MetricExporter delegate, String endpoint, Duration interval) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.interval = interval;
        // Set at each start, not once per class: cheap, and it survives a logging set-up that replaced it since.
        SDK_EXPORTER_LOGGER.setFilter(QUIET_SDK_FAILURES);
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        CompletableResultCode result;
        try {
            result = delegate.export(metrics);
        } catch (RuntimeException e) {
            onFailure(e);
            completedExports.incrementAndGet();
            return CompletableResultCode.ofExceptionalFailure(e);
        }
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                long failed = consecutiveFailures.getAndSet(0);
                if (failed > 0) {
                    LOG.log(Level.INFO, "OTLP push to {0} works again after {1} failed push(es)", endpoint, failed);
                }
            } else {
                onFailure(result.getFailureThrowable());
            }
            completedExports.incrementAndGet();
        });
        return result;
    }

    private void onFailure(Throwable cause) {
        long failed = consecutiveFailures.incrementAndGet();
        LOG.log(Level.WARNING, "OTLP push to {0} failed: {1}; {2,number,#} failed in a row, next try in {3}",
                endpoint, describe(LAST_SDK_FAILURE.getAndSet(null), cause), failed,
                interval.toString().substring(2).toLowerCase(Locale.ROOT));
    }

    /**
     * One line, no stack trace: the SDK's message (the collector's HTTP status and error, or why the request could
     * not be sent), else the deepest cause of the failure.
     */
    static String describe(String sdkMessage, Throwable cause) {
        if (sdkMessage != null) {
            return sdkMessage.substring(SDK_FAILURE_PREFIX.length())
                    .replaceFirst("^[.:]?\\s*", "")
                    .replaceFirst("\\.?\\s*Error message:\\s*$", "");
        }
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == null ? "no details" : root.toString();
    }

    long consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Exports finished, successful or not; counted after {@link #consecutiveFailures()} is up to date. */
    long completedExports() {
        return completedExports.get();
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return delegate.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return delegate.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
        return delegate.getMemoryMode();
    }
}
