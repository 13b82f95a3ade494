package dev.workspacesweb.exporter.testing;

import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import java.time.Duration;

/** The simulated workloads the ground-truth tests share. */
public final class Workloads {
    private Workloads() {}

    /**
     * For a clock the test moves in 30 s polls: 3 portals, 30 arrivals a minute each, median 4 minutes with a wide
     * spread, so a good share of sessions is shorter than the poll interval and lives entirely between two polls.
     */
    public static SimulatorSettings busy(long seed) {
        return new SimulatorSettings(seed, 0, "us-east-1", "123456789012", 3, 300, 30.0, Duration.ofMinutes(4), 1.6,
                25, 300, 3, 20, 100, SimulatorSettings.Faults.none());
    }

    /**
     * For real time and sub-second polls (an agent as a child process): 2 portals, about 4 arrivals a second each,
     * most sessions a few seconds long.
     */
    public static SimulatorSettings busyInRealTime(long seed) {
        return new SimulatorSettings(seed, 0, "us-east-1", "123456789012", 2, 300, 240.0, Duration.ofSeconds(6), 1.0,
                20, 20, 2, 20, 100, SimulatorSettings.Faults.none());
    }
}
