package dev.workspacesweb.exporter.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Real time that a test can stop and restart: while frozen, it stands still; after, it goes on from where it
 * stopped (it does not jump). A simulator on this clock lets a test compare an agent that runs on real time with a
 * ground truth that is not moving.
 */
public final class FreezableClock implements InstantSource {
    private Duration behind = Duration.ZERO;
    private Instant frozenAt;
    private Instant frozenWall;

    @Override
    public synchronized Instant instant() {
        return frozenAt != null ? frozenAt : Instant.now().minus(behind);
    }

    /** Stops the clock; returns the instant it stands at. */
    public synchronized Instant freeze() {
        if (frozenAt == null) {
            frozenWall = Instant.now();
            frozenAt = frozenWall.minus(behind);
        }
        return frozenAt;
    }

    public synchronized void unfreeze() {
        if (frozenAt != null) {
            behind = behind.plus(Duration.between(frozenWall, Instant.now()));
            frozenAt = null;
        }
    }
}
