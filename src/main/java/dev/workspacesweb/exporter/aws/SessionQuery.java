package dev.workspacesweb.exporter.aws;

/**
 * The filters of a ListSessions call. Null fields are not sent.
 *
 * @param status     {@code Active} or {@code Terminated} ({@link dev.workspacesweb.exporter.model.ServiceSession})
 * @param order      the service's sort by start time
 * @param username   only this user's sessions (the service's filter)
 * @param sessionId  only this session
 * @param maxResults page size; the gateway's {@code aws.page_size} when null
 */
public record SessionQuery(String status, Order order, String username, String sessionId, Integer maxResults) {

    /** {@code sortBy}: by start time. */
    public enum Order {
        START_TIME_ASCENDING,
        START_TIME_DESCENDING
    }

    public static SessionQuery active() {
        return new SessionQuery(dev.workspacesweb.exporter.model.ServiceSession.ACTIVE, null, null, null, null);
    }

    /** Terminated sessions, newest first: the listing a poll reads down to its cutoff. */
    public static SessionQuery terminatedNewestFirst() {
        return new SessionQuery(dev.workspacesweb.exporter.model.ServiceSession.TERMINATED, Order.START_TIME_DESCENDING,
                null, null, null);
    }
}
