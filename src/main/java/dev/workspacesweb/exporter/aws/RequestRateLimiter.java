package dev.workspacesweb.exporter.aws;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A client-side cap on requests per second (token bucket, burst of one second's worth). It keeps a many-portal
 * agent within the account's API budget however many sessions a cycle has to look at. Zero or less means unlimited.
 */
public final class RequestRateLimiter {
    private final double permitsPerNano;
    private final double burst;
    private double tokens;
    private long last;

    public RequestRateLimiter(double permitsPerSecond) {
        this.permitsPerNano = permitsPerSecond / TimeUnit.SECONDS.toNanos(1);
        this.burst = Math.max(1.0, permitsPerSecond);
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    public boolean unlimited() {
        return permitsPerNano <= 0;
    }

    /** Blocks until a request may go out. */
    public void acquire() {
        if (unlimited()) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) * permitsPerNano);
            last = now;
            tokens -= 1;
            // A negative balance is this caller's place in the queue: it waits until the bucket has refilled to 0.
            waitNanos = tokens >= 0 ? 0 : (long) Math.ceil(-tokens / permitsPerNano);
        }
        if (waitNanos > 0) {
            long deadline = System.nanoTime() + waitNanos;
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
