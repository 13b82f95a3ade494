package dev.workspacesweb.exporter.simulator;

import java.time.Instant;
import java.util.List;

/**
 * A session as the simulator knows it (ground truth, also what GetSession returns). Times have millisecond
 * precision, as on the wire.
 *
 * @param endTime null while the session is active
 */
public record SessionRecord(
        String portalId,
        String sessionId,
        String username,
        Status status,
        Instant startTime,
        Instant endTime,
        List<String> clientIpAddresses) {

    public SessionRecord {
        clientIpAddresses = List.copyOf(clientIpAddresses);
    }

    /** The model's {@code SessionStatus}; constant names are the wire values. */
    public enum Status {
        Active,
        Terminated
    }
}
