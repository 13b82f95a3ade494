package dev.workspacesweb.exporter.poll;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import dev.workspacesweb.exporter.model.ServiceSession;

/**
 * Runs GetSession for many sessions with at most {@code concurrency} calls in flight: a fixed set of platform-thread
 * workers (see PollScheduler for why not virtual) take the next item until none is left, so memory stays flat however
 * many sessions a cycle has.
 */
final class BoundedFetcher {
    /** Exactly one of the two is non-null. */
    record Result(Optional<ServiceSession> session, RuntimeException failure) {}

    private BoundedFetcher() {}

    static <T> List<Result> fetch(List<T> items, int concurrency, Function<T, Optional<ServiceSession>> call) {
        if (items.isEmpty()) {
            return List.of();
        }
        Result[] results = new Result[items.size()];
        AtomicInteger nextIndex = new AtomicInteger();
        Runnable worker = () -> {
            int i;
            while ((i = nextIndex.getAndIncrement()) < results.length) {
                try {
                    results[i] = new Result(call.apply(items.get(i)), null);
                } catch (RuntimeException e) {
                    results[i] = new Result(null, e);
                }
            }
        };
        int workers = Math.min(concurrency, items.size());
        List<Thread> threads = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            threads.add(Thread.ofPlatform().daemon(true).name("get-session-", w).start(worker));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching sessions", e);
            }
        }
        List<Result> list = new ArrayList<>(results.length);
        Collections.addAll(list, results);
        return list;
    }
}
