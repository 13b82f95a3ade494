package dev.workspacesweb.exporter.simulator;

import java.time.Duration;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The configured faults, replaceable at run time. Its randomness is a seeded stream of its own, so switching faults
 * on does not change the workload.
 */
final class FaultInjector {

    private static final Logger LOG = Logger.getLogger(FaultInjector.class.getName());

    private volatile SimulatorSettings.Faults faults;
    private final Random random;
    private final java.util.Map<Integer, Duration> portalLatency = new java.util.concurrent.ConcurrentHashMap<>();

    FaultInjector(SimulatorSettings.Faults faults, long seed) {
        this.faults = faults;
        this.random = new Random(seed ^ 0xFA17_5EED_0000_0001L);
    }

    SimulatorSettings.Faults faults() {
        return faults;
    }

    void faults(SimulatorSettings.Faults faults) {
        this.faults = faults;
    }

    /** The added latency of a request to the portal at {@code portalIndex} (-1: none in particular). */
    Duration latency(int portalIndex) {
        Duration own = portalIndex < 0 ? null : portalLatency.get(portalIndex);
        return own != null ? own : faults.latency();
    }

    /** A latency of one portal's requests alone, instead of {@code faults.latency}; null or zero removes it. */
    void portalLatency(int portalIndex, Duration latency) {
        if (latency == null || latency.isZero()) {
            portalLatency.remove(portalIndex);
        } else {
            portalLatency.put(portalIndex, latency);
        }
    }

    /** Throws the injected 429 or 500 for this request, if the dice say so. */
    void maybeFail(String operation) {
        SimulatorSettings.Faults current = faults;
        if (current.throttleProbability() > 0 && random.nextDouble() < current.throttleProbability()) {
            LOG.log(Level.FINE, "Injecting ThrottlingException into {0}", operation);
            throw ApiException.throttling(current.retryAfterSeconds());
        }
        if (current.internalErrorProbability() > 0 && random.nextDouble() < current.internalErrorProbability()) {
            LOG.log(Level.FINE, "Injecting InternalServerException into {0}", operation);
            throw ApiException.internal(current.retryAfterSeconds());
        }
    }

    void maybeDenyPortal(String operation, int portalIndex) {
        if (portalIndex >= 0 && faults.accessDeniedPortals().contains(portalIndex)) {
            LOG.log(Level.FINE, "Injecting AccessDeniedException into {0} for portal {1}",
                    new Object[] {operation, portalIndex});
            throw ApiException.accessDenied("User is not authorized to perform: workspaces-web:" + operation
                    + " on this portal");
        }
    }

    /** Denies every request of an account named in {@code accessDeniedAccounts}, ListPortals included. */
    void maybeDenyAccount(String operation, String accountId, String principal) {
        if (faults.accessDeniedAccounts().contains(accountId)) {
            LOG.log(Level.FINE, "Injecting AccessDeniedException into {0} for account {1}",
                    new Object[] {operation, accountId});
            throw ApiException.accessDenied("User: " + principal + " is not authorized to perform: workspaces-web:"
                    + operation);
        }
    }

    void maybeExpireToken(String operation) {
        SimulatorSettings.Faults current = faults;
        if (current.expiredTokenProbability() > 0 && random.nextDouble() < current.expiredTokenProbability()) {
            LOG.log(Level.FINE, "Injecting an expired pagination token into {0}", operation);
            throw PageTokens.expired();
        }
    }
}
