package dev.trama.server.store;

import dev.trama.concurrent.Threads;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link KeyValueStore} in memory, with etcd's semantics, for fast unit tests. It keeps every change, so
 * a watch first replays those after its revision, then follows the live ones, as etcd does. Leases run
 * on a clock: the system's, expired by a timer of the store's own, or a test's, expired when the test
 * calls {@link #expireLeases()}.
 */
public final class MemoryStore implements KeyValueStore {

    /** One change of one key; a delete carries no value. */
    private record Event(String key, byte[] value, long revision) {
    }

    private static final class Watcher {
        private final String prefix;
        private final long afterRevision;
        private final WatchListener listener;
        private volatile boolean open = true;

        Watcher(String prefix, long afterRevision, WatchListener listener) {
            this.prefix = prefix;
            this.afterRevision = afterRevision;
            this.listener = listener;
        }

        boolean wants(Event event) {
            return event.revision() > afterRevision && event.key().startsWith(prefix);
        }
    }

    private final NavigableMap<String, Entry> entries = new TreeMap<>();
    /** Every change in revision order; never compacted. */
    private final List<Event> history = new ArrayList<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private final AtomicLong roundTrips = new AtomicLong();
    /** Delivers watch events in commit order on a thread of its own, as etcd does. */
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(Threads.named("memory-store-watch"));
    private final Map<Long, Instant> deadlines = new HashMap<>();
    private final Map<Long, Duration> ttls = new HashMap<>();
    private final Map<String, Long> leaseOfKey = new HashMap<>();
    private final ScheduledExecutorService expirer;
    private static final int MAX_TXN_OPS = 128;

    private final Clock clock;
    private long revision = 1;
    private long nextLease = 1;
    private boolean closed;

    /** Leases run on the system clock and expire on their own. */
    public MemoryStore() {
        this.clock = Clock.systemUTC();
        this.expirer = Executors.newSingleThreadScheduledExecutor(Threads.named("memory-store-leases"));
        expirer.scheduleWithFixedDelay(this::expireLeases, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** Leases run on this clock and expire only when {@link #expireLeases()} is called. */
    public MemoryStore(Clock clock) {
        this.clock = clock;
        this.expirer = null;
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

    @Override
    public synchronized TxnResult commit(Txn txn) {
        roundTrips.incrementAndGet();
        // etcd's --max-txn-ops (128) bounds the comparisons and each branch's operations
        if (txn.conditions().size() > MAX_TXN_OPS || txn.ops().size() > MAX_TXN_OPS || txn.reads().size() > MAX_TXN_OPS) {
            throw new TramaException(ErrorCode.STORE_UNAVAILABLE, "cluster store refused the transaction: too many operations");
        }
        for (Txn.Op op : txn.ops()) {
            if (op instanceof Txn.Put put && put.lease() != Txn.NO_LEASE && !alive(put.lease())) {
                throw new TramaException(ErrorCode.STORE_UNAVAILABLE,
                        "cluster store refused the write: lease " + put.lease() + " not found");
            }
        }
        if (!txn.conditions().stream().allMatch(this::holds)) {
            Map<String, Entry> found = new HashMap<>();
            txn.reads().forEach(k -> Optional.ofNullable(entries.get(k)).ifPresent(e -> found.put(k, e)));
            return new TxnResult(false, found);
        }
        apply(txn.ops());
        return new TxnResult(true, Map.of());
    }

    /**
     * Applies the operations as one revision and queues their events for watchers under the lock, so
     * they arrive in order. As in etcd, operations that change nothing take no revision.
     */
    private void apply(List<Txn.Op> ops) {
        long next = revision + 1;
        List<Event> events = new ArrayList<>();
        for (Txn.Op op : ops) {
            if (op instanceof Txn.Put put) {
                entries.put(put.key(), new Entry(put.key(), put.value().clone(), next));
                if (put.lease() == Txn.NO_LEASE) {
                    leaseOfKey.remove(put.key());
                } else {
                    leaseOfKey.put(put.key(), put.lease());
                }
                events.add(new Event(put.key(), put.value().clone(), next));
            } else if (op instanceof Txn.Delete delete && entries.remove(delete.key()) != null) {
                leaseOfKey.remove(delete.key());
                events.add(new Event(delete.key(), null, next));
            }
        }
        if (events.isEmpty()) {
            return;
        }
        revision = next;
        history.addAll(events);
        for (Event event : events) {
            watchers.stream().filter(w -> w.wants(event)).forEach(w -> deliver(w, event));
        }
    }

    private void deliver(Watcher watcher, Event event) {
        notifier.execute(() -> {
            if (!watcher.open) {
                return;
            }
            if (event.value() == null) {
                watcher.listener.onDelete(event.key(), event.revision());
            } else {
                watcher.listener.onPut(event.key(), event.value().clone(), event.revision());
            }
        });
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
        Duration whole = Duration.ofSeconds(Math.max(1, ttl.toSeconds()));
        ttls.put(id, whole);
        deadlines.put(id, clock.instant().plus(whole));
        return id;
    }

    /** Refuses a lease whose time is up by the clock, even before {@link #expireLeases()} deleted its keys. */
    @Override
    public synchronized boolean renewLease(long lease) {
        roundTrips.incrementAndGet();
        if (!alive(lease)) {
            return false;
        }
        deadlines.put(lease, clock.instant().plus(ttls.get(lease)));
        return true;
    }

    private boolean alive(long lease) {
        Instant deadline = deadlines.get(lease);
        return deadline != null && deadline.isAfter(clock.instant());
    }

    /**
     * Expires at once every lease whose time to live has passed by the clock: its keys are deleted as one
     * change per lease, and watchers see the deletes, as when etcd revokes an expired lease.
     */
    public synchronized void expireLeases() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        List<Long> expired = deadlines.entrySet().stream()
                .filter(e -> !e.getValue().isAfter(now))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        for (long lease : expired) {
            deadlines.remove(lease);
            ttls.remove(lease);
            List<Txn.Op> deletes = leaseOfKey.entrySet().stream()
                    .filter(e -> e.getValue() == lease)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .<Txn.Op>map(Txn.Delete::new)
                    .toList();
            apply(deletes);
        }
    }

    /** Replays the changes after {@code afterRevision} before the watcher joins, so no live event overtakes them. */
    @Override
    public synchronized AutoCloseable watch(String prefix, long afterRevision, WatchListener listener) {
        roundTrips.incrementAndGet();
        Watcher watcher = new Watcher(prefix, afterRevision, listener);
        if (closed) {
            watcher.open = false;
            return () -> { };
        }
        for (Event event : history.subList(firstAfter(afterRevision), history.size())) {
            if (watcher.wants(event)) {
                deliver(watcher, event);
            }
        }
        watchers.add(watcher);
        return () -> stop(watcher);
    }

    /** The index of the first change with a revision above the given one. */
    private int firstAfter(long afterRevision) {
        int low = 0;
        int high = history.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (history.get(middle).revision() > afterRevision) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private synchronized void stop(Watcher watcher) {
        watcher.open = false;
        watchers.remove(watcher);
    }

    @Override
    public long roundTrips() {
        return roundTrips.get();
    }

    @Override
    public synchronized void close() {
        closed = true;
        watchers.forEach(w -> w.open = false);
        watchers.clear();
        notifier.shutdown();
        if (expirer != null) {
            expirer.shutdownNow();
        }
    }

    private NavigableMap<String, Entry> under(String prefix) {
        return entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }
}
