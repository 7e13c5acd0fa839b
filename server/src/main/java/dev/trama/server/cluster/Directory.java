package dev.trama.server.cluster;

import dev.trama.concurrent.Threads;
import dev.trama.net.InterfaceAddress;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.Task;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Listing;
import dev.trama.server.store.WatchListener;
import dev.trama.server.store.Watches;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's names for the nodes' resolvers and forwarding entries: every container's name with its overlay
 * address and its node, followed from
 * a listing of the containers and a watch on them, and published to all nodes ({@link Task.Names}) whenever a
 * name comes or goes, whichever server made the change, and again on {@link #republish}. A container being
 * removed has no name any more. Each publication is the whole table with the store revision it is as of, so
 * a node keeps the newest, whichever server it came from, and a lost publication is made good by the next.
 */
public final class Directory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Directory.class);

    private final KeyValueStore store;
    private final Keys keys;
    private final Dispatch dispatch;
    private final Map<String, String> addresses = new HashMap<>();
    /** The node of each container named in {@link #addresses}; guarded by {@link #addresses}. */
    private final Map<String, String> nodes = new HashMap<>();
    private long revision;
    private final ExecutorService publisher;
    private final AtomicBoolean due = new AtomicBoolean();
    private AutoCloseable watch;
    /** Set on the store's thread, which must not wait for anything: the next {@link #follow} starts again. */
    private volatile boolean broken;

    public Directory(KeyValueStore store, Keys keys, Dispatch dispatch, ExecutorService publisher) {
        this.store = store;
        this.keys = keys;
        this.dispatch = dispatch;
        this.publisher = publisher;
    }

    /** A directory that publishes on a thread of its own. */
    public static Directory withOwnThread(KeyValueStore store, Keys keys, Dispatch dispatch) {
        return new Directory(store, keys, dispatch, Executors.newSingleThreadExecutor(Threads.named("names")));
    }

    /** The names of a listing of the containers, as of its revision. */
    static Task.Names table(Listing containers) {
        Map<String, String> table = new HashMap<>();
        Map<String, String> placed = new HashMap<>();
        containers.entries().forEach(e -> named(StoredJson.read(e, Stored.Container.class), table, placed));
        return new Task.Names(containers.revision(), table, placed);
    }

    private static void named(Stored.Container container, Map<String, String> table, Map<String, String> placed) {
        if (container.state() == ContainerState.REMOVING || container.state() == ContainerState.REMOVED) {
            table.remove(container.name());
            placed.remove(container.name());
        } else {
            table.put(container.name(), InterfaceAddress.parse(container.ip()).address().toString());
            placed.put(container.name(), container.node());
        }
    }

    /** Reads the names and follows their changes; again when the watch broke. Idempotent: call it often. */
    public synchronized void follow() {
        if (watch != null && !broken) {
            return;
        }
        Watches.closeQuietly(watch);
        watch = null;
        broken = false;
        Listing containers = store.list(keys.containers());
        Task.Names now = table(containers);
        synchronized (addresses) {
            addresses.clear();
            addresses.putAll(now.addresses());
            nodes.clear();
            nodes.putAll(now.nodes());
            revision = now.revision();
        }
        watch = store.watch(keys.containers(), containers.revision(), new WatchListener() {
            @Override
            public void onPut(String key, byte[] value, long at) {
                try {
                    Stored.Container container = StoredJson.read(new Entry(key, value, at), Stored.Container.class);
                    changed(at, () -> named(container, addresses, nodes));
                } catch (RuntimeException e) {
                    log.warn("a container record could not be read: {}", e.getMessage());
                }
            }

            @Override
            public void onDelete(String key, long at) {
                changed(at, () -> {
                    String name = Keys.nameIn(keys.containers(), key);
                    addresses.remove(name);
                    nodes.remove(name);
                });
            }

            @Override
            public void onBroken(Throwable cause) {
                log.warn("watch of the containers' names broke ({}); it is started again", cause.toString());
                broken = true;
            }
        });
        republish();
    }

    private void changed(long at, Runnable change) {
        synchronized (addresses) {
            change.run();
            revision = Math.max(revision, at);
        }
        republish();
    }

    /** Publishes the table soon, on the publisher's thread; requests made meanwhile are served by one publication. */
    public void republish() {
        if (due.compareAndSet(false, true)) {
            try {
                publisher.execute(this::publish);
            } catch (RejectedExecutionException e) {
                due.set(false); // closed
            }
        }
    }

    private void publish() {
        due.set(false);
        Task.Names names;
        synchronized (addresses) {
            names = new Task.Names(revision, addresses, nodes);
        }
        dispatch.toAll(names);
    }

    /** The table as this server knows it now. */
    public Task.Names current() {
        synchronized (addresses) {
            return new Task.Names(revision, addresses, nodes);
        }
    }

    @Override
    public synchronized void close() {
        Watches.closeQuietly(watch);
        watch = null;
        publisher.shutdownNow();
    }
}
