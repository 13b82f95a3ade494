package dev.workspacesweb.exporter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/** One in-process run of the command line, with stdout and stderr captured. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(String... args) {
        return run(cli -> {}, args);
    }

    /** @param setup changes to the command tree before it runs (e.g. a scripted terminal) */
    static CliRun run(Consumer<CommandLine> setup, String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        setup.accept(cli);
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
