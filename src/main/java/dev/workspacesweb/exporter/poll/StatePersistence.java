package dev.workspacesweb.exporter.poll;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Writes the state file after a portal's poll, before its view is published. One file holds every portal, so each
 * write takes every portal's latest state; polls that finish while a write is under way are covered by the next
 * write, one for all of them, rather than one each.
 */
final class StatePersistence {
    private static final System.Logger LOG = System.getLogger(StatePersistence.class.getName());

    static final StatePersistence NONE = new StatePersistence(null, null);

    private final StateFile file;
    private final InstantSource clock;
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicLong requested = new AtomicLong();
    /** The last request the file on disk covers; guarded by {@link #writing}. */
    private long written;
    private String lastError = "";

    StatePersistence(StateFile file, InstantSource clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * Returns once the file holds a state of every portal at least as new as the caller's (whose poller already
     * holds it), or the write failed (logged; the caller publishes anyway rather than stop every metric).
     */
    void save(Supplier<Map<String, PortalState>> states) {
        if (file == null) {
            return;
        }
        long ticket = requested.incrementAndGet();
        writing.lock();
        try {
            if (written >= ticket) {
                return; // a write that started after this state was in place covered it
            }
            long upTo = requested.get();
            file.save(states.get(), clock.instant());
            written = upTo;
            if (!lastError.isEmpty()) {
                LOG.log(Level.INFO, "the state file {0} is written again", file.path());
                lastError = "";
            }
        } catch (IOException | RuntimeException e) {
            String error = String.valueOf(e.getMessage());
            if (!error.equals(lastError)) {
                LOG.log(Level.WARNING, "could not save the state file {0}: {1}", file.path(), error);
                lastError = error;
            }
        } finally {
            writing.unlock();
        }
    }
}
