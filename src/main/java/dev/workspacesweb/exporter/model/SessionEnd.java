package dev.workspacesweb.exporter.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A session whose end the agent observed: counted once in {@code sessions_ended_total} and once in the duration
 * histogram.
 */
public record SessionEnd(String sessionId, String username, Instant startTime, Instant endTime) {
    public Duration duration() {
        Duration d = Duration.between(startTime, endTime);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
