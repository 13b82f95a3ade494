package dev.workspacesweb.exporter.simulator;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.config.ConfigLoader;
import java.time.Duration;
import java.util.List;

/**
 * The embedded simulator's workload and fault model ({@code simulator.*} in config.yaml). Everything is
 * deterministic for a given {@code seed} and clock.
 *
 * @param seed                  random seed of the workload
 * @param port                  port of the simulator's HTTP server when embedded in the agent (0 = ephemeral)
 * @param region                region of the default account's portals (ListPortals answers a region's portals)
 * @param accountId             12-digit id of the default account: the account of requests signed with any key
 *                              the simulated STS did not issue
 * @param portals               number of portals of the default account
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
 * @param accounts              further simulated accounts, each with its own portals (after the default
 *                              account's in the portal indexes) and roles reached through the simulated STS
 * @param clientNetworks        networks (CIDR) the client IP addresses are drawn from; IPv6 ones written with at most
 *                              two leading groups (GetSession's addresses are at most 15 characters)
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
        Faults faults,
        List<Account> accounts,
        List<String> clientNetworks) {

    /** @throws IllegalArgumentException when a client network is not a usable network */
    public SimulatorSettings {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        clientNetworks = clientNetworks == null ? DEFAULT_CLIENT_NETWORKS : List.copyOf(clientNetworks);
        ClientNetworks.parse(clientNetworks);
    }

    /** The default account alone, clients from the default networks. */
    public SimulatorSettings(long seed, int port, String region, String accountId, int portals, int users,
            double arrivalsPerMinute, Duration medianSessionDuration, double durationSigma, int initialActiveSessions,
            int historySessions, int maxIpsPerSession, int defaultPageSize, int maxPageSize, Faults faults) {
        this(seed, port, region, accountId, portals, users, arrivalsPerMinute, medianSessionDuration, durationSigma,
                initialActiveSessions, historySessions, maxIpsPerSession, defaultPageSize, maxPageSize, faults,
                List.of(), DEFAULT_CLIENT_NETWORKS);
    }

    /** Clients from the default networks. */
    public SimulatorSettings(long seed, int port, String region, String accountId, int portals, int users,
            double arrivalsPerMinute, Duration medianSessionDuration, double durationSigma, int initialActiveSessions,
            int historySessions, int maxIpsPerSession, int defaultPageSize, int maxPageSize, Faults faults,
            List<Account> accounts) {
        this(seed, port, region, accountId, portals, users, arrivalsPerMinute, medianSessionDuration, durationSigma,
                initialActiveSessions, historySessions, maxIpsPerSession, defaultPageSize, maxPageSize, faults,
                accounts, DEFAULT_CLIENT_NETWORKS);
    }

    /**
     * National ISPs' networks in a dozen countries (as GeoLite2 places them) and the documentation networks, which no
     * GeoIP database knows.
     */
    public static final List<String> DEFAULT_CLIENT_NETWORKS = ClientNetworks.DEFAULTS;

    /** These settings with clients from these networks. */
    public SimulatorSettings withClientNetworks(List<String> networks) {
        return new SimulatorSettings(seed, port, region, accountId, portals, users, arrivalsPerMinute,
                medianSessionDuration, durationSigma, initialActiveSessions, historySessions, maxIpsPerSession,
                defaultPageSize, maxPageSize, faults, accounts, networks);
    }

    /** These settings with these further accounts. */
    public SimulatorSettings withAccounts(List<Account> accounts) {
        return new SimulatorSettings(seed, port, region, accountId, portals, users, arrivalsPerMinute,
                medianSessionDuration, durationSigma, initialActiveSessions, historySessions, maxIpsPerSession,
                defaultPageSize, maxPageSize, faults, accounts, clientNetworks);
    }

    /**
     * A simulated account besides the default one. Any role of it ({@code arn:aws:iam::<accountId>:role/<name>})
     * can be assumed through the simulated STS unless {@link Faults#refusedRoles()} names it; requests signed with
     * the credentials AssumeRole issued act in this account.
     *
     * @param accountId  12 digits
     * @param region     region of its portals
     * @param portals    number of portals it owns
     * @param externalId the ExternalId its roles' trust policy requires, or null/empty for none
     */
    public record Account(String accountId, String region, int portals, String externalId) {
        public Account {
            if (accountId == null || !accountId.matches("[0-9]{12}")) {
                throw new IllegalArgumentException("an account id is 12 digits: " + accountId);
            }
            if (portals < 0) {
                throw new IllegalArgumentException("portals must not be negative: " + portals);
            }
            externalId = externalId == null ? "" : externalId;
        }
    }

    /**
     * @param throttleProbability      probability that a request answers 429 ThrottlingException (with Retry-After)
     * @param internalErrorProbability probability that a request answers 500 InternalServerException
     * @param expiredTokenProbability  probability that a request carrying a nextToken answers ValidationException
     *                                 as if the token had expired
     * @param latency                  added latency per request
     * @param accessDeniedPortals      portal indexes (0-based) whose session APIs answer AccessDeniedException
     * @param retryAfterSeconds        the Retry-After header value sent with 429s and 500s
     * @param refusedRoles             role ARNs whose AssumeRole answers 403 AccessDenied
     * @param accessDeniedAccounts     account ids whose every WorkSpaces Web request (ListPortals included)
     *                                 answers AccessDeniedException, as with a role lacking the permissions
     */
    public record Faults(
            double throttleProbability,
            double internalErrorProbability,
            double expiredTokenProbability,
            Duration latency,
            List<Integer> accessDeniedPortals,
            int retryAfterSeconds,
            List<String> refusedRoles,
            List<String> accessDeniedAccounts) {
        public Faults {
            accessDeniedPortals = List.copyOf(accessDeniedPortals);
            refusedRoles = refusedRoles == null ? List.of() : List.copyOf(refusedRoles);
            accessDeniedAccounts = accessDeniedAccounts == null ? List.of() : List.copyOf(accessDeniedAccounts);
        }

        /** Faults of the service API only: every role can be assumed, no account is denied. */
        public Faults(double throttleProbability, double internalErrorProbability, double expiredTokenProbability,
                Duration latency, List<Integer> accessDeniedPortals, int retryAfterSeconds) {
            this(throttleProbability, internalErrorProbability, expiredTokenProbability, latency, accessDeniedPortals,
                    retryAfterSeconds, List.of(), List.of());
        }

        public static Faults none() {
            return new Faults(0, 0, 0, Duration.ZERO, List.of(), 1);
        }

        /** These faults with these roles refused by the simulated STS. */
        public Faults withRefusedRoles(List<String> roles) {
            return new Faults(throttleProbability, internalErrorProbability, expiredTokenProbability, latency,
                    accessDeniedPortals, retryAfterSeconds, roles, accessDeniedAccounts);
        }

        /** These faults with these accounts denied every WorkSpaces Web request. */
        public Faults withAccessDeniedAccounts(List<String> accounts) {
            return new Faults(throttleProbability, internalErrorProbability, expiredTokenProbability, latency,
                    accessDeniedPortals, retryAfterSeconds, refusedRoles, accounts);
        }
    }

    /** The defaults of config.yaml: a few busy portals with active sessions from the first second. */
    public static SimulatorSettings defaults() {
        return of(ConfigLoader.defaults().simulator());
    }

    /** The settings of {@code simulator.*} in the agent's configuration. */
    public static SimulatorSettings of(AgentConfig.Simulator c) {
        AgentConfig.Simulator.Faults f = c.faults();
        return new SimulatorSettings(c.seed(), c.port(), c.region(), c.accountId(), c.portals(), c.users(),
                c.arrivalsPerMinute(), c.medianSessionDuration(), c.durationSigma(), c.initialActiveSessions(),
                c.historySessions(), c.maxIpsPerSession(), c.defaultPageSize(), c.maxPageSize(),
                new Faults(f.throttleProbability(), f.internalErrorProbability(), f.expiredTokenProbability(),
                        f.latency(), f.accessDeniedPortals(), f.retryAfterSeconds(), f.refusedRoles(),
                        f.accessDeniedAccounts()),
                c.accounts().stream().map(a -> new Account(a.accountId(), a.region() == null ? c.region() : a.region(),
                        a.portals(), a.externalId())).toList(),
                clientNetworks(c));
    }

    /** The configured networks, or a configuration error naming the key when the simulator cannot use one. */
    private static List<String> clientNetworks(AgentConfig.Simulator c) {
        List<String> networks = c.clientNetworks() == null ? DEFAULT_CLIENT_NETWORKS
                : c.clientNetworks().stream().map(Object::toString).toList();
        try {
            ClientNetworks.parse(networks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("simulator.client_networks: " + e.getMessage(), e);
        }
        return networks;
    }
}
