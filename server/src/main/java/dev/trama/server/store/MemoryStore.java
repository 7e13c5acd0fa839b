package dev.trama.server.store;

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
import java.util.concurrent.atomic.AtomicLong;

/** {@link KeyValueStore} in memory, with etcd's semantics, for fast unit tests. */
public final class MemoryStore implements KeyValueStore {

    private record Watcher(String prefix, WatchListener listener) {
    }

    private final NavigableMap<String, Entry> entries = new TreeMap<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final AtomicLong roundTrips = new AtomicLong();
    /** Delivers watch events in commit order on a thread of its own, as etcd does. */
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "memory-store-watch");
        thread.setDaemon(true);
        return thread;
    });
    private long revision = 1;

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
                long rev = revision;
                watchersOf(put.key()).forEach(l -> notifier.execute(() -> l.onPut(put.key(), put.value().clone(), rev)));
            } else if (op instanceof Txn.Delete delete && entries.remove(delete.key()) != null) {
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
    }

    private NavigableMap<String, Entry> under(String prefix) {
        return entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }
}
