package dev.workspacesweb.exporter.policy;

import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.geo.GeoIp;
import dev.workspacesweb.exporter.model.PortalSnapshot;
import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.model.SessionSnapshot;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Applies the configured session policies after every successful poll, to the fresh snapshot of that portal, as the
 * store publishes it. Off the poll thread: publications are handed to the engine's own thread, which takes the
 * latest view of each portal in turn, so a slow or failing ExpireSession never delays a poll or the state file (a
 * portal polled again meanwhile is decided on its newest view only).
 *
 * <p>Safe by default: a policy only logs and counts ({@code outcome="would_expire"}) unless it says
 * {@code dry_run: false}. Each policy decides on a session at most once (the ids it acted on are remembered until the
 * session is gone from the snapshot), and a session one policy expired is left alone by the others. A failed
 * ExpireSession is not remembered, so the next poll tries again (and counts {@code failed} again). A failed poll
 * changes nothing: no decision is made on stale data.
 *
 * <p>Every decision is counted in {@code workspaces_web_policy_actions_total{policy, action, outcome}} and written to
 * the {@code audit} logger; a session is expired through {@link SessionControl}, the one way every actor does it.
 */
public final class PolicyEngine implements SnapshotStore.Subscriber, AutoCloseable {
    public static final String METRIC = "workspaces_web_policy_actions";
    public static final String ACTION_EXPIRE = "expire";
    public static final String WOULD_EXPIRE = "would_expire";
    public static final String EXPIRED = "expired";
    public static final String FAILED = "failed";

    private static final System.Logger LOG = System.getLogger(PolicyEngine.class.getName());

    private record Policy(String name, PolicyRule rule, boolean dryRun) {}

    /** What the engine remembers of one portal; only that portal's cycles touch it, one at a time. */
    private static final class PortalMemory {
        final Map<String, Set<String>> decidedByPolicy = new HashMap<>();
        final Set<String> expired = new HashSet<>();

        void retainOnly(Set<String> present) {
            expired.retainAll(present);
            decidedByPolicy.values().forEach(ids -> ids.retainAll(present));
        }
    }

    private final List<Policy> policies;
    private final SessionControl control;
    private final Counter actions;
    private final Map<String, PortalMemory> memory = new ConcurrentHashMap<>();

    /**
     * @param policies        the configured policies (validated by the config loader)
     * @param control  how sessions are expired (ExpireSession, audit, counter)
     * @param registry where the actions counter is registered
     * @throws IllegalArgumentException when a policy's rule does not parse (e.g. a bad CIDR)
     */
    public PolicyEngine(List<AgentConfig.Policy> policies, SessionControl control, PrometheusRegistry registry) {
        this(policies, control, actionsCounter(registry));
    }

    /**
     * @param actions the decisions counter ({@link #actionsCounter}), shared by the engines that configuration
     *                reloads build, so its counts continue
     */
    public PolicyEngine(List<AgentConfig.Policy> policies, SessionControl control, Counter actions) {
        this(policies, control, actions, null);
    }

    /**
     * @param geo the GeoIP databases the country policies locate client IPs with, or null when none is configured
     * @throws IllegalArgumentException also when a country policy has no country database
     */
    public PolicyEngine(List<AgentConfig.Policy> policies, SessionControl control, Counter actions, GeoIp geo) {
        this.policies = policies.stream().map(p -> new Policy(p.name(), PolicyRule.of(p, geo), p.dryRun())).toList();
        this.control = control;
        this.actions = actions;
        // The series exist from the start, at zero, so that rate() and alerts see the first decision.
        for (Policy p : this.policies) {
            if (p.dryRun()) {
                actions.initLabelValues(p.name(), ACTION_EXPIRE, WOULD_EXPIRE);
            } else {
                actions.initLabelValues(p.name(), ACTION_EXPIRE, EXPIRED);
                actions.initLabelValues(p.name(), ACTION_EXPIRE, FAILED);
            }
            LOG.log(Level.INFO, "session policy {0}: {1}{2}", p.name(), p.rule(), p.dryRun() ? " (dry run: log and count only)" : "");
        }
    }

    /** Registers the counter of policy decisions ({@value #METRIC}). */
    public static Counter actionsCounter(PrometheusRegistry registry) {
        return Counter.builder()
                .name(METRIC)
                .help("Session policy decisions by policy name, action and outcome (would_expire in dry run, expired, failed)")
                .labelNames("policy", "action", "outcome")
                .register(registry);
    }

