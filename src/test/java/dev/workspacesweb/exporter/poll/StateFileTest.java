package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.model.SessionAccounting;
import dev.workspacesweb.exporter.model.SessionEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00.123456789Z");

    @TempDir
    Path dir;

    private static PortalState sample() {
        SessionAccounting acc = SessionAccounting.empty(new double[] {30, 60}).plus(3, List.of(
                new SessionEnd("a", "ana", T.minusSeconds(100), T),
                new SessionEnd("b", "bob", T.minusSeconds(10), T),
                new SessionEnd("c", "cy", T, T)));
        return new PortalState(T,
                Map.of("s1", new TrackedSession("s1", "ana \"x\"\n", T.minusSeconds(5), List.of("10.0.0.1", "2001:db8::1"), T, true),
                        "s2", new TrackedSession("s2", "", T.minusSeconds(50), List.of(), null, false)),
                Map.of("a", new PortalState.CountedEnd(T.minusSeconds(100), T)),
                acc);
    }

    @Test
    void roundTripsExactly() throws IOException {
        StateFile file = new StateFile(dir.resolve("state.json"));
        Map<String, PortalState> states = Map.of("p1", sample(), "p2", PortalState.initial());
        file.save(states, T);
        assertThat(new StateFile(dir.resolve("state.json")).load()).isEqualTo(states);
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void aMissingFileIsAFreshStart() {
        assertThat(new StateFile(dir.resolve("none.json")).load()).isEmpty();
    }

    @Test
    void aCorruptFileIsSetAsideNotFatal() throws IOException {
        Path path = dir.resolve("state.json");
        new StateFile(path).save(Map.of("p1", sample()), T);
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated by a crash of something else
        assertThat(new StateFile(path).load()).isEmpty();
        assertThat(path).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("state.json.corrupt-"));
        }
    }

    @Test
    void aForeignFileIsSetAside() throws IOException {
        Path path = dir.resolve("state.json");
        Files.writeString(path, "{\"format\":\"something-else\",\"version\":1,\"portals\":{}}");
        assertThat(new StateFile(path).load()).isEmpty();
        Files.writeString(path, "{\"format\":\"workspaces-web-exporter/state\",\"version\":99,\"portals\":{}}");
        assertThat(new StateFile(path).load()).isEmpty();
        Files.writeString(path, "[1,2,3]");
        assertThat(new StateFile(path).load()).isEmpty();
    }
}
