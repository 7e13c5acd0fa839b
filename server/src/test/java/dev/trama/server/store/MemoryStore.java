package dev.trama.server.store;

import dev.trama.concurrent.Threads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** {@link KeyValueStore} in memory, with etcd's semantics, for fast unit tests. */
public final class MemoryStore implements KeyValueStore {

    private record Watcher(String prefix, WatchListener listener) {
    }

    private final NavigableMap<String, Entry> entries = new TreeMap<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final AtomicLong roundTrips = new AtomicLong();
    /** Delivers watch events in commit order on a thread of its own, as etcd does. */
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(Threads.named("memory-store-watch"));
    private final Map<Long, Instant> leases = new HashMap<>();
    private final Map<Long, Duration> ttls = new HashMap<>();
    private final Map<String, Long> leaseOfKey = new HashMap<>();
    private final ScheduledExecutorService expirer = Executors.newSingleThreadScheduledExecutor(Threads.named("memory-store-leases"));
    private final Clock clock;
    private long revision = 1;
    private long nextLease = 1;

    public MemoryStore() {
        this(Clock.systemUTC());
    }

    public MemoryStore(Clock clock) {
        this.clock = clock;
        expirer.scheduleWithFixedDelay(this::expireLeases, 50, 50, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized Optional<Entry> get(String key) {
        roundTrips.incrementAndGet();
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public synchronized Map<String, Entry> getAll(List<String> keys) {
        roundTrips.incrementAndGet();
        Map<String, Entry> found = new HashMap<>();
        keys.forEach(k -> Optional.ofNullable(entries.get(k)).ifPresent(e -> found.put(k, e)));
        return found;
    }

    @Override
    public synchronized Listing list(String prefix) {
        roundTrips.incrementAndGet();
        return new Listing(new ArrayList<>(under(prefix).values()), revision);
    }

    @Override
    public synchronized Listing listKeys(String prefix) {
        roundTrips.incrementAndGet();
        List<Entry> keys = new ArrayList<>();
        under(prefix).values().forEach(e -> keys.add(new Entry(e.key(), new byte[0], e.modRevision())));
        return new Listing(keys, revision);
    }

    /** Applies the transaction and queues its events for watchers under the lock, so they arrive in order. */
    @Override
    public synchronized TxnResult commit(Txn txn) {
        roundTrips.incrementAndGet();
        for (Txn.Op op : txn.ops()) {
            if (op instanceof Txn.Put put && put.lease() != Txn.NO_LEASE && !leases.containsKey(put.lease())) {
                throw new dev.trama.protocol.TramaException(dev.trama.protocol.ErrorCode.STORE_UNAVAILABLE,
                        "cluster store refused the write: lease " + put.lease() + " not found");
            }
        }
        if (!txn.conditions().stream().allMatch(this::holds)) {
            Map<String, Entry> found = new HashMap<>();
            txn.reads().forEach(k -> Optional.ofNullable(entries.get(k)).ifPresent(e -> found.put(k, e)));
            return new TxnResult(false, found);
        }
        if (!txn.ops().isEmpty()) {
            revision++;
        }
        for (Txn.Op op : txn.ops()) {
            if (op instanceof Txn.Put put) {
                entries.put(put.key(), new Entry(put.key(), put.value().clone(), revision));
                if (put.lease() == Txn.NO_LEASE) {
                    leaseOfKey.remove(put.key());
                } else {
                    leaseOfKey.put(put.key(), put.lease());
                }
                long rev = revision;
                watchersOf(put.key()).forEach(l -> notifier.execute(() -> l.onPut(put.key(), put.value().clone(), rev)));
            } else if (op instanceof Txn.Delete delete && entries.remove(delete.key()) != null) {
                leaseOfKey.remove(delete.key());
                long rev = revision;
                watchersOf(delete.key()).forEach(l -> notifier.execute(() -> l.onDelete(delete.key(), rev)));
            }
        }
        return new TxnResult(true, Map.of());
    }

    private List<WatchListener> watchersOf(String key) {
        return watchers.stream().filter(w -> key.startsWith(w.prefix())).map(Watcher::listener).toList();
    }

    private boolean holds(Txn.Condition condition) {
        if (condition instanceof Txn.Absent absent) {
            return !entries.containsKey(absent.key());
        }
        Txn.Unchanged unchanged = (Txn.Unchanged) condition;
        Entry entry = entries.get(unchanged.key());
        return entry != null && entry.modRevision() == unchanged.modRevision();
    }

    @Override
    public synchronized long grantLease(Duration ttl) {
        roundTrips.incrementAndGet();
        long id = nextLease++;
        leases.put(id, clock.instant().plus(Duration.ofSeconds(Math.max(1, ttl.toSeconds()))));
        ttls.put(id, Duration.ofSeconds(Math.max(1, ttl.toSeconds())));
        return id;
    }

    @Override
    public synchronized boolean renewLease(long lease) {
        roundTrips.incrementAndGet();
        if (!leases.containsKey(lease)) {
            return false;
        }
        leases.put(lease, clock.instant().plus(ttls.get(lease)));
        return true;
    }

    /** Expires leases whose time is up, deleting their keys as one change each. */
    private synchronized void expireLeases() {
        Instant now = clock.instant();
        List<Long> expired = leases.entrySet().stream().filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey).toList();
        for (long lease : expired) {
            leases.remove(lease);
            ttls.remove(lease);
            List<String> keys = leaseOfKey.entrySet().stream().filter(e -> e.getValue() == lease).map(Map.Entry::getKey).toList();
            if (!keys.isEmpty()) {
                Txn delete = Txn.create();
                keys.forEach(delete::delete);
                commit(delete);
                roundTrips.decrementAndGet();
            }
        }
    }

    @Override
    public synchronized AutoCloseable watch(String prefix, long afterRevision, WatchListener listener) {
        roundTrips.incrementAndGet();
        Watcher watcher = new Watcher(prefix, listener);
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    @Override
    public long roundTrips() {
        return roundTrips.get();
    }

    @Override
    public void close() {
        watchers.clear();
        notifier.shutdown();
        expirer.shutdownNow();
    }

    private NavigableMap<String, Entry> under(String prefix) {
        return entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }
}
