package dev.trama.server.cluster;

import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import dev.trama.server.store.TxnResult;
import java.util.UUID;

/**
 * The cluster's id: made once, by whichever server starts first on an etcd, and the same for every server of
 * it from then on. A node remembers the id of the cluster it joined and never joins another by mistake.
 */
public final class ClusterIdentity {

    private ClusterIdentity() {
    }

    /** The id in the store, made now if there is none yet. */
    public static String ensure(KeyValueStore store, Keys keys) {
        String fresh = UUID.randomUUID().toString().substring(0, 8);
        TxnResult result = store.commit(Txn.create()
                .ifAbsent(keys.clusterId())
                .put(keys.clusterId(), fresh)
                .readOnFailure(keys.clusterId()));
        return result.succeeded() ? fresh : result.read(keys.clusterId()).map(Entry::text).orElse(fresh);
    }
}
