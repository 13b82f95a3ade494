package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShardAssignmentTest {
    private static final int PORTALS = 1000;
    private static final int MAX_COUNT = 8;

    /** UUID-like ids as WorkSpaces Web gives portals; seeded so a failure can be reproduced. */
    private static List<String> portalIds(long seed) {
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PORTALS; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
        }
        return ids;
    }

    private static List<ShardAssignment> replicas(int count) {
        return IntStream.range(0, count).mapToObj(i -> ShardAssignment.of(count, i)).toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyPortalIsOwnedByExactlyOneReplica(int count) {
        List<ShardAssignment> replicas = replicas(count);
        for (String id : portalIds(1)) {
            List<Integer> owners = replicas.stream().filter(r -> r.owns(id)).map(ShardAssignment::index).toList();
            assertThat(owners).as("owners of %s among %d shards", id, count).hasSize(1);
            assertThat(owners.get(0)).isEqualTo(replicas.get(0).ownerOf(id));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void portalsAreSpreadEvenly(int count) {
        int[] perShard = new int[count];
        ShardAssignment any = ShardAssignment.of(count, 0);
        portalIds(2).forEach(id -> perShard[any.ownerOf(id)]++);
        double expected = (double) PORTALS / count;
        // Binomial standard deviation is at most ~11 portals here; 30% of the mean is more than 4 of them
        // for every count, so a fair hash passes and a lopsided one (or hashCode-like clustering) does not.
        for (int shard = 0; shard < count; shard++) {
            assertThat((double) perShard[shard]).as("portals of shard %d of %d", shard, count)
                    .isBetween(expected * 0.7, expected * 1.3);
        }
    }

    @Test
    void addingAShardMovesAboutOneInNPlusOneAndOnlyToTheNewShard() {
        List<String> ids = portalIds(3);
        for (int n = 1; n < MAX_COUNT; n++) {
            ShardAssignment before = ShardAssignment.of(n, 0);
            ShardAssignment after = ShardAssignment.of(n + 1, 0);
            int moved = 0;
            for (String id : ids) {
                int oldOwner = before.ownerOf(id);
                int newOwner = after.ownerOf(id);
                if (oldOwner != newOwner) {
                    moved++;
                    assertThat(newOwner).as("new owner of moved portal %s going %d -> %d shards", id, n, n + 1).isEqualTo(n);
                }
            }
            double expected = (double) PORTALS / (n + 1);
            assertThat((double) moved).as("portals moved going from %d to %d shards", n, n + 1)
                    .isBetween(expected * 0.7, expected * 1.3);
        }
    }

    @Test
    void removingTheLastShardMovesOnlyItsPortals() {
        List<String> ids = portalIds(4);
        ShardAssignment five = ShardAssignment.of(5, 0);
        ShardAssignment four = ShardAssignment.of(4, 0);
        for (String id : ids) {
            if (five.ownerOf(id) != 4) {
                assertThat(four.ownerOf(id)).as("owner of %s", id).isEqualTo(five.ownerOf(id));
            }
        }
    }

    @Test
    void oneShardOwnsEverything() {
        ShardAssignment single = ShardAssignment.single();
        assertThat(portalIds(5)).allMatch(single::owns);
        assertThat(single.count()).isEqualTo(1);
        assertThat(single.index()).isZero();
    }

    /**
     * The assignment must never change between versions: during a rolling upgrade old and new replicas run side by
     * side, and a different hash would make portals polled twice or not at all. These values were computed once, independently of this
     * code, from the SHA-256 definition (Python hashlib); if this test fails, the hash changed.
     */
    @Test
    void assignmentIsStableAcrossVersions() {
        ShardAssignment three = ShardAssignment.of(3, 0);
        assertThat(List.of(
                three.ownerOf("00000000-0000-0000-0000-000000000000"),
                three.ownerOf("a1b2c3d4-5678-90ab-cdef-111111111111"),
                three.ownerOf("portal-a"),
                three.ownerOf("portal-b"),
                three.ownerOf("portal-c"),
                three.ownerOf("portal-d")))
                .containsExactly(GOLDEN_OWNERS);
        assertThat(ShardAssignment.weight("portal-a", 0)).isEqualTo(GOLDEN_WEIGHT_PORTAL_A_0);
    }

    private static final Integer[] GOLDEN_OWNERS = {0, 2, 2, 0, 0, 1};
    private static final long GOLDEN_WEIGHT_PORTAL_A_0 = 5353424226082823411L;

    @ParameterizedTest
    @CsvSource({
            "0, wwe-2, 0",
            "5, anything, 5",
            "-1, wwe-0, 0",
            "-1, wwe-2, 2",
            "-1, workspaces-web-exporter-13, 13",
            "-1, my-exporter-2.my-exporter.monitoring.svc.cluster.local, 2",
            "-1, wwe-007, 7"})
    void resolvesTheIndex(int configured, String hostname, int expected) {
        assertThat(ShardAssignment.resolveIndex(configured, hostname)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wwe", "wwe-", "wwe2", "host-2a", "", "-", "wwe-99999999999999999999"})
    void autoNeedsATrailingOrdinal(String hostname) {
        assertThatThrownBy(() -> ShardAssignment.resolveIndex(ShardAssignment.AUTO, hostname))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shard.index is auto");
    }

    @Test
    void autoWithoutAHostName() {
        assertThatThrownBy(() -> ShardAssignment.resolveIndex(ShardAssignment.AUTO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no trailing -<ordinal>");
    }

    @Test
    void rejectsIndexesBelowAuto() {
        assertThatThrownBy(() -> ShardAssignment.resolveIndex(-2, "wwe-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -2");
    }

    @Test
    void anOrdinalAtOrBeyondTheCountIsRejected() {
        assertThatThrownBy(() -> ShardAssignment.resolve(3, ShardAssignment.AUTO, "wwe-3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wwe-3")
                .hasMessageContaining("not below shard.count 3");
        assertThat(ShardAssignment.resolve(3, ShardAssignment.AUTO, "wwe-2")).isEqualTo(ShardAssignment.of(3, 2));
        assertThat(ShardAssignment.resolve(3, 1, "wwe-7")).isEqualTo(ShardAssignment.of(3, 1));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "1, -1", "3, 3", "-1, 0"})
    void rejectsInvalidCountAndIndex(int count, int index) {
        assertThatThrownBy(() -> ShardAssignment.of(count, index))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("shard.");
    }
}
