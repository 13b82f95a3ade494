package dev.workspacesweb.exporter.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A session whose end the agent observed: counted once in {@code sessions_ended_total} and once in the duration
 * histogram.
 *
 * @param startedUnseen true when the session started and ended between two polls, so its start is counted now too
 */
public record SessionEnd(String sessionId, String username, Instant startTime, Instant endTime, boolean startedUnseen) {
    public Duration duration() {
        Duration d = Duration.between(startTime, endTime);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
