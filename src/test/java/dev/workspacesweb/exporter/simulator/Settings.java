package dev.workspacesweb.exporter.simulator;

import java.time.Duration;

/** Simulator settings for tests. */
final class Settings {

    private Settings() {
    }

    /** No random arrivals, no history, no initial sessions: everything comes from the test hooks. */
    static SimulatorSettings scripted(int portals) {
        return new SimulatorSettings(7, 0, "us-east-1", "123456789012", portals, 20, 0, Duration.ofMinutes(20), 1.0,
                0, 0, 3, 20, 100, SimulatorSettings.Faults.none());
    }

    static SimulatorSettings busy(long seed) {
        return new SimulatorSettings(seed, 0, "us-east-1", "123456789012", 3, 200, 6.0, Duration.ofMinutes(20), 1.0,
                30, 200, 3, 20, 100, SimulatorSettings.Faults.none());
    }

    static SimulatorSettings withPageSizes(SimulatorSettings s, int defaultPageSize, int maxPageSize) {
        return new SimulatorSettings(s.seed(), s.port(), s.region(), s.accountId(), s.portals(), s.users(),
                s.arrivalsPerMinute(), s.medianSessionDuration(), s.durationSigma(), s.initialActiveSessions(),
                s.historySessions(), s.maxIpsPerSession(), defaultPageSize, maxPageSize, s.faults(), s.accounts(), s.clientNetworks());
    }
}
