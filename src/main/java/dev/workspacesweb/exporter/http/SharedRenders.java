package dev.workspacesweb.exporter.http;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * The live part of concurrent scrapes rendered once for all of them, never staler than a scrape of its own: a scrape
 * takes the bytes of a render that <em>began after it arrived</em>. While one render of a kind runs, the scrapes that
 * arrive wait for it to end; then one of them starts the next render, which serves every scrape that arrived
 * meanwhile (group commit). Under 50 concurrent scrapers the agent's own and the JVM metrics are rendered a few times
 * per batch instead of 50 times, and no scrape sees a value older than its request.
 *
 * <p>One render of each kind (format, gzip, escaping) at a time; kinds are independent.
 */
final class SharedRenders<T> {
    /** What a render does; may throw. */
    interface Render<T> {
        T render() throws IOException, InterruptedException;
    }

    /** One render: when it began, and its result once done. */
    private record Batch<T>(long startedNanos, CompletableFuture<T> result) {}

    private final LongSupplier nanoTime;
    /** Per kind, the render running or last finished; guarded by {@code this}. */
    private final Map<String, Batch<T>> latest = new HashMap<>();

    SharedRenders() {
        this(System::nanoTime);
    }

    SharedRenders(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The result of a render of {@code kind} that began after this call did: a shared one, or one made here. */
    T get(String kind, Render<T> render) throws IOException, InterruptedException {
        long arrived = nanoTime.getAsLong();
        while (true) {
            Batch<T> batch;
            boolean mine = false;
            synchronized (this) {
                batch = latest.get(kind);
                if (batch == null || (batch.result().isDone() && batch.startedNanos() - arrived < 0)) {
                    // Nothing running, and what ran last began before this scrape: a new render, for everyone next.
                    batch = new Batch<>(nanoTime.getAsLong(), new CompletableFuture<>());
                    latest.put(kind, batch);
                    mine = true;
                }
            }
            if (mine) {
                try {
                    batch.result().complete(render.render());
                } catch (IOException | InterruptedException | RuntimeException | Error e) {
                    batch.result().completeExceptionally(e);
                    synchronized (this) {
                        latest.remove(kind, batch);
                    }
                    throw e;
                }
                return batch.result().join();
            }
            T result = await(batch);
            if (batch.startedNanos() - arrived >= 0 && result != null) {
                return result;
            }
            // That render began before this scrape arrived: its values may be older than the request. Next one.
        }
    }

    /** The batch's result, or null when it failed (the waiter then renders or joins the next one). */
    private static <T> T await(Batch<T> batch) throws InterruptedException {
        try {
            return batch.result().get();
        } catch (ExecutionException e) {
            return null;
        }
    }
}
