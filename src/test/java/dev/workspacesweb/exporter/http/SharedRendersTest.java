package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Concurrent scrapes share a render, but never one that began before they arrived. Time is a counter the test moves;
 * the renders block on latches the test opens, so every interleaving below is forced, not hoped for.
 */
class SharedRendersTest {
    private final AtomicLong now = new AtomicLong();
    private final SharedRenders<byte[]> renders = new SharedRenders<>(now::get);
    private final AtomicInteger made = new AtomicInteger();

    /** A render that records when it began and waits for {@code release}. */
    private SharedRenders.Render<byte[]> blocking(CountDownLatch started, CountDownLatch release) {
        return () -> {
            int n = made.incrementAndGet();
            long began = now.get();
            started.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return ("render " + n + " began at " + began).getBytes();
        };
    }

    @Test
    void aScrapeArrivingDuringARenderWaitsForTheNextOneWhichServesEveryoneWhoArrivedMeanwhile() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> results = java.util.Collections.synchronizedList(new ArrayList<>());
        now.set(10);
        Thread first = Thread.ofVirtual().start(() -> results.add(get(blocking(firstStarted, releaseFirst))));
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();

        // Three scrapes arrive while the first render runs: none may take it (it began before them).
        now.set(20);
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        List<Thread> late = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            late.add(Thread.ofVirtual().start(() -> results.add(get(blocking(secondStarted, releaseSecond)))));
        }
        // Let them reach the wait (a parked thread is all they can become until the first render ends).
        for (Thread t : late) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
        }
        now.set(30);
        releaseFirst.countDown();
        first.join();
        assertThat(secondStarted.await(30, TimeUnit.SECONDS)).isTrue();
        releaseSecond.countDown();
        for (Thread t : late) {
            t.join();
        }
        assertThat(made).as("one render for the first scrape, one shared by the three late ones").hasValue(2);
        assertThat(results).containsExactlyInAnyOrder("render 1 began at 10", "render 2 began at 30",
                "render 2 began at 30", "render 2 began at 30");
    }

    @Test
    void aScrapeAfterARenderEndedGetsAFreshOne() throws Exception {
        now.set(1);
        assertThat(new String(renders.get("text", () -> ("a" + made.incrementAndGet()).getBytes()))).isEqualTo("a1");
        now.set(2);
        assertThat(new String(renders.get("text", () -> ("a" + made.incrementAndGet()).getBytes()))).isEqualTo("a2");
        // Kinds do not share.
        assertThat(new String(renders.get("gzip", () -> ("g" + made.incrementAndGet()).getBytes()))).isEqualTo("g3");
    }

    @Test
    void aFailedRenderFailsItsOwnScrapeAndTheNextScrapeRendersAgain() throws Exception {
        now.set(1);
        assertThatThrownBy(() -> renders.get("text", () -> {
            throw new IOException("boom");
        })).isInstanceOf(IOException.class).hasMessage("boom");
        now.set(2);
        assertThat(new String(renders.get("text", () -> "ok".getBytes()))).isEqualTo("ok");
    }

    private String get(SharedRenders.Render<byte[]> render) {
        try {
            return new String(renders.get("text", render));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
