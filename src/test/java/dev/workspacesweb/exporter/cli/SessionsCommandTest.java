package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.simulator.SessionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sessions and portals commands in-process, through the real SDK, against the simulator. */
class SessionsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A username that tries CSV injection, field and line breaking, and a terminal escape sequence. */
    private static final String HOSTILE = "=HYPERLINK(\"x\"),\n\u001b[31meve \"the\" admin";

    @TempDir
    Path dir;

    private SimulatedAws aws;
    private String portal;
    private String config;
    private final List<SessionRecord> active = new ArrayList<>();
    private final List<SessionRecord> alice = new ArrayList<>();
    private SessionRecord ended;
    private SessionRecord hostile;

    @BeforeEach
    void start() throws Exception {
        aws = new SimulatedAws(2, 7); // pages of 7: 45 sessions take 7 pages
        portal = aws.portal(0);
        for (int i = 0; i < 40; i++) {
            active.add(aws.start(portal, "user" + (i % 10), Duration.ofMinutes(100 - i), "198.51.100." + i));
        }
        for (int i = 0; i < 3; i++) {
            SessionRecord s = aws.start(portal, "alice", Duration.ofMinutes(50 - i), "203.0.113." + i);
            alice.add(s);
            active.add(s);
        }
        hostile = aws.start(portal, HOSTILE, Duration.ofMinutes(3), "2001:db8::7");
        active.add(hostile);
        ended = aws.start(portal, "alice", Duration.ofMinutes(200), "203.0.113.99");
        aws.workload().endSession(portal, ended.sessionId(), aws.clock.instant().minus(Duration.ofMinutes(150)));
        aws.start(aws.portal(1), "alice", Duration.ofMinutes(5), "192.0.2.1"); // another portal: never touched
        // source: aws, so --endpoint is what points the commands at the simulator.
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "source: aws\naws:\n  regions: [us-east-1]\n  max_attempts: 1\n");
        config = file.toString();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private CliRun cli(String... args) {
        return CliRun.run(args);
    }

    private String[] with(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config, "--endpoint", aws.endpoint()));
        return all.toArray(String[]::new);
    }

    private static List<JsonNode> array(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        assertThat(node.isArray()).as(json).isTrue();
        return StreamSupport.stream(node.spliterator(), false).toList();
    }

    @Test
    void listsEverySessionOfEveryPageAsJson() throws Exception {
        CliRun run = cli(with("sessions", "list", "--portal", portal, "--output", "json"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> sessions = array(run.out());
        assertThat(sessions).hasSize(active.size() + 1);
        List<String> expected = new ArrayList<>(active.stream().map(SessionRecord::sessionId).toList());
        expected.add(ended.sessionId());
        assertThat(sessions).extracting(s -> s.get("sessionId").asText()).containsExactlyInAnyOrderElementsOf(expected);
        JsonNode e = sessions.stream().filter(s -> s.get("sessionId").asText().equals(ended.sessionId())).findFirst().orElseThrow();
        assertThat(e.get("status").asText()).isEqualTo("Terminated");
        assertThat(e.get("endTime").asText()).isEqualTo(Rows.time(aws.clock.instant().minus(Duration.ofMinutes(150))));
        JsonNode h = sessions.stream().filter(s -> s.get("sessionId").asText().equals(hostile.sessionId())).findFirst().orElseThrow();
        assertThat(h.get("username").asText()).isEqualTo(HOSTILE);
        assertThat(h.get("endTime").isNull()).isTrue();
    }

    @Test
    void filtersSortsAndLimits() throws Exception {
        List<JsonNode> activeOnly = array(cli(with("sessions", "list", "--portal", portal, "--status", "Active", "--output", "json")).out());
        assertThat(activeOnly).hasSize(active.size()).allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("Active"));

        List<JsonNode> terminated = array(cli(with("sessions", "list", "--status", "Terminated", "--output", "json", "--portal", portal)).out());
        assertThat(terminated).extracting(s -> s.get("sessionId").asText()).containsExactly(ended.sessionId());

        List<JsonNode> ofAlice = array(cli(with("sessions", "list", "--portal", portal, "--user", "alice", "--output", "json")).out());
        assertThat(ofAlice).hasSize(4).allSatisfy(s -> assertThat(s.get("username").asText()).isEqualTo("alice"));

        List<JsonNode> one = array(cli(with("sessions", "list", "--portal", portal, "--session", alice.get(1).sessionId(), "--output", "json")).out());
        assertThat(one).extracting(s -> s.get("sessionId").asText()).containsExactly(alice.get(1).sessionId());

        List<JsonNode> asc = array(cli(with("sessions", "list", "--portal", portal, "--sort", "asc", "--output", "json")).out());
        List<String> starts = asc.stream().map(s -> s.get("startTime").asText()).toList();
        assertThat(starts).isSortedAccordingTo(Comparator.naturalOrder()).hasSize(active.size() + 1);
        List<JsonNode> desc = array(cli(with("sessions", "list", "--portal", portal, "--sort", "desc", "--limit", "10", "--output", "json")).out());
        assertThat(desc).hasSize(10);
        assertThat(desc.get(0).get("sessionId").asText()).isEqualTo(hostile.sessionId()); // the newest
        assertThat(desc.stream().map(s -> s.get("startTime").asText()).toList()).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void csvQuotesHostileUsernamesAndDefusesFormulas() {
        CliRun run = cli(with("sessions", "list", "--portal", portal, "--session", hostile.sessionId(), "--output", "csv"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        String expectedName = "\"'=HYPERLINK(\"\"x\"\"),\n\u001b[31meve \"\"the\"\" admin\"";
        assertThat(run.out()).isEqualTo("SESSION_ID,STATUS,START_TIME,END_TIME,USERNAME\r\n"
                + hostile.sessionId() + ",Active," + Rows.time(hostile.startTime()) + ",," + expectedName + "\r\n");
    }

    @Test
    void tableIsAlignedAcrossPagesAndEscapesControlCharacters() {
        CliRun run = cli(with("sessions", "list", "--portal", portal, "--sort", "asc"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(1 + active.size() + 1); // header + every session, the hostile one on one line
        int statusColumn = lines.get(0).indexOf("STATUS");
        int userColumn = lines.get(0).indexOf("USERNAME");
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line.substring(statusColumn)).matches("(Active|Terminated) .*");
            assertThat(line.charAt(userColumn - 1)).isEqualTo(' ');
            assertThat(line).doesNotContain("\u001b");
        }
        assertThat(lines.get(lines.size() - 1)).endsWith("=HYPERLINK(\"x\"),\\u000a\\u001b[31meve \"the\" admin");
    }

    @Test
    void getShowsOneSessionWithItsClientIps() throws Exception {
        SessionRecord bob = aws.start(portal, "bob", Duration.ofMinutes(1), "198.51.100.200", "2001:db8::200");
        CliRun json = cli(with("sessions", "get", "--portal", portal, "--session", bob.sessionId(), "--output", "json"));
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode s = JSON.readTree(json.out());
        assertThat(s.get("username").asText()).isEqualTo("bob");
        assertThat(s.get("clientIpAddresses").toString()).isEqualTo("[\"198.51.100.200\",\"2001:db8::200\"]");

        CliRun table = cli(with("sessions", "get", "--portal", portal, "--session", bob.sessionId()));
        assertThat(table.out()).contains("CLIENT_IPS:", "198.51.100.200 2001:db8::200", "USERNAME:", "bob");

        CliRun unknown = cli(with("sessions", "get", "--portal", portal, "--session", unknownId()));
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("ResourceNotFoundException");
    }

    private String unknownId() {
        String id = alice.get(0).sessionId();
        return id.substring(0, id.length() - 6) + "000000";
    }

    @Test
    void expireWithYesEndsTheSessionInTheService() {
        SessionRecord target = alice.get(0);
        CliRun run = cli(with("sessions", "expire", "--portal", portal, "--session", target.sessionId(), "--yes"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Expired session " + target.sessionId());
        assertThat(aws.status(portal, target.sessionId())).isEqualTo(SessionRecord.Status.Terminated);
        assertThat(aws.status(portal, alice.get(1).sessionId())).isEqualTo(SessionRecord.Status.Active);

        CliRun again = cli(with("sessions", "expire", "--portal", portal, "--session", target.sessionId(), "--yes"));
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("already terminated");
    }

    @Test
    void everyExpiryOfTheCliIsAudited() {
        List<String> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                // The action lines (info and above); whose session it was is personal data, at debug only.
                if (r.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()) {
                    audit.add(r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger.getLogger("audit").addHandler(capture);
        try {
            SessionRecord target = alice.get(0);
            assertThat(cli(with("sessions", "expire", "--portal", portal, "--session", target.sessionId(), "--yes")).exitCode()).isZero();
            assertThat(cli(with("sessions", "expire", "--portal", portal, "--user", "alice", "--yes")).exitCode()).isZero();
            // One line per ExpireSession: the one session, then alice's two others.
            assertThat(audit).hasSize(3).allSatisfy(line -> assertThat(line)
                    .contains("actor=cli", "action=expire", "portal=" + portal, "result=expired").doesNotContain("alice"));
            assertThat(audit.get(0)).contains("session=" + target.sessionId());
        } finally {
            java.util.logging.Logger.getLogger("audit").removeHandler(capture);
        }
    }

    @Test
    void expireOfAnUnknownSessionFailsNamingTheAwsError() {
        CliRun run = cli(with("sessions", "expire", "--portal", portal, "--session", unknownId(), "--yes"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("ResourceNotFoundException");
        CliRun invalid = cli(with("sessions", "list", "--portal", "not/a portal!"));
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("AWS error: ");
    }

    @Test
    void expireUserEndsExactlyThatUsersActiveSessionsOnThePortal() {
        CliRun run = cli(with("sessions", "expire", "--portal", portal, "--user", "alice", "--yes"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (SessionRecord s : alice) {
            assertThat(run.out()).contains(s.sessionId());
            assertThat(aws.status(portal, s.sessionId())).isEqualTo(SessionRecord.Status.Terminated);
        }
        assertThat(run.out()).contains("Expired 3 of 3 sessions of user 'alice'");
        assertThat(aws.truth().portal(portal).activeSessions()).hasSize(active.size() - 3)
                .noneSatisfy(s -> assertThat(s.username()).isEqualTo("alice"));
        assertThat(aws.truth().portal(aws.portal(1)).activeSessionsByUser()).containsEntry("alice", 1);

        CliRun none = cli(with("sessions", "expire", "--portal", portal, "--user", "alice", "--yes"));
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).contains("No active sessions of user 'alice'");
    }

    @Test
    void expireWithoutYesAndWithoutATerminalRefuses() {
        CliRun run = cli(with("sessions", "expire", "--portal", portal, "--session", alice.get(0).sessionId()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--yes", "no terminal");
        assertThat(aws.status(portal, alice.get(0).sessionId())).isEqualTo(SessionRecord.Status.Active);
    }

    @Test
    void expireAsksOnATerminalAndHonoursTheAnswer() {
        AtomicReference<String> asked = new AtomicReference<>();
        CliRun no = CliRun.run(scripted("n", asked), with("sessions", "expire", "--portal", portal, "--user", "alice"));
        assertThat(no.exitCode()).isEqualTo(1);
        assertThat(asked.get()).contains("Expire these 3 sessions?");
        assertThat(no.out()).contains("nothing was expired");
        assertThat(aws.truth().portal(portal).activeSessionsByUser()).containsEntry("alice", 3);

        CliRun yes = CliRun.run(scripted("yes", asked), with("sessions", "expire", "--portal", portal, "--session", alice.get(2).sessionId()));
        assertThat(yes.exitCode()).as(yes.err()).isZero();
        assertThat(asked.get()).contains(alice.get(2).sessionId(), "alice");
        assertThat(aws.status(portal, alice.get(2).sessionId())).isEqualTo(SessionRecord.Status.Terminated);
    }

    private static java.util.function.Consumer<CommandLine> scripted(String answer, AtomicReference<String> asked) {
        return cli -> {
            SessionsCommand.ExpireCommand expire = cli.getSubcommands().get("sessions").getSubcommands().get("expire").getCommand();
            expire.terminal = new Terminal() {
                @Override
                public boolean interactive() {
                    return true;
                }

                @Override
                public String readLine(String prompt) {
                    asked.set(prompt);
                    return answer;
                }
            };
        };
    }

    @Test
    void portalsListShowsEveryPortal() throws Exception {
        CliRun run = cli(with("portals", "list", "--output", "json"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(array(run.out())).extracting(p -> p.get("portalId").asText()).containsExactlyElementsOf(aws.simulator.portalIds());
        CliRun table = cli(with("portals", "list"));
        assertThat(table.out().lines().toList()).hasSize(3).first().asString().startsWith("PORTAL_ID");
    }

    @Test
    void theEmbeddedSimulatorSourceNeedsAnEndpoint() throws Exception {
        Path file = dir.resolve("simulator.yaml");
        Files.writeString(file, "source: simulator\n");
        CliRun run = cli("sessions", "list", "--portal", portal, "--config", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--endpoint", "source: aws");
        // The same configuration works when an endpoint is given.
        CliRun withEndpoint = cli("sessions", "list", "--portal", portal, "--config", file.toString(), "--endpoint", aws.endpoint());
        assertThat(withEndpoint.exitCode()).as(withEndpoint.err()).isZero();
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(cli(with("sessions", "list")).exitCode()).isEqualTo(2); // --portal missing
        assertThat(cli(with("sessions", "expire", "--portal", portal, "--session", "a", "--user", "b", "--yes")).exitCode()).isEqualTo(2);
        assertThat(cli(with("sessions", "list", "--portal", portal, "--output", "xml")).exitCode()).isEqualTo(2);
        assertThat(cli(with("sessions", "list", "--portal", portal, "--limit", "0")).exitCode()).isEqualTo(2);
        assertThat(cli("sessions").exitCode()).isEqualTo(2);
        CliRun badConfig = cli("sessions", "list", "--portal", portal, "--config", dir.resolve("missing.yaml").toString());
        assertThat(badConfig.exitCode()).isEqualTo(2);
        assertThat(badConfig.err()).contains("configuration error");
    }
}
