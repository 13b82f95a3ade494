package dev.workspacesweb.exporter.cli;

import dev.workspacesweb.exporter.aws.WorkSpacesWebGateway;
import dev.workspacesweb.exporter.model.PortalInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portals list}: the portals the configuration's credentials can see. */
@Command(name = "portals", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List portals (ListPortals).",
        subcommands = {PortalsCommand.ListCommand.class})
final class PortalsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("portals: name a subcommand: list.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    static final List<Rows.Column> COLUMNS = List.of(
            new Rows.Column("portalId", "PORTAL_ID", 36),
            new Rows.Column("region", "REGION", 14),
            new Rows.Column("status", "STATUS", 9),
            new Rows.Column("instanceType", "INSTANCE_TYPE", 16),
            new Rows.Column("maxConcurrentSessions", "MAX_SESSIONS", 12),
            new Rows.Column("displayName", "DISPLAY_NAME", 0),
            new Rows.Column("portalArn", "PORTAL_ARN", -1));

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "List the portals of the region (--region), or of every region in aws.regions.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        ApiOptions api = new ApiOptions();

        @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "table",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return api.execute(spec, (target, out, err) -> {
                List<String> regions = api.region != null || api.endpoint != null ? List.of(target.defaultRegion())
                        : target.aws().regions();
                try (Rows rows = Rows.list(output, out, COLUMNS)) {
                    for (String region : regions) {
                        try (WorkSpacesWebGateway gateway = target.gateway(region)) {
                            for (PortalInfo p : gateway.listPortals()) {
                                rows.row(p.portalId(), region, p.portalStatus(), p.instanceType(), p.maxConcurrentSessions(),
                                        p.displayName(), p.portalArn());
                            }
                        }
                        rows.flush();
                    }
                }
                return ExitCodes.OK;
            });
        }
    }
}
