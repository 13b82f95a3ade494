package dev.workspacesweb.exporter.http;

import dev.workspacesweb.exporter.config.ConfigException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Set;

/**
 * {@code POST /-/reload} (or PUT), behind the same basic auth as the other endpoints ({@link AccessFilter}): reloads
 * the configuration. 200 when it was applied; 500 with the reason when it was refused, e.g. a configuration error
 * that names the key and its line. Only configuration errors and the agent's own refusals carry their message,
 * written for the operator; any other failure answers its class only, as no exception text goes into a response.
 */
public final class ReloadHandler implements Handler {
    public static final String PATH = "/-/reload";
    static final Set<Method> METHODS = Set.of(Method.POST, Method.PUT);
    static final String ALLOWED = "POST, PUT";

    /** The reload itself; an exception means refused, and its message is the reason. */
    @FunctionalInterface
    public interface Action {
        void reload() throws Exception;
    }

    private final Action action;

    public ReloadHandler(Action action) {
        this.action = action;
    }

    public void register(HttpRouting.Builder routing) {
        routing.route(Method.predicate(Method.POST, Method.PUT), PathMatchers.exact(PATH), this);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            action.reload();
            res.status(Status.OK_200).header(HeaderNames.CONTENT_TYPE, "text/plain").send("OK\n");
        } catch (Exception e) {
            boolean explained = e instanceof ConfigException || e instanceof WebConfigException
                    || e instanceof IllegalArgumentException || e instanceof IllegalStateException;
            String reason = explained && e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            res.status(Status.INTERNAL_SERVER_ERROR_500).header(HeaderNames.CONTENT_TYPE, "text/plain")
                    .send("failed to reload config: " + reason + "\n");
        }
    }
}
