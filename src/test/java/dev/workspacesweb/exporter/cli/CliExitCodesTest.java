package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and messages of the agent's own commands: 0 ok, 2 usage or configuration error, naming key and line. */
class CliExitCodesTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path file(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void theShippedConfigIsValid() {
        Result r = run("check-config", "--config", "config.yaml");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("config.yaml: OK");
    }

    @Test
    void aConfigMistakeExits2NamingKeyAndLineForCheckConfigAndRun() throws Exception {
        Path bad = file("bad.yaml", "server:\n  port: 9742\npoll:\n  interval: soon\n");
        for (String command : new String[] {"check-config", "run"}) {
            Result r = run(command, "--config", bad.toString());
            assertThat(r.code()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).contains("poll.interval (line 4)").doesNotContain("Exception");
        }
    }

    @Test
    void anUnknownKeyIsAnError() throws Exception {
        Result r = run("check-config", "--config", file("typo.yaml", "pol:\n  interval: 30s\n").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("pol (line 1)").contains("unknown");
    }

    @Test
    void aBrokenWebConfigIsAConfigurationError() throws Exception {
        Path web = file("web.yml", "tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n");
        Path config = file("agent.yaml", "web:\n  config_file: \"" + web + "\"\n");
        Result r = run("check-config", "--config", config.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("configuration error").contains("cert_file");
    }

    @Test
    void aGeoIpDatabaseThatCannotBeUsedExits2NamingKeyAndFile() throws Exception {
        Path asn = dev.workspacesweb.exporter.testing.MmdbWriter.ofType("GeoLite2-ASN").asn("81.2.69.0/24", 20712, "A&A")
                .writeTo(dir.resolve("GeoLite2-ASN.mmdb"));
        Path wrongKind = file("wrong-kind.yaml", "geoip:\n  country_database: \"" + asn + "\"\n");
        Path missing = file("missing.yaml", "geoip:\n  asn_database: \"" + dir.resolve("absent.mmdb") + "\"\n");
        for (String command : new String[] {"check-config", "run"}) {
            Result r = run(command, "--config", wrongKind.toString());
            assertThat(r.code()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).contains("configuration error: geoip.country_database: " + asn)
                    .contains("not a country database").doesNotContain("Exception");
            r = run(command, "--config", missing.toString());
            assertThat(r.code()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).contains("geoip.asn_database: " + dir.resolve("absent.mmdb") + ": no such file");
        }
        Path good = file("good.yaml", "geoip:\n  asn_database: \"" + asn + "\"\n");
        Result ok = run("check-config", "--config", good.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("GeoIP asn database: built ");
    }

    @Test
    void usageErrorsExit2AndVersionAndHelpExit0() {
        assertThat(run("--no-such-option").code()).isEqualTo(2);
        assertThat(run("simulate").code()).as("--port is required").isEqualTo(2);
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("workspaces-web-exporter ");
        for (String command : new String[] {"run", "simulate", "check-config", "sessions", "portals"}) {
            assertThat(run(command, "--help").code()).as(command + " --help").isZero();
            assertThat(run(command, "--version").code()).as(command + " --version").isZero();
        }
    }
}
