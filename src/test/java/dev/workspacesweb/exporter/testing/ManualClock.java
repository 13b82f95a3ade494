package dev.workspacesweb.exporter.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand; thread-safe, so a server thread may read it while the test advances it. */
public final class ManualClock implements InstantSource {

    private final AtomicReference<Instant> now;

    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Starts at a fixed, arbitrary instant with a millisecond fraction. */
    public ManualClock() {
        this(Instant.parse("2026-03-02T09:00:00.123Z"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    public Instant advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + duration);
        }
        return now.updateAndGet(t -> t.plus(duration));
    }

    public void set(Instant instant) {
        now.set(instant);
    }
}
