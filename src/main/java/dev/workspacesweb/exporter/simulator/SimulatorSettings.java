package dev.workspacesweb.exporter.simulator;

import java.time.Duration;
import java.util.List;

/**
 * The embedded simulator's workload and fault model ({@code simulator.*} in config.yaml). Everything is
 * deterministic for a given {@code seed} and clock.
 *
 * @param seed                  random seed of the workload
 * @param port                  port of the simulator's HTTP server when embedded in the agent (0 = ephemeral)
 * @param region                region in the portal ARNs
 * @param accountId             12-digit account id in the portal ARNs
 * @param portals               number of portals
 * @param users                 size of the user population (shared by all portals)
 * @param arrivalsPerMinute     mean session arrivals per minute per portal (Poisson)
 * @param medianSessionDuration median of the log-normal session duration
 * @param durationSigma         sigma of the log-normal session duration
 * @param initialActiveSessions active sessions per portal at start
 * @param historySessions       terminated sessions per portal preloaded at start
 * @param maxIpsPerSession      upper bound of client IPs per session (1..n)
 * @param defaultPageSize       page size when a request has no maxResults
 * @param maxPageSize           largest page; a larger maxResults is clamped to it
 * @param faults                fault injection, all off by default
 */
public record SimulatorSettings(
        long seed,
        int port,
        String region,
        String accountId,
        int portals,
        int users,
        double arrivalsPerMinute,
        Duration medianSessionDuration,
        double durationSigma,
        int initialActiveSessions,
        int historySessions,
        int maxIpsPerSession,
        int defaultPageSize,
        int maxPageSize,
        Faults faults) {

    /**
     * @param throttleProbability      probability that a request answers 429 ThrottlingException (with Retry-After)
     * @param internalErrorProbability probability that a request answers 500 InternalServerException
     * @param expiredTokenProbability  probability that a request carrying a nextToken answers ValidationException
     *                                 as if the token had expired
     * @param latency                  added latency per request
     * @param accessDeniedPortals      portal indexes (0-based) whose session APIs answer AccessDeniedException
     * @param retryAfterSeconds        the Retry-After header value sent with 429s and 500s
     */
    public record Faults(
            double throttleProbability,
            double internalErrorProbability,
            double expiredTokenProbability,
            Duration latency,
            List<Integer> accessDeniedPortals,
            int retryAfterSeconds) {
        public Faults {
            accessDeniedPortals = List.copyOf(accessDeniedPortals);
        }

        public static Faults none() {
            return new Faults(0, 0, 0, Duration.ZERO, List.of(), 1);
        }
    }

    /** The defaults of config.yaml: a few busy portals with active sessions from the first second. */
    public static SimulatorSettings defaults() {
        return new SimulatorSettings(42, 0, "us-east-1", "123456789012", 3, 400, 6.0, Duration.ofMinutes(20), 1.0,
                40, 500, 3, 20, 100, Faults.none());
    }
}
