package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Session and portal ids against java.util.UUID, which shares no code with them. */
class SessionIdsTest {
    private final Random random = new Random(42);

    @Test
    void sessionIdsAreVersion7UuidsCarryingTheStartTime() {
        for (long start : new long[] {0, 1, 1_764_000_000_123L, SessionIds.MAX_MILLIS}) {
            long hi = SessionIds.hi(start, random.nextLong());
            long lo = SessionIds.lo(random.nextLong());
            String id = SessionIds.format(hi, lo);
            UUID uuid = UUID.fromString(id);
            assertThat(id).isEqualTo(new UUID(hi, lo).toString());
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(SessionIds.startMillis(hi)).isEqualTo(start);
            assertThat(uuid.getMostSignificantBits() >>> 16).as("the 48-bit time field").isEqualTo(start);
            assertThat(SessionIds.parse(id)).containsExactly(hi, lo);
        }
        assertThatThrownBy(() -> SessionIds.hi(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionIds.hi(SessionIds.MAX_MILLIS + 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTextOrderOfIdsIsTheOrderOfTheirStartTimes() {
        List<long[]> words = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            words.add(new long[] {SessionIds.hi(Math.floorMod(random.nextLong(), SessionIds.MAX_MILLIS), random.nextLong()),
                    SessionIds.lo(random.nextLong())});
        }
        List<String> byText = words.stream().map(w -> SessionIds.format(w[0], w[1])).sorted().toList();
        List<String> byWords = words.stream()
                .sorted(Comparator.<long[]>comparingLong(w -> w[0] ^ Long.MIN_VALUE).thenComparingLong(w -> w[1] ^ Long.MIN_VALUE))
                .map(w -> SessionIds.format(w[0], w[1])).toList();
        assertThat(byText).isEqualTo(byWords);
        for (int i = 1; i < byText.size(); i++) {
            assertThat(SessionIds.startMillis(SessionIds.parse(byText.get(i))[0]))
                    .isGreaterThanOrEqualTo(SessionIds.startMillis(SessionIds.parse(byText.get(i - 1))[0]));
        }
    }

    @Test
    void portalIdsAreRandomVersion4Uuids() {
        String id = SessionIds.randomUuid(random);
        assertThat(id).matches("[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}");
        assertThat(UUID.fromString(id).version()).isEqualTo(4);
        assertThat(SessionIds.randomUuid(random)).isNotEqualTo(id);
    }

    @Test
    void onlyCanonicalIdsParse() {
        String id = SessionIds.format(SessionIds.hi(0xABCD_EF01_2345L, 0xBCD), SessionIds.lo(0xDEAD_BEEFL));
        assertThat(id).matches(".*[a-f].*");
        assertThat(SessionIds.parse(id)).isNotNull();
        assertThat(SessionIds.parse(id.toUpperCase())).as("uppercase names no session").isNull();
        assertThat(SessionIds.parse(id.replace('-', '_'))).isNull();
        assertThat(SessionIds.parse(id.substring(1))).isNull();
        assertThat(SessionIds.parse(id + "0")).isNull();
        assertThat(SessionIds.parse(null)).isNull();
        assertThat(SessionIds.parse("g" + id.substring(1))).isNull();
    }
}
