package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.cli.AgentRuntime;
import dev.workspacesweb.exporter.config.AgentConfig;
import dev.workspacesweb.exporter.model.PortalCycle;
import dev.workspacesweb.exporter.simulator.SimulatorSettings;
import dev.workspacesweb.exporter.testing.Samples;
import dev.workspacesweb.exporter.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Every portal on its own schedule: the agent running on its timers against the simulator, one portal answering
 * every call after 1.5 s (a poll of it takes several 200 ms intervals), and the other portals still polled every
 * interval, their {@code workspaces_web_last_successful_poll_timestamp_seconds} advancing all the while.
 */
class PollSchedulerTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final Duration SLOW = Duration.ofMillis(1500);
    private static final int FAST_POLLS = 40;

    /** Successful polls per portal, as the store publishes them; wakes the test when one lands. */
    private static final class PollCounts implements SnapshotStore.Subscriber {
        final Map<String, Set<Instant>> successes = new ConcurrentHashMap<>();
        final ReentrantLock lock = new ReentrantLock();
        final Condition landed = lock.newCondition();

        @Override
        public void polled(PortalCycle cycle) {
            if (cycle.view().up()) {
                successes.computeIfAbsent(cycle.view().portalId(), id -> ConcurrentHashMap.newKeySet())
                        .add(cycle.view().lastSuccess());
            }
            lock.lock();
            try {
                landed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        int of(String portalId) {
            return successes.getOrDefault(portalId, Set.of()).size();
        }

        /** Waits until {@code done} holds, woken by each poll, up to a generous bound. */
        void await(java.util.function.BooleanSupplier done, Duration atMost) throws InterruptedException {
            long deadline = System.nanoTime() + atMost.toNanos();
            lock.lock();
            try {
                while (!done.getAsBoolean()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("timed out; polls so far: " + successes);
                    }
                    landed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void aSlowPortalDelaysNoOtherPortalsPolls() throws Exception {
        SimulatorSettings settings = new SimulatorSettings(21, 0, "us-east-1", "123456789012", 3, 100, 10.0,
                Duration.ofMinutes(10), 1.0, 10, 20, 2, 20, 100, SimulatorSettings.Faults.none());
        AgentConfig config = TestConfigs.withPoll(TestConfigs.withSimulator(TestConfigs.defaults(), settings),
                new AgentConfig.Poll(INTERVAL, Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ZERO));
        // Real time and the real timers; no adaptive retry rate.
        AgentRuntime.Options options = new AgentRuntime.Options(InstantSource.system(), true, null,
                BackoffStrategy.retryImmediately(), false);
        try (AgentRuntime agent = AgentRuntime.start(config, options)) {
            List<String> ids = agent.simulator().portalIds();
            String slow = ids.get(0);
            agent.simulator().portalLatency(slow, SLOW);
            PollCounts counts = new PollCounts();
            agent.store().subscribe(counts);

            // Until the slow portal finished a poll (several seconds) and the fast ones many.
            counts.await(() -> counts.of(slow) >= 1 && counts.of(ids.get(1)) >= FAST_POLLS && counts.of(ids.get(2)) >= FAST_POLLS,
                    Duration.ofSeconds(180));

            int slowPolls = counts.of(slow);
            int fastPolls = Math.min(counts.of(ids.get(1)), counts.of(ids.get(2)));
            // A slow poll makes at least two calls of 1.5 s: each took the time of 15 fast ones. Were the portals
            // polled in lockstep, the fast ones could not be more than one poll ahead.
            assertThat(fastPolls).as("polls of the fast portals (slow: %d)", slowPolls).isGreaterThan(3 * slowPolls + 1);
            // What /metrics shows is the newest of those polls (or a later one).
            for (String fast : ids.subList(1, 3)) {
                Instant newest = counts.successes.get(fast).stream().max(Instant::compareTo).orElseThrow();
                double last = Samples.of(agent.registry())
                        .value("workspaces_web_last_successful_poll_timestamp_seconds", "portal_id", fast).orElseThrow();
                assertThat(last).as("last successful poll of %s", fast).isGreaterThanOrEqualTo(newest.toEpochMilli() / 1000.0);
            }
            System.out.printf("PollSchedulerTest: fast portals polled %d and %d times while the slow one was polled %d times%n",
                    counts.of(ids.get(1)), counts.of(ids.get(2)), slowPolls);
        }
    }
}
