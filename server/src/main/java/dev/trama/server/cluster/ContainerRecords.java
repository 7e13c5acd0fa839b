package dev.trama.server.cluster;

import dev.trama.net.InterfaceAddress;
import dev.trama.server.store.Entry;
import dev.trama.server.store.Txn;

/**
 * A container record, its address and the claims on the host ports it publishes are written and deleted
 * together: every allocation and claim has its container and every container its allocation and claims. This is
 * the one place that deletes them.
 */
final class ContainerRecords {

    private ContainerRecords() {
    }

    /** Adds to {@code txn}: delete the container, as read, with its address and its host ports. */
    static Txn delete(Txn txn, Keys keys, Entry entry, Stored.Container container) {
        txn.ifUnchanged(entry)
                .delete(entry.key())
                .delete(keys.ip(InterfaceAddress.parse(container.ip()).address()));
        container.ports().forEach(port -> txn.delete(keys.port(container.node(), port)));
        return txn;
    }

    /** How many operations {@link #release} adds to a transaction for this container (etcd bounds them). */
    static int releaseOps(Stored.Container container) {
        return 3 + container.ports().size();
    }

    /**
     * Adds to {@code txn}: delete the container with its address, leaving a tombstone so that its node, which
     * was not told, removes it when it finds it.
     */
    static Txn release(Txn txn, Keys keys, Entry entry, Stored.Container container, String reason, long now) {
        Stored.Tombstone tombstone = new Stored.Tombstone(container.node(), container.name(), container.taskId(), reason, now);
        return delete(txn, keys, entry, container)
                .put(keys.tombstone(container.node(), container.taskId()), StoredJson.bytes(tombstone));
    }
}
