package dev.trama.bench;

import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.server.store.EtcdStore;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one scenario against etcd: fills a fresh key root with the addresses in use, opens one store
 * (an etcd client of its own) and one allocator per client, warms each up, then times the allocations
 * of all clients at once and counts their round trips.
 */
final class ScenarioRunner {

    static final Cidr SEGMENT = Cidr.parse("10.64.0.0/16");
    private static final int FILL_BATCH = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private record Client(KeyValueStore store, Allocator allocator) implements AutoCloseable {
        @Override
        public void close() {
            allocator.close();
            store.close();
        }
    }

    private record WarmUp(long nanos, long roundTrips) {
    }

    private final String endpoint;

    ScenarioRunner(String endpoint) {
        this.endpoint = endpoint;
    }

    Measurement run(Scenario scenario) throws InterruptedException {
        String prefix = "/trama-bench/" + UUID.randomUUID() + "/ips/";
        List<Client> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(scenario.clients());
        try {
            for (int c = 0; c < scenario.clients(); c++) {
                KeyValueStore store = new EtcdStore(List.of(endpoint), TIMEOUT);
                clients.add(new Client(store, scenario.strategy().open(store, prefix, SEGMENT)));
            }
            fill(clients.get(0).store(), prefix, scenario.inUse());
            List<WarmUp> warmUps = warmUp(pool, clients, prefix);
            return measure(pool, clients, scenario, warmUps);
        } finally {
            pool.shutdownNow();
            clients.forEach(Client::close);
        }
    }

    /** Marks the first {@code count} host addresses as in use, as a busy segment has them. */
    private static void fill(KeyValueStore store, String prefix, int count) {
        for (int from = 0; from < count; from += FILL_BATCH) {
            Txn txn = Txn.create();
            for (int i = from; i < Math.min(count, from + FILL_BATCH); i++) {
                txn.put(prefix + SEGMENT.host(i), "in use");
            }
            store.commit(txn);
        }
    }

    /** Connects every client (one read, not counted) and times its warm-up. */
    private static List<WarmUp> warmUp(ExecutorService pool, List<Client> clients, String prefix)
            throws InterruptedException {
        List<Callable<WarmUp>> tasks = new ArrayList<>();
        for (Client client : clients) {
            tasks.add(() -> {
                client.store().get(prefix);
                long roundTrips = client.store().roundTrips();
                long began = System.nanoTime();
                client.allocator().warmUp();
                return new WarmUp(System.nanoTime() - began, client.store().roundTrips() - roundTrips);
            });
        }
        return results(pool.invokeAll(tasks));
    }

    private static Measurement measure(ExecutorService pool, List<Client> clients, Scenario scenario,
            List<WarmUp> warmUps) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Ipv4>>> running = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            Allocator allocator = clients.get(c).allocator();
            String holder = "client" + c + "-";
            running.add(pool.submit(() -> {
                start.await();
                List<Ipv4> given = new ArrayList<>();
                for (int i = 0; i < scenario.allocationsPerClient(); i++) {
                    given.add(allocator.allocate(holder + i));
                }
                return given;
            }));
        }
        long roundTrips = roundTrips(clients);
        long began = System.nanoTime();
        start.countDown();
        List<Ipv4> given = results(running).stream().flatMap(List::stream).toList();
        long nanos = System.nanoTime() - began;

        int duplicates = given.size() - new HashSet<>(given).size();
        return new Measurement(scenario, nanos, roundTrips(clients) - roundTrips, duplicates,
                (long) warmUps.stream().mapToLong(WarmUp::nanos).average().orElse(0),
                warmUps.stream().mapToLong(WarmUp::roundTrips).average().orElse(0));
    }

    private static long roundTrips(List<Client> clients) {
        return clients.stream().mapToLong(c -> c.store().roundTrips()).sum();
    }

    private static <T> List<T> results(List<Future<T>> futures) throws InterruptedException {
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a benchmark client failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return results;
    }
}
