package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import dev.workspacesweb.exporter.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Renders asked for on a request's virtual thread run on a platform thread, at most as many at once as threads. */
class RenderThreadsTest {
    @Test
    void aRenderAskedForOnAVirtualThreadRunsOnAPlatformThreadAndItsBytesComeBack() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge.builder().name("agent_example").help("An example with a long help text, written a char at a time")
                .register(registry).set(1);
        AtomicReference<Boolean> virtual = new AtomicReference<>();
        AtomicReference<byte[]> bytes = new AtomicReference<>();
        try (RenderThreads threads = new RenderThreads(1)) {
            Thread.ofVirtual().start(() -> {
                try {
                    bytes.set(threads.run(() -> {
                        virtual.set(Thread.currentThread().isVirtual());
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
                        return out.toByteArray();
                    }));
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }).join();
        }
        assertThat(virtual.get()).isFalse();
        assertThat(new String(bytes.get())).contains("agent_example 1.0\n");
    }

    @Test
    void aRendersExceptionIsThrownToTheCaller() {
        try (RenderThreads threads = new RenderThreads(1)) {
            assertThatThrownBy(() -> threads.run(() -> {
                throw new IOException("socket gone");
            })).isInstanceOf(IOException.class).hasMessage("socket gone");
            assertThatThrownBy(() -> threads.run(() -> {
                throw new IllegalStateException("bad family");
            })).isInstanceOf(IllegalStateException.class).hasMessage("bad family");
        }
    }

    @Test
    void noMoreRendersRunAtOnceThanThereAreThreads() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (RenderThreads threads = new RenderThreads(1)) {
            Thread[] callers = new Thread[3];
            for (int i = 0; i < callers.length; i++) {
                callers[i] = Thread.ofVirtual().start(() -> {
                    try {
                        threads.run(() -> {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            firstStarted.countDown();
                            try {
                                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                            running.decrementAndGet();
                            return null;
                        });
                    } catch (IOException | InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
            // Every caller has handed its render over and waits; with a thread each, all three would be running.
            Await.until("every caller waiting", Duration.ofSeconds(30),
                    () -> Arrays.stream(callers).allMatch(c -> c.getState() == Thread.State.WAITING));
            assertThat(running.get()).isEqualTo(1);
            release.countDown();
            for (Thread caller : callers) {
                caller.join();
            }
        }
        assertThat(most.get()).isEqualTo(1);
    }
}