    /** The latest view of each portal waiting for the engine's thread; guarded by itself. */
    private final Map<String, PortalView> pending = new LinkedHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("policies").factory());
    /** Guarded by {@link #pending}: whether the engine's thread is taking views from it. */
    private boolean draining;
    private volatile boolean closed;

    /** Queues a published view for the engine's thread; returns at once. */
    @Override
    public void published(PortalView view) {
        if (!view.up() || view.lastGood() == null || policies.isEmpty()) {
            return;
        }
        synchronized (pending) {
            pending.put(view.portalId(), view);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // Closed: the agent is stopping.
        }
    }

    private void drain() {
        while (true) {
            PortalView next;
            synchronized (pending) {
                Iterator<PortalView> it = pending.values().iterator();
                if (!it.hasNext() || closed) {
                    draining = false;
                    pending.notifyAll();
                    return;
                }
                next = it.next();
                it.remove();
            }
            try {
                apply(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "session policies failed on portal " + next.portalId(), e);
            }
        }
    }

    /**
     * Waits until every view published so far has been decided on (tests that drive polls one at a time and then
     * look at the decisions; the agent itself never waits for its policies).
     *
     * @return false when {@code limit} passed first
     */
    public boolean awaitIdle(java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (pending) {
            while (draining || !pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(pending, left);
            }
        }
        return true;
    }

    /** Forgets a portal no longer polled. */
    @Override
    public void removed(String portalId) {
        synchronized (pending) {
            pending.remove(portalId);
        }
        memory.remove(portalId);
    }

    /** Decides on one published view now, on the caller's thread (the engine's own thread, tests). */
    public void apply(PortalView view) {
        if (!view.up() || view.lastGood() == null || policies.isEmpty()) {
            return;
        }
        PortalSnapshot snapshot = view.lastGood();
        PortalMemory mem = memory.computeIfAbsent(view.portalId(), id -> new PortalMemory());
        synchronized (mem) {
            Set<String> present = new HashSet<>();
            snapshot.sessions().forEach(s -> present.add(s.sessionId()));
            mem.retainOnly(present);
            for (Policy policy : policies) {
                Set<String> decided = mem.decidedByPolicy.computeIfAbsent(policy.name(), n -> new HashSet<>());
                Set<String> goingAway = new HashSet<>(decided);
                goingAway.addAll(mem.expired);
                for (PolicyRule.Match match : policy.rule().matches(snapshot, goingAway)) {
                    String id = match.session().sessionId();
                    if (goingAway.contains(id)) {
                        continue;
                    }
                    String outcome = decide(policy, view, match);
                    if (!outcome.equals(FAILED)) {
                        decided.add(id);
                        goingAway.add(id);
                    }
                    if (outcome.equals(EXPIRED)) {
                        mem.expired.add(id);
                    }
                }
            }
        }
    }

    private String decide(Policy policy, PortalView view, PolicyRule.Match match) {
        SessionSnapshot s = match.session();
        // user and client_ips reach the audit log at debug only (AuditLog)
        List<String> context = List.of("policy", policy.name(), "user", s.username(),
                "client_ips", String.join(",", s.clientIps()), "reason", match.reason());
        String outcome;
        if (policy.dryRun()) {
            outcome = WOULD_EXPIRE;
            AuditLog.write(Level.INFO, List.of(
                    "actor", SessionControl.Actor.POLICY.label(),
                    "policy", policy.name(),
                    "action", ACTION_EXPIRE,
                    "portal", view.portalId(),
                    "session", s.sessionId(),
                    "user", s.username(),
                    "client_ips", String.join(",", s.clientIps()),
                    "reason", match.reason(),
                    "result", outcome));
        } else {
            outcome = control.expire(SessionControl.Actor.POLICY, view.portal().region(), view.portalId(), s.sessionId(),
                    context).result();
        }
        actions.labelValues(policy.name(), ACTION_EXPIRE, outcome).inc();
        return outcome;
    }

    /**
     * Stops the engine: no decision is started after this, one under way is interrupted, and it returns once the
     * engine's thread has stopped (so nothing is audited after the agent stopped), or after a few seconds.
     */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
