package dev.workspacesweb.exporter.aws;

import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.ServiceSession;
import dev.workspacesweb.exporter.model.SessionPage;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The WorkSpaces Web session APIs of one region, in the project's model types. {@link WorkSpacesWebGateway} is the
 * real one (SDK, rate limit, retries, API metrics); poller unit tests use an in-memory one. Failures are thrown as
 * runtime exceptions that {@link ApiErrors} can name.
 */
public interface WorkSpacesWebApi {
    String region();

    /**
     * Obtains the credentials the calls are signed with (for an assumed role: AssumeRole, unless fresh credentials
     * are held), so that an account with configured portals can tell whether it is reachable.
     *
     * @throws RuntimeException when they cannot be obtained
     */
    default void checkCredentials() {}

    /** Every portal of the region, all pages. */
    List<PortalInfo> listPortals();

    /**
     * Lists a portal's sessions page by page, handing each page to {@code onPage} until it returns false or the
     * last page.
     *
     * @return the number of pages fetched
     */
    int listSessions(String portalId, SessionQuery query, Predicate<SessionPage> onPage);

    /** GetSession; empty when the service says the session does not exist. */
    Optional<ServiceSession> getSession(String portalId, String sessionId);

    /** ExpireSession (idempotent on the service side). */
    void expireSession(String portalId, String sessionId);
}
