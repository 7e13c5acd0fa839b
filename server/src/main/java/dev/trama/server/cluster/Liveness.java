package dev.trama.server.cluster;

import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import dev.trama.server.store.WatchListener;
import dev.trama.server.store.Watches;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two clocks for a node that stops sending heartbeats. The first is fast: when its lease lapses (the node
 * timeout), it is shown down and takes no launches, and nothing else changes anywhere. The second is slow
 * and deliberate: only when it has stayed down for the grace period ({@code releaseAfter}) are its
 * containers, their addresses and its bridge address released, each container leaving a tombstone so that
 * the node, when it comes back, removes exactly those. A node back within the grace keeps everything.
 *
 * <p>The deadline is written in the node's record when it is first seen down, so a restarted server, or
 * another one, carries on with the same grace. Nothing is released while more than half of the nodes are down
 * at once: that is more likely this server cut off from the LAN than half the cluster failing together.
 *
 * <p>A watch on {@code alive/} sees a lease lapse within moments; a periodic sweep catches what the watch
 * missed and releases nodes whose grace has ended. Both are idempotent, so any number of servers may run them.
 */
public final class Liveness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Liveness.class);

    private final KeyValueStore store;
    private final Keys keys;
    private final Containers containers;
    private final Segment segment;
    private final Clock clock;
    private final Duration releaseAfter;
    private final Dispatch dispatch;
    private final ExecutorService work;
    private AutoCloseable watch;
    private boolean holdingBack;

    public Liveness(KeyValueStore store, Keys keys, Containers containers, Segment segment, Clock clock,
                    Duration releaseAfter, Dispatch dispatch, ExecutorService work) {
        this.store = store;
        this.keys = keys;
        this.containers = containers;
        this.segment = segment;
        this.clock = clock;
        this.releaseAfter = releaseAfter;
        this.dispatch = dispatch;
        this.work = work;
    }

    /** Marks down what is down now, releases what is due, and watches from there; starts the watch again if it broke. */
    public synchronized void sweep() {
        if (watch == null) {
            long revision = store.listKeys(keys.alive()).revision();
            watch = store.watch(keys.alive(), revision, new WatchListener() {
                @Override
                public void onPut(String key, byte[] value, long rev) {
                    // a node (re)joined: registration has cleared its downtime
                }

                @Override
                public void onDelete(String key, long rev) {
                    work.execute(Liveness.this::sweepQuietly);
                }

                @Override
                public void onBroken(Throwable cause) {
                    log.warn("watch of live nodes broke ({}); the next sweep starts it again", cause.toString());
                    // not here: the store's thread must never wait for a sweep that waits for the store
                    work.execute(Liveness.this::dropWatch);
                }
            });
        }
        Set<String> alive = new HashSet<>();
        store.listKeys(keys.alive()).entries().forEach(e -> alive.add(Keys.nameIn(keys.alive(), e.key())));
        List<Entry> nodes = store.list(keys.nodes()).entries();
        long now = clock.millis();
        List<Entry> down = new ArrayList<>();
        for (Entry entry : nodes) {
            Stored.Node node = StoredJson.read(entry, Stored.Node.class);
            if (!alive.contains(node.name()) && !node.leaving()) {
                down.add(node.down() == null ? markDown(entry, node, now) : entry);
            }
        }
        boolean disrupted = down.size() * 2 > nodes.size() && nodes.size() > 1;
        if (disrupted != holdingBack) {
            if (disrupted) {
                log.warn("{} of {} nodes are down at once: releasing nothing until some come back (this server may be"
                        + " the one cut off)", down.size(), nodes.size());
            } else {
                log.info("most nodes are up again: down nodes are released when their grace ends");
            }
            holdingBack = disrupted;
        }
        for (Entry entry : down) {
            if (entry == null) {
                continue;
            }
            Stored.Node node = StoredJson.read(entry, Stored.Node.class);
            if (node.down() != null && !node.down().released() && now >= node.down().releaseAt() && !disrupted) {
                release(entry, node);
            }
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("could not check the nodes yet: {}", e.getMessage());
        }
    }

    /** Writes when the node was seen down and when it is due for release; the entry as now stored, or null. */
    private Entry markDown(Entry entry, Stored.Node node, long now) {
        Stored.Downtime downtime = new Stored.Downtime(now, now + releaseAfter.toMillis(), false);
        boolean marked = store.commit(Txn.create()
                .ifUnchanged(entry)
                .ifAbsent(keys.alive(node.name()))
                .put(entry.key(), StoredJson.bytes(node.withDown(downtime)))).succeeded();
        if (!marked) {
            return null; // it changed meanwhile (came back, left): the next sweep sees it as it is
        }
        if (releaseAfter.isZero()) {
            log.warn("node {} is down", node.name());
        } else {
            log.warn("node {} is down: its containers are kept, and released in {} s unless it comes back", node.name(),
                    releaseAfter.toSeconds());
        }
        return store.get(entry.key()).orElse(null);
    }

    /**
     * Lets go of what the node held: containers (with tombstones) and addresses first, then its bridge address,
     * each step only while it is still down. Repeated by the next sweep if interrupted.
     */
    private void release(Entry entry, Stored.Node node) {
        String reason = "node '" + node.name() + "' was down for longer than " + releaseAfter.toSeconds() + " s";
        List<String> addresses = new ArrayList<>();
        List<String> names = containers.releaseAllOf(node.name(), reason, addresses);
        Txn txn = Txn.create()
                .ifUnchanged(entry)
                .ifAbsent(keys.alive(node.name()))
                .put(entry.key(), StoredJson.bytes(node.withBridge(null).withDown(node.down().releasedNow())))
                .delete(keys.metrics(node.name()));
        segment.freeBridge(txn, node).ifPresent(addresses::add);
        if (store.commit(txn).succeeded()) {
            log.warn("node {} released after its grace: containers {} and addresses {}", node.name(), names, addresses);
            Roster.publish(store, keys, dispatch);
        }
    }

    private synchronized void dropWatch() {
        Watches.closeQuietly(watch);
        watch = null;
    }

    @Override
    public void close() {
        dropWatch();
    }
}
