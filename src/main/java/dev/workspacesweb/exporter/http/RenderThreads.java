package dev.workspacesweb.exporter.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform threads that run client_java's exposition writers for scrapes, which Helidon serves on virtual threads.
 *
 * <p>Why not the request's own thread: client_java's text writers wrap the output in a {@code new BufferedWriter(..)}
 * per scrape. On a virtual thread the JDK's {@code BufferedWriter} starts at 512 chars and grows to 8192 by exactly
 * what each write needs, one {@code Arrays.copyOf} per write; the writers write HELP text a char at a time. The
 * agent's own and JVM families (8 KB of text) took 3.8-4.8 ms to render on a virtual thread and 0.49-0.82 ms on a
 * platform thread ({@code bench.RenderThreadBench}, BENCHMARKS.md section 0). On a platform thread the buffer starts
 * at its full 8192 chars.
 *
 * <p>The number of threads also bounds the renders that run at once: rendering is CPU-bound, so one core always stays
 * free for the polls; a scrape beyond the bound waits parked, holding no carrier thread. The threads only render into
 * memory; the request's thread writes the bytes to the socket, so a slow client never holds a render thread.
 */
final class RenderThreads implements AutoCloseable {
    /** What a render does. */
    interface Render<T> {
        T render() throws IOException;
    }

    private final ExecutorService threads;

    RenderThreads(int count) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(count,
                r -> Thread.ofPlatform().daemon(true).name("scrape-render-" + n.incrementAndGet()).unstarted(r));
    }

    /** As many as the cores but one, at least one. */
    static RenderThreads forThisMachine() {
        return new RenderThreads(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    /** Runs {@code render} on one of the threads and waits for it; its exceptions are rethrown here. */
    <T> T run(Render<T> render) throws IOException, InterruptedException {
        Future<T> result = threads.submit(() -> {
            try {
                return render.render();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
