package dev.trama.server.cluster;

import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.WatchListener;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices nodes going down: a watch on {@code alive/} sees a lease expire within moments, and a sweep
 * catches what the watch missed (a server that was not running then, a broken watch). Either way the node
 * is declared down, which is idempotent.
 */
public final class NodeLiveness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    private final KeyValueStore store;
    private final Keys keys;
    private final Nodes nodes;
    private final ExecutorService work;
    private AutoCloseable watch;

    public NodeLiveness(KeyValueStore store, Keys keys, Nodes nodes, ExecutorService work) {
        this.store = store;
        this.keys = keys;
        this.nodes = nodes;
        this.work = work;
    }

    /** Declares down what is down now and watches from there; called again when the watch broke. */
    public synchronized void sweep() {
        if (watch == null) {
            long revision = store.listKeys(keys.alive()).revision();
            watch = store.watch(keys.alive(), revision, new WatchListener() {
                @Override
                public void onPut(String key, byte[] value, long rev) {
                    // a node (re)joined: nothing to do
                }

                @Override
                public void onDelete(String key, long rev) {
                    String name = Keys.nameIn(keys.alive(), key);
                    work.execute(() -> declareDown(name));
                }

                @Override
                public void onBroken(Throwable cause) {
                    log.warn("watch of live nodes broke ({}); the next sweep starts it again", cause.toString());
                    // not here: the store's thread must never wait for a sweep that waits for the store
                    work.execute(NodeLiveness.this::dropWatch);
                }
            });
        }
        nodes.downNodesHoldingAddresses().forEach(this::declareDown);
    }

    private void declareDown(String name) {
        try {
            nodes.declareDown(name);
        } catch (RuntimeException e) {
            log.warn("could not declare node {} down yet: {}", name, e.getMessage());
        }
    }

    private synchronized void dropWatch() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception ignored) {
                // a broken watch has nothing left to close
            }
            watch = null;
        }
    }

    @Override
    public void close() {
        dropWatch();
    }
}
