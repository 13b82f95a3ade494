package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The agent's own start builds picocli's model of {@code run} only; any other command, and help, gets all of them.
 * Both parse the agent's options alike.
 */
class MainTest {
    @Test
    void theAgentsStartModelsTheRunCommandOnly() {
        assertThat(Main.commandLine(false).getSubcommands()).containsOnlyKeys("run");
        assertThat(Main.commandLine(true).getSubcommands())
                .containsOnlyKeys("run", "simulate", "check-config", "sessions", "portals", "help");
        assertThat(Main.commandLine().getSubcommands()).hasSize(6);
    }

    @Test
    void bothParseTheAgentsOptionsAlike() {
        for (boolean every : new boolean[] {false, true}) {
            CommandLine cli = Main.commandLine(every);
            CommandLine.ParseResult parsed = cli.parseArgs("--config", "my.yaml", "--log.level", "debug", "run");
            assertThat(String.valueOf((Object) parsed.matchedOptionValue("--config", null))).isEqualTo("my.yaml");
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
        }
    }

    @Test
    void anUnknownOptionIsAUsageErrorEitherWay() {
        for (boolean every : new boolean[] {false, true}) {
            CommandLine cli = Main.commandLine(every);
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err, true));
            assertThat(cli.execute("--bogus")).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString()).contains("Unknown option: '--bogus'");
        }
    }
}
