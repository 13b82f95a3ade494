package dev.workspacesweb.exporter.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition of another process (an agent started as a child), never on time alone. */
public final class Await {
    private Await() {}

    /** Checks {@code condition} every 50 ms until it holds; fails naming {@code what} after {@code limit}. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Asks {@code probe} every 20 ms until its answer is not null, and returns it; fails naming {@code what} after {@code limit}. */
    public static <T> T value(String what, Duration limit, Supplier<T> probe) {
        long deadline = System.nanoTime() + limit.toNanos();
        T value;
        while ((value = probe.get()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return value;
    }

    /** A loopback port free at the moment of asking, for a child process to listen on. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
