package dev.trama.daemon;

import dev.trama.concurrent.Threads;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in parallel, except that work for the same key (a container name) runs in the order it was
 * submitted, one at a time: a destroy never overtakes the launch of the same container.
 */
final class KeyedExecutor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeyedExecutor.class);

    private final ExecutorService pool;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    KeyedExecutor(int threads, String name) {
        this.pool = Executors.newFixedThreadPool(threads, Threads.numbered(name));
    }

    void submit(String key, Runnable work) {
        tails.compute(key, (k, tail) -> {
            CompletableFuture<Void> previous = tail == null ? CompletableFuture.completedFuture(null) : tail;
            CompletableFuture<Void> next = previous.thenRunAsync(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.error("work for {} failed", key, e);
                }
            }, pool);
            next.whenComplete((v, e) -> tails.remove(key, next));
            return next;
        });
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
