package dev.workspacesweb.exporter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The region's request budget, shared in turns between the portals that wait for it. */
class RequestRateLimiterTest {
    @Test
    void aPortalArrivingBehindAnotherPortalsQueueIsServedInTurnNotLast() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(20);
        for (int i = 0; i < 20; i++) {
            limiter.acquire("warm-up"); // the burst: from here on, one permit every 50 ms
        }
        List<String> served = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        // A big portal's first poll: eight GetSession workers waiting.
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                limiter.acquire("big");
                served.add("big");
            }));
        }
        awaitQueuedOrServed(limiter, served, 8);
        // Then a small portal's one request.
        threads.add(Thread.ofVirtual().start(() -> {
            limiter.acquire("small");
            served.add("small");
        }));
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(30));
        }
        assertThat(served).hasSize(9);
        // Its turn comes after at most one more of the big portal's (two, given who appends first), not after all 8.
        assertThat(served.indexOf("small")).as("order served: %s", served).isLessThanOrEqualTo(2);
    }

    @Test
    void unlimitedNeverWaits() {
        RequestRateLimiter limiter = new RequestRateLimiter(0);
        assertThat(limiter.unlimited()).isTrue();
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("p");
        }
        assertThat(limiter.waiting()).isZero();
    }

    /** Waits (bounded) until that many threads queued (or were served already); they queue within milliseconds. */
    private static void awaitQueuedOrServed(RequestRateLimiter limiter, List<String> served, int threads) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (limiter.waiting() + served.size() < threads) {
            assertThat(System.nanoTime()).as("threads queued").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }
}
