package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.aws.SessionQuery;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.ServiceSession;
import dev.workspacesweb.exporter.model.SessionPage;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One portal's sessions in memory, behind the gateway interface, for unit tests of the poll cycle: the service's own
 * clock (its pages carry its time as a {@code Date} header would, in whole seconds), small pages, and the service's
 * imperfections on demand: an Active list that lags behind, GetSession calls that fail, lists that fail.
 */
final class InMemoryWorkSpacesWeb implements WorkSpacesWebApi {
    static final String PORTAL = "11111111-2222-3333-4444-555555555555";

    private final InstantSource serviceClock;
    private final int pageSize;
    private final Map<String, ServiceSession> sessions = new LinkedHashMap<>();
    /** Ended sessions the Active list still shows (a lagging list). */
    private final Set<String> stillListedActive = new HashSet<>();
    private final Set<String> failingGets = new HashSet<>();
    private boolean listsFail;
    final java.util.concurrent.atomic.AtomicInteger getSessionCalls = new java.util.concurrent.atomic.AtomicInteger();

    InMemoryWorkSpacesWeb(InstantSource serviceClock, int pageSize) {
        this.serviceClock = serviceClock;
        this.pageSize = pageSize;
    }

    ServiceSession start(String id, String user, Instant at, String... ips) {
        ServiceSession s = new ServiceSession(id, user, ServiceSession.ACTIVE, at, null, List.of(ips), "");
        sessions.put(id, s);
        return s;
    }

    void end(String id, Instant at) {
        ServiceSession s = sessions.get(id);
        sessions.put(id, new ServiceSession(id, s.username(), ServiceSession.TERMINATED, s.startTime(), at, s.clientIps(), ""));
    }

    /** The Active list keeps showing this session (ended or not) until {@link #catchUp}. */
    void lagOn(String id) {
        stillListedActive.add(id);
    }

    void catchUp() {
        stillListedActive.clear();
    }

    void failGetSession(String id, boolean fail) {
        if (fail) {
            failingGets.add(id);
        } else {
            failingGets.remove(id);
        }
    }

    void failLists(boolean fail) {
        listsFail = fail;
    }

    @Override
    public String region() {
        return "us-east-1";
    }

    @Override
    public List<PortalInfo> listPortals() {
        return List.of(PortalInfo.ofId(PORTAL, "us-east-1"));
    }

    @Override
    public int listSessions(String portalId, SessionQuery query, Predicate<SessionPage> onPage) {
        if (listsFail) {
            throw new IllegalStateException("ListSessions failed (injected)");
        }
        List<ServiceSession> matching = new ArrayList<>();
        for (ServiceSession s : sessions.values()) {
            boolean listedActive = s.active() || stillListedActive.contains(s.sessionId());
            boolean match = query.status() == null
                    || (query.status().equals(ServiceSession.ACTIVE) ? listedActive : s.terminated() && !stillListedActive.contains(s.sessionId()));
            if (match) {
                // A lagging list shows the session as it was: active, no end.
                matching.add(listedActive && !s.active()
                        ? new ServiceSession(s.sessionId(), s.username(), ServiceSession.ACTIVE, s.startTime(), null, List.of(), "")
                        : new ServiceSession(s.sessionId(), s.username(), s.status(), s.startTime(), s.endTime(), List.of(), ""));
            }
        }
        if (query.order() == SessionQuery.Order.START_TIME_DESCENDING) {
            matching.sort(Comparator.comparing(ServiceSession::startTime).reversed());
        } else if (query.order() == SessionQuery.Order.START_TIME_ASCENDING) {
            matching.sort(Comparator.comparing(ServiceSession::startTime));
        }
        int pages = 0;
        for (int from = 0; from == 0 || from < matching.size(); from += pageSize) {
            List<ServiceSession> page = matching.subList(from, Math.min(matching.size(), from + pageSize));
            boolean last = from + pageSize >= matching.size();
            pages++;
            Instant date = serviceClock.instant().truncatedTo(ChronoUnit.SECONDS);
            if (!onPage.test(new SessionPage(page, last ? null : "token-" + (from + pageSize), date)) || last) {
                break;
            }
        }
        return pages;
    }

    @Override
    public Optional<ServiceSession> getSession(String portalId, String sessionId) {
        getSessionCalls.incrementAndGet();
        if (failingGets.contains(sessionId)) {
            throw new IllegalStateException("GetSession failed (injected)");
        }
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public void expireSession(String portalId, String sessionId) {
        end(sessionId, serviceClock.instant());
    }
}
