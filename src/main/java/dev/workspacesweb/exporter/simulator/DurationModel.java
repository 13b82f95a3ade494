package dev.workspacesweb.exporter.simulator;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Session durations: a log-normal body with the configured sigma, mixed with a small share of "bounce" sessions
 * (3 to 30 s: a login abandoned, a tab closed at once). A pure log-normal with a median of minutes almost never
 * produces a session shorter than a 30 s poll interval, yet those are the sessions a poller misses, so the mixture
 * guarantees some. The body's median is shifted so that the whole mixture keeps the configured median.
 */
final class DurationModel {

    /** Share of bounce sessions. */
    static final double SHORT_SHARE = 0.05;
    static final long SHORT_MIN_MILLIS = 3_000;
    static final long SHORT_MAX_MILLIS = 30_000;
    /**
     * Φ⁻¹((0.5 − SHORT_SHARE) / (1 − SHORT_SHARE)): the body quantile at which the mixture's median sits when every
     * bounce is shorter than the median.
     */
    private static final double MEDIAN_QUANTILE_Z = -0.06601181237584058;

    private final double logMedianOfBody;
    private final double sigma;
    private final boolean withBounces;

    DurationModel(Duration median, double sigma) {
        double medianMillis = Math.max(1_000, median.toMillis());
        this.sigma = Math.max(0, sigma);
        // When the median itself is below the bounce range the log-normal already yields short sessions.
        this.withBounces = medianMillis > SHORT_MAX_MILLIS;
        this.logMedianOfBody = Math.log(medianMillis) - (withBounces ? MEDIAN_QUANTILE_Z * this.sigma : 0);
    }

    long sampleMillis(RandomGenerator random) {
        if (withBounces && random.nextDouble() < SHORT_SHARE) {
            return random.nextLong(SHORT_MIN_MILLIS, SHORT_MAX_MILLIS);
        }
        double millis = Math.exp(logMedianOfBody + sigma * random.nextGaussian());
        return Math.max(1_000, Math.min((long) millis, Duration.ofDays(30).toMillis()));
    }

    /** Mean duration in minutes, to size plausible portal limits. */
    double meanMinutes() {
        return Math.exp(logMedianOfBody + sigma * sigma / 2) / 60_000.0;
    }
}
