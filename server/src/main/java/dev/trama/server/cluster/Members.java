package dev.trama.server.cluster;

import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Listing;
import dev.trama.server.store.WatchListener;
import dev.trama.server.store.Watches;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's members by key: the CURVE public key each node proved when it joined, kept in memory from a
 * listing of the nodes and a watch on them, for the checks every connection, request and report goes through
 * (on the transport's threads, which must not wait for the store). A node that registers through this server
 * is known at once; one that joins through another server, when the watch says so, a moment later.
 */
public final class Members implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Members.class);

    private final KeyValueStore store;
    private final Keys keys;
    private final Map<String, String> nodeByKey = new ConcurrentHashMap<>();
    private final Map<String, String> keyByNode = new ConcurrentHashMap<>();
    private AutoCloseable watch;
    /** Set on the store's thread, which must not wait for anything: the next {@link #follow} starts again. */
    private volatile boolean broken;

    public Members(KeyValueStore store, Keys keys) {
        this.store = store;
        this.keys = keys;
    }

    /** Reads the members and follows their changes; again when the watch broke. Idempotent: call it often. */
    public synchronized void follow() {
        if (watch != null && !broken) {
            return;
        }
        dropWatch();
        broken = false;
        Listing nodes = store.list(keys.nodes());
        nodeByKey.clear();
        keyByNode.clear();
        nodes.entries().forEach(this::put);
        watch = store.watch(keys.nodes(), nodes.revision(), new WatchListener() {
            @Override
            public void onPut(String key, byte[] value, long revision) {
                put(new Entry(key, value, revision));
            }

            @Override
            public void onDelete(String key, long revision) {
                forget(Keys.nameIn(keys.nodes(), key));
            }

            @Override
            public void onBroken(Throwable cause) {
                log.warn("watch of the members broke ({}); it is started again", cause.toString());
                broken = true;
            }
        });
    }

    /** The node that holds this key, if any. */
    public Optional<String> nodeOf(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(nodeByKey.get(key));
    }

    /** The key a node holds, if known. */
    public Optional<String> keyOf(String node) {
        return Optional.ofNullable(keyByNode.get(node));
    }

    void joined(String node, String key) {
        if (key != null) {
            forget(node);
            nodeByKey.put(key, node);
            keyByNode.put(node, key);
        }
    }

    private void put(Entry entry) {
        try {
            Stored.Node node = StoredJson.read(entry, Stored.Node.class);
            joined(node.name(), node.publicKey());
        } catch (RuntimeException e) {
            log.warn("a node record could not be read: {}", e.getMessage());
        }
    }

    private void forget(String node) {
        String key = keyByNode.remove(node);
        if (key != null) {
            nodeByKey.remove(key, node);
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
