package dev.workspacesweb.exporter.poll;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.model.SessionAccounting;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Persists every portal's {@link PortalState} ({@code state.path}) so that a restarted agent goes on counting
 * exactly: the sessions it had seen active (their ends are observed after the restart), the ids it has counted,
 * and the counters and histogram themselves, written together in one atomic step (temp file, fsync, rename, fsync
 * of the directory) after each cycle. A file that cannot be read, or is not ours, is reported and set aside as
 * {@code <path>.corrupt-<millis>}; start-up goes on with a fresh baseline.
 */
public final class StateFile {
    private static final System.Logger LOG = System.getLogger(StateFile.class.getName());
    static final String FORMAT = "workspaces-web-exporter/state";
    static final int VERSION = 1;

    private final Path path;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public StateFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    // The file's shape: instants as ISO-8601 strings (exact), everything else plain.
    record FileDto(String format, int version, String savedAt, Map<String, PortalDto> portals) {}

    record PortalDto(String lastSuccess, String serviceTime, List<SessionDto> sessions, List<CountedDto> counted, AccountingDto accounting) {}

    record SessionDto(String id, String username, String start, List<String> ips, String ipsFetchedAt, boolean listed) {}

    record CountedDto(String id, String start, String observedAt) {}

    record AccountingDto(long started, long ended, double durationSum, double[] upperBounds, long[] bucketCounts,
            long zeroCount, Map<Integer, Long> nativeCounts) {}

    /** The saved states by portal id; empty when there is no file, or when it was unusable and set aside. */
    public Map<String, PortalState> load() {
        if (!Files.exists(path)) {
            return Map.of();
        }
        try {
            FileDto file = json.readValue(Files.readAllBytes(path), FileDto.class);
            if (file == null || !FORMAT.equals(file.format())) {
                throw new IllegalStateException("not a workspaces-web-exporter state file");
            }
            if (file.version() != VERSION) {
                throw new IllegalStateException("unsupported state file version " + file.version());
            }
            Map<String, PortalState> states = new HashMap<>();
            for (Map.Entry<String, PortalDto> e : file.portals().entrySet()) {
                states.put(e.getKey(), fromDto(e.getValue()));
            }
            LOG.log(Level.INFO, "resuming {0} portal(s) from state file {1} saved at {2}", states.size(), path, file.savedAt());
            return states;
        } catch (IOException | RuntimeException e) {
            Path aside = path.resolveSibling(path.getFileName() + ".corrupt-" + System.currentTimeMillis());
            LOG.log(Level.WARNING, "state file {0} is unusable ({1}); moved it to {2} and starting with a fresh baseline",
                    path, e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage()), aside);
            try {
                Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.log(Level.WARNING, "could not move the unusable state file aside: {0}", moveFailed.getMessage());
            }
            return Map.of();
        }
    }

    /** Writes all states atomically: a reader (or a crash) sees the old file or the new one, never a mix. */
    public void save(Map<String, PortalState> states, Instant now) throws IOException {
        Map<String, PortalDto> portals = new LinkedHashMap<>();
        states.forEach((id, s) -> portals.put(id, toDto(s)));
        byte[] bytes = json.writeValueAsBytes(new FileDto(FORMAT, VERSION, now.toString(), portals));
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(path.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
        // The rename itself is durable only once the directory is synced.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems do not allow opening a directory; the rename is still atomic.
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Instant inst(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static PortalDto toDto(PortalState s) {
        List<SessionDto> sessions = new ArrayList<>(s.sessions().size());
        for (TrackedSession t : s.sessions().values()) {
            sessions.add(new SessionDto(t.sessionId(), t.username(), str(t.startTime()), t.clientIps(), str(t.ipsFetchedAt()), t.listed()));
        }
        List<CountedDto> counted = new ArrayList<>(s.countedEnds().size());
        s.countedEnds().forEach((id, c) -> counted.add(new CountedDto(id, str(c.startTime()), str(c.observedAt()))));
        SessionAccounting a = s.accounting();
        AccountingDto acc = a == null ? null : new AccountingDto(a.started(), a.ended(), a.durationSum(), a.upperBounds(),
                a.bucketCounts(), a.zeroCount(), a.nativeCounts());
        return new PortalDto(str(s.lastSuccess()), str(s.serviceTime()), sessions, counted, acc);
    }

    private static PortalState fromDto(PortalDto d) {
        Map<String, TrackedSession> sessions = new LinkedHashMap<>();
        for (SessionDto t : d.sessions()) {
            sessions.put(t.id(), new TrackedSession(t.id(), t.username(), inst(t.start()), t.ips() == null ? List.of() : t.ips(),
                    inst(t.ipsFetchedAt()), t.listed()));
        }
        Map<String, PortalState.CountedEnd> counted = new HashMap<>();
        for (CountedDto c : d.counted()) {
            counted.put(c.id(), new PortalState.CountedEnd(inst(c.start()), inst(c.observedAt())));
        }
        AccountingDto a = d.accounting();
        SessionAccounting acc = a == null ? null : new SessionAccounting(a.started(), a.ended(), a.durationSum(),
                a.upperBounds(), a.bucketCounts(), a.zeroCount(), a.nativeCounts() == null ? Map.of() : a.nativeCounts());
        return new PortalState(inst(d.lastSuccess()), inst(d.serviceTime()), sessions, counted, acc);
    }
}
