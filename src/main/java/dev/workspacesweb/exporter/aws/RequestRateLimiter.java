package dev.workspacesweb.exporter.aws;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A client-side cap on requests per second (token bucket, burst of one second's worth), shared fairly between the
 * requesters of one region (the portals): while several wait, the permits go to them in turn, one each, so a portal
 * whose first poll makes 100k GetSession calls takes every other permit at most, never all of them. Within one
 * requester, its waiting threads (a poll's GetSession workers) take its turns in any order. Zero or less means
 * unlimited.
 */
public final class RequestRateLimiter {
    private final double permitsPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The requesters with waiting threads, in the order of their next turn. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private final Map<String, Integer> waiting = new HashMap<>();
    private double tokens;
    private long last;

    public RequestRateLimiter(double permitsPerSecond) {
        this(permitsPerSecond, System::nanoTime);
    }

    RequestRateLimiter(double permitsPerSecond, LongSupplier nanoTime) {
        this.permitsPerNano = permitsPerSecond / TimeUnit.SECONDS.toNanos(1);
        this.burst = Math.max(1.0, permitsPerSecond);
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    public boolean unlimited() {
        return permitsPerNano <= 0;
    }

    /**
     * Blocks until {@code requester} may send a request.
     *
     * @throws IllegalStateException when interrupted while waiting (the interrupt flag is kept)
     */
    public void acquire(String requester) {
        if (unlimited()) {
            return;
        }
        lock.lock();
        try {
            if (waiting.merge(requester, 1, Integer::sum) == 1) {
                turns.addLast(requester);
            }
            try {
                while (true) {
                    if (requester.equals(turns.peekFirst())) {
                        long now = nanoTime.getAsLong();
                        tokens = Math.min(burst, tokens + (now - last) * permitsPerNano);
                        last = now;
                        if (tokens >= 1) {
                            tokens -= 1;
                            turns.removeFirst();
                            leave(requester);
                            changed.signalAll();
                            return;
                        }
                        changed.awaitNanos(Math.max(1, (long) Math.ceil((1 - tokens) / permitsPerNano)));
                    } else {
                        changed.await();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                boolean wasFirst = requester.equals(turns.peekFirst());
                turns.remove(requester);
                leave(requester);
                if (wasFirst) {
                    changed.signalAll();
                }
                throw new IllegalStateException("interrupted while waiting for the request rate limit", e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Threads waiting now, of every requester (tests). */
    int waiting() {
        lock.lock();
        try {
            return waiting.values().stream().mapToInt(Integer::intValue).sum();
        } finally {
            lock.unlock();
        }
    }

    /** One thread of {@code requester} stops waiting; the requester keeps a turn (at the back) if others still wait. */
    private void leave(String requester) {
        int left = waiting.merge(requester, -1, Integer::sum);
        if (left == 0) {
            waiting.remove(requester);
        } else if (!turns.contains(requester)) {
            turns.addLast(requester);
        }
    }
}
