package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.aws.SessionQuery;
import dev.workspacesweb.exporter.config.PortalRef;
import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.model.ServiceSession;
import dev.workspacesweb.exporter.policy.SessionControl;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessions list | get | expire}: look at a portal's sessions and end them, with the agent's configuration. */
@Command(name = "sessions", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List, show and expire the sessions of a portal (ListSessions, GetSession, ExpireSession).",
        subcommands = {SessionsCommand.ListCommand.class, SessionsCommand.GetCommand.class, SessionsCommand.ExpireCommand.class})
final class SessionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("sessions: name a subcommand: list, get or expire.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code --status} values, spelled as the API spells them. */
    enum StatusFilter {
        Active,
        Terminated
    }

    enum Sort {
        asc,
        desc
    }

    static final List<Rows.Column> LIST_COLUMNS = List.of(
            new Rows.Column("sessionId", "SESSION_ID", 36),
            new Rows.Column("status", "STATUS", 10),
            new Rows.Column("startTime", "START_TIME", 24),
            new Rows.Column("endTime", "END_TIME", 24),
            new Rows.Column("username", "USERNAME", 0));

    static final List<Rows.Column> GET_COLUMNS = List.of(
            new Rows.Column("sessionId", "SESSION_ID", 36),
            new Rows.Column("status", "STATUS", 10),
            new Rows.Column("startTime", "START_TIME", 24),
            new Rows.Column("endTime", "END_TIME", 24),
            new Rows.Column("username", "USERNAME", 0),
            new Rows.Column("clientIpAddresses", "CLIENT_IPS", 0),
            new Rows.Column("portalArn", "PORTAL_ARN", -1));

    static void summaryRow(Rows rows, ServiceSession s) {
        rows.row(s.sessionId(), s.status(), Rows.time(s.startTime()), Rows.time(s.endTime()), s.username());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "List a portal's sessions, all pages (streamed as they arrive).")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Option(names = "--portal", required = true, paramLabel = "ID", description = "Portal id or portal ARN.")
        String portal;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only sessions in this status: ${COMPLETION-CANDIDATES} (default: both).")
        StatusFilter status;

        @Option(names = "--user", paramLabel = "NAME", description = "Only this user's sessions.")
        String user;

        @Option(names = "--session", paramLabel = "ID", description = "Only this session.")
        String session;

        @Option(names = "--sort", paramLabel = "ORDER", description = "By start time: ${COMPLETION-CANDIDATES} (default: the service's order).")
        Sort sort;

        @Option(names = "--limit", paramLabel = "N", description = "Stop after N sessions.")
        Integer limit;

        @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "table",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return api.execute(spec, (target, out, err) -> {
                if (limit != null && limit < 1) {
                    throw CommandFailure.usage("--limit must be at least 1");
                }
                PortalRef ref = target.portal(portal);
                try (WorkSpacesWebGateway gateway = target.gateway(ref.region());
                        Rows rows = Rows.list(output, out, LIST_COLUMNS)) {
                    int pageSize = limit == null ? target.aws().pageSize() : Math.min(limit, target.aws().pageSize());
                    SessionQuery query = new SessionQuery(status == null ? null : status.name(),
                            sort == null ? null : sort == Sort.asc ? SessionQuery.Order.START_TIME_ASCENDING
                                    : SessionQuery.Order.START_TIME_DESCENDING,
                            user, session, pageSize);
                    int[] written = {0};
                    // One page is fetched, written and flushed at a time, through the gateway's rate limit and retries.
                    gateway.listSessions(ref.portalId(), query, page -> {
                        for (ServiceSession s : page.sessions()) {
                            summaryRow(rows, s);
                            if (limit != null && ++written[0] >= limit) {
                                break;
                            }
                        }
                        rows.flush();
                        return limit == null || written[0] < limit;
                    });
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Show one session, with its client IP addresses.")
    static final class GetCommand implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Option(names = "--portal", required = true, paramLabel = "ID", description = "Portal id or portal ARN.")
        String portal;

        @Option(names = "--session", required = true, paramLabel = "ID", description = "Session id.")
        String session;

        @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "table",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return api.execute(spec, (target, out, err) -> {
                PortalRef ref = target.portal(portal);
                try (WorkSpacesWebGateway gateway = target.gateway(ref.region())) {
                    ServiceSession s = gateway.getSession(ref.portalId(), session)
                            .orElseThrow(() -> notFound(ref.portalId(), session));
                    try (Rows rows = Rows.single(output, out, GET_COLUMNS)) {
                        rows.row(s.sessionId(), s.status(), Rows.time(s.startTime()), Rows.time(s.endTime()),
                                s.username(), s.clientIps(), s.portalArn());
                    }
                }
                return ExitCodes.OK;
            });
        }
    }

    static CommandFailure notFound(String portalId, String sessionId) {
        return CommandFailure.failure("AWS error: ResourceNotFoundException: no session " + sessionId + " on portal " + portalId);
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Expire (end) a session, or all of a user's active sessions, with ExpireSession.",
                "Asks for confirmation on a terminal; without one, --yes is required."})
    static final class ExpireCommand implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Option(names = "--portal", required = true, paramLabel = "ID", description = "Portal id or portal ARN.")
        String portal;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static final class Which {
            @Option(names = "--session", required = true, paramLabel = "ID", description = "The session to expire.")
            String session;

            @Option(names = "--user", required = true, paramLabel = "NAME", description = "Expire all of this user's active sessions on the portal.")
            String user;
        }

        @Option(names = {"--yes", "-y"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Spec
        CommandSpec spec;

        /** Where confirmation is asked; tests put a scripted terminal here. */
        Terminal terminal = Terminal.system();

        @Override
        public Integer call() {
            return api.execute(spec, (target, out, err) -> {
                // Refuse before any API call: a script without --yes must fail fast, not half-way.
                if (!yes && !terminal.interactive()) {
                    throw CommandFailure.usage("refusing to expire without confirmation: there is no terminal to ask on. "
                            + "Pass --yes to confirm non-interactively.");
                }
                PortalRef ref = target.portal(portal);
                try (WorkSpacesWebGateway gateway = target.gateway(ref.region())) {
                    // Audited and counted like the agent's own expiries; the counter dies with the command.
                    SessionControl control = new SessionControl(region -> gateway, new PrometheusRegistry());
                    return which.session != null
                            ? expireOne(gateway, control, ref.portalId(), which.session, out)
                            : expireUser(gateway, control, ref.portalId(), which.user, out, err);
                }
            });
        }

        private int expireOne(WorkSpacesWebGateway gateway, SessionControl control, String portalId, String sessionId,
                PrintWriter out) throws CommandFailure {
            Optional<ServiceSession> found = gateway.getSession(portalId, sessionId);
            if (found.isEmpty()) {
                throw notFound(portalId, sessionId);
            }
            ServiceSession s = found.get();
            String who = "session " + sessionId + " of user '" + Rows.printable(s.username()) + "'";
            if (s.terminated()) {
                out.println("The " + who + " on portal " + portalId + " is already terminated (ended "
                        + Rows.time(s.endTime()) + "): nothing to do.");
                return ExitCodes.OK;
            }
            if (!confirm("Expire " + who + " on portal " + portalId + " (started " + Rows.time(s.startTime()) + ")?", out)) {
                out.println("Not confirmed: nothing was expired.");
                return ExitCodes.FAILURE;
            }
            SessionControl.Outcome outcome = control.expire(SessionControl.Actor.CLI, gateway.region(), portalId, sessionId,
                    List.of("user", s.username()));
            if (!outcome.expired()) {
                throw CommandFailure.failure("AWS error: " + outcome.error());
            }
            out.println("Expired " + who + " on portal " + portalId + ".");
            return ExitCodes.OK;
        }

        private int expireUser(WorkSpacesWebGateway gateway, SessionControl control, String portalId, String user,
                PrintWriter out, PrintWriter err) {
            List<ServiceSession> sessions = new ArrayList<>();
            gateway.listSessions(portalId, new SessionQuery(ServiceSession.ACTIVE, SessionQuery.Order.START_TIME_ASCENDING,
                    user, null, null), page -> {
                        // The filter is the service's; the exact match is ours, so no other user is ever expired.
                        for (ServiceSession s : page.sessions()) {
                            if (user.equals(s.username()) && s.active()) {
                                sessions.add(s);
                            }
                        }
                        return true;
                    });
            String who = "user '" + Rows.printable(user) + "'";
            if (sessions.isEmpty()) {
                out.println("No active sessions of " + who + " on portal " + portalId + ": nothing to do.");
                return ExitCodes.OK;
            }
            out.println("Active sessions of " + who + " on portal " + portalId + ":");
            try (Rows rows = Rows.list(OutputFormat.table, out, LIST_COLUMNS)) {
                sessions.forEach(s -> summaryRow(rows, s));
            }
            if (!confirm("Expire these " + sessions.size() + " sessions?", out)) {
                out.println("Not confirmed: nothing was expired.");
                return ExitCodes.FAILURE;
            }
            int expired = 0;
            for (ServiceSession s : sessions) {
                SessionControl.Outcome outcome = control.expire(SessionControl.Actor.CLI, gateway.region(), portalId,
                        s.sessionId(), List.of("user", s.username()));
                if (outcome.expired()) {
                    out.println("Expired session " + s.sessionId() + ".");
                    expired++;
                } else {
                    err.println("Could not expire session " + s.sessionId() + ": AWS error: " + outcome.error());
                }
            }
            out.println("Expired " + expired + " of " + sessions.size() + " sessions of " + who + ".");
            return expired == sessions.size() ? ExitCodes.OK : ExitCodes.FAILURE;
        }

        private boolean confirm(String question, PrintWriter out) {
            if (yes) {
                return true;
            }
            out.flush();
            return Terminal.yes(terminal.readLine(question + " [y/N] "));
        }
    }
}
