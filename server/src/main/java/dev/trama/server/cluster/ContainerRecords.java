package dev.trama.server.cluster;

import dev.trama.net.InterfaceAddress;
import dev.trama.server.store.Entry;
import dev.trama.server.store.Txn;

/**
 * A container record and its address are written and deleted together: every allocation has its container
 * and every container its allocation. This is the one place that deletes them.
 */
final class ContainerRecords {

    private ContainerRecords() {
    }

    /** Adds to {@code txn}: delete the container, as read, with its address. */
    static Txn delete(Txn txn, Keys keys, Entry entry, Stored.Container container) {
        return txn.ifUnchanged(entry)
                .delete(entry.key())
                .delete(keys.ip(InterfaceAddress.parse(container.ip()).address()));
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
