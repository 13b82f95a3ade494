package dev.workspacesweb.exporter.poll;

import dev.workspacesweb.exporter.aws.ApiErrors;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.config.PortalRef;
import dev.workspacesweb.exporter.model.PortalInfo;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides which portals to poll, account by account: the configured ones, or every portal ListPortals returns in
 * every region of the account; and fills in their details from ListPortals. A region whose ListPortals fails keeps
 * the portals found before, so a passing error never makes portals disappear; an account that fails (its role
 * cannot be assumed, ListPortals is denied) fails alone. Records, per account and region, whether discovery is up
 * ({@link #up()}) and which gateway reaches each portal ({@link #gatewayOf}).
 */
public final class PortalDiscovery {
    private static final System.Logger LOG = System.getLogger(PortalDiscovery.class.getName());

    /** An account and region as the metrics label them. */
    public record AccountRegion(String accountId, String region) {}

    private final List<AccountTarget> accounts;
    private final Predicate<String> owned;
    /** Per account (index) and region: the portals its last good ListPortals returned. */
    private final Map<Integer, Map<String, Map<String, PortalInfo>>> lastFound = new HashMap<>();
    private final Map<String, String> loggedErrors = new HashMap<>();
    /** Account ids learned from portal ARNs, for the accounts of the base credentials. */
    private final Map<Integer, String> learnedAccountIds = new HashMap<>();
    /** Replaced whole by each discovery, so a reader never sees half of one. */
    private volatile Map<String, WorkSpacesWebApi> gatewayByPortal = Map.of();
    private volatile Map<AccountRegion, Boolean> up = Map.of();

    /**
     * @param accounts the accounts, each with its gateways and configured portals
     * @param owned    which portal ids this agent polls (sharding); everything when not sharded
     */
    public PortalDiscovery(List<AccountTarget> accounts, Predicate<String> owned) {
        this.accounts = List.copyOf(accounts);
        this.owned = owned;
    }

    /** The portals to poll now, in a stable order, with the details ListPortals gave. */
    public synchronized List<PortalInfo> discover() {
        List<PortalInfo> result = new ArrayList<>();
        Map<String, WorkSpacesWebApi> routes = new HashMap<>();
        Map<AccountRegion, Boolean> status = new LinkedHashMap<>();
        for (int a = 0; a < accounts.size(); a++) {
            AccountTarget account = accounts.get(a);
            Map<String, Map<String, PortalInfo>> byRegion = lastFound.computeIfAbsent(a, k -> new HashMap<>());
            Map<String, Boolean> regionUp = new LinkedHashMap<>();
            Map<String, PortalInfo> found = new LinkedHashMap<>();
            for (Map.Entry<String, WorkSpacesWebApi> e : account.gateways().entrySet()) {
                String region = e.getKey();
                String where = describe(account, region);
                try {
                    Map<String, PortalInfo> inRegion = new LinkedHashMap<>();
                    for (PortalInfo p : e.getValue().listPortals()) {
                        inRegion.put(p.portalId(), p.accountId().isEmpty() ? p.withAccountId(account.accountId()) : p);
                    }
                    byRegion.put(region, inRegion);
                    int index = a;
                    inRegion.values().stream().map(PortalInfo::accountId).filter(id -> !id.isEmpty()).findFirst()
                            .ifPresent(id -> learnedAccountIds.putIfAbsent(index, id));
                    regionUp.put(region, true);
                    if (loggedErrors.remove(where) != null) {
                        LOG.log(Level.INFO, "ListPortals works again in {0}", where);
                    }
                } catch (RuntimeException ex) {
                    regionUp.put(region, false);
                    String error = ApiErrors.describe(ex);
                    if (!error.equals(loggedErrors.put(where, error))) {
                        LOG.log(Level.WARNING, "ListPortals failed in {0}, keeping the portals known before: {1}",
                                where, error);
                    }
                }
                for (PortalInfo p : byRegion.getOrDefault(region, Map.of()).values()) {
                    found.putIfAbsent(p.portalId(), p);
                    routes.putIfAbsent(p.portalId(), e.getValue());
                }
            }
            String accountId = accountId(a);
            if (account.portals().isEmpty()) {
                for (PortalInfo p : found.values()) {
                    if (owned.test(p.portalId())) {
                        result.add(p);
                    }
                }
                regionUp.forEach((region, ok) -> status.put(new AccountRegion(accountId, region), ok));
            } else {
                // Configured portals need no ListPortals permission: the account is up when its credentials can be
                // obtained, in each region its portals are in.
                Map<String, Boolean> credentialsUp = new LinkedHashMap<>();
                for (PortalRef ref : account.portals()) {
                    WorkSpacesWebApi gateway = account.gateways().get(ref.region());
                    credentialsUp.computeIfAbsent(ref.region(), r -> credentialsWork(account, r, gateway));
                    if (!owned.test(ref.portalId())) {
                        continue;
                    }
                    PortalInfo known = found.get(ref.portalId());
                    result.add(known != null && known.region().equals(ref.region()) ? known
                            : new PortalInfo(ref.portalId(), ref.region(), ref.portalArn(), "", "", "", null,
                                    accountOfArn(ref.portalArn(), accountId)));
                    routes.put(ref.portalId(), gateway);
                }
                credentialsUp.forEach((region, ok) -> status.put(new AccountRegion(accountId, region), ok));
            }
        }
        gatewayByPortal = Map.copyOf(routes);
        up = java.util.Collections.unmodifiableMap(status);
        return result;
    }

    /**
     * Takes over what {@code previous} found for the same account and region (a configuration reload), so an
     * account whose ListPortals fails right after a reload keeps its portals as it would have without the reload.
     */
    public synchronized PortalDiscovery carryOver(PortalDiscovery previous) {
        synchronized (previous) {
            for (int a = 0; a < accounts.size(); a++) {
                for (int b = 0; b < previous.accounts.size(); b++) {
                    String id = accounts.get(a).accountId();
                    String before = previous.accountId(b);
                    if (!(id.isEmpty() ? previous.accounts.get(b).accountId().isEmpty() : id.equals(before))) {
                        continue;
                    }
                    Map<String, Map<String, PortalInfo>> found = previous.lastFound.getOrDefault(b, Map.of());
                    for (String region : accounts.get(a).gateways().keySet()) {
                        if (found.containsKey(region)) {
                            lastFound.computeIfAbsent(a, k -> new HashMap<>()).putIfAbsent(region, found.get(region));
                        }
                    }
                    if (!before.isEmpty()) {
                        learnedAccountIds.putIfAbsent(a, before);
                    }
                }
            }
        }
        // Until this discovery runs, the carried portals are reached through their account's new gateways.
        Map<String, WorkSpacesWebApi> routes = new HashMap<>();
        lastFound.forEach((a, byRegion) -> byRegion.forEach((region, portals) -> portals.keySet()
                .forEach(id -> routes.putIfAbsent(id, accounts.get(a).gateways().get(region)))));
        for (AccountTarget account : accounts) {
            for (PortalRef ref : account.portals()) {
                routes.putIfAbsent(ref.portalId(), account.gateways().get(ref.region()));
            }
        }
        gatewayByPortal = Map.copyOf(routes);
        return this;
    }

    /** The gateway that reaches a discovered portal (its account's, in its region), or null. */
    public WorkSpacesWebApi gatewayOf(String portalId) {
        return gatewayByPortal.get(portalId);
    }

    /**
     * Per account and region, whether the last discovery worked: its ListPortals succeeded, or, for an account with
     * configured portals, its credentials could be obtained.
     */
    public Map<AccountRegion, Boolean> up() {
        return up;
    }

    private boolean credentialsWork(AccountTarget account, String region, WorkSpacesWebApi gateway) {
        String where = describe(account, region);
        try {
            gateway.checkCredentials();
            if (loggedErrors.remove(where + " credentials") != null) {
                LOG.log(Level.INFO, "credentials work again for {0}", where);
            }
            return true;
        } catch (RuntimeException ex) {
            String error = ApiErrors.describe(ex);
            if (!error.equals(loggedErrors.put(where + " credentials", error))) {
                LOG.log(Level.WARNING, "cannot obtain the credentials of {0}: {1}", where, error);
            }
            return false;
        }
    }

    private String accountId(int index) {
        String configured = accounts.get(index).accountId();
        return configured.isEmpty() ? learnedAccountIds.getOrDefault(index, "") : configured;
    }

    private static String describe(AccountTarget account, String region) {
        return account.accountId().isEmpty() ? region : "account " + account.accountId() + " " + region;
    }

    private static String accountOfArn(String portalArn, String fallback) {
        String fromArn = PortalInfo.accountOfArn(portalArn);
        return fromArn.isEmpty() ? fallback : fromArn;
    }
}
