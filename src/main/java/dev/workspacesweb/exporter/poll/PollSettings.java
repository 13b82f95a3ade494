package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.config.AgentConfig;
import java.time.Duration;
import java.util.List;

/**
 * The poll settings the poller uses, taken from {@code poll.*} and {@code aws.max_concurrency}.
 *
 * @param durationBuckets classic bucket bounds of the duration histogram, in seconds
 * @param overlap how far before the previous poll the recent-terminated listing reaches, for list lag and clock skew
 */
public record PollSettings(
        Duration interval,
        Duration ipRefreshInterval,
        Duration overlap,
        Duration discoveryInterval,
        int maxConcurrency,
        List<Double> durationBuckets) {

    public PollSettings {
        durationBuckets = List.copyOf(durationBuckets);
    }

    /** The duration histogram's classic bucket bounds, in seconds. */
    public double[] durationBounds() {
        return durationBuckets.stream().mapToDouble(Double::doubleValue).toArray();
    }


    public static PollSettings of(AgentConfig config) {
        AgentConfig.Poll poll = config.poll();
        return new PollSettings(poll.interval(), poll.ipRefreshInterval(), poll.overlap(), poll.discoveryInterval(),
                Math.max(1, config.aws().maxConcurrency()), config.metrics().durationBuckets());
    }
}
