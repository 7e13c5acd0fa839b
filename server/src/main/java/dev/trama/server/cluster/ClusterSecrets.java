package dev.trama.server.cluster;

import dev.trama.identity.JoinToken;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import dev.trama.server.store.TxnResult;
import org.zeromq.ZMQ;

/**
 * The cluster's secrets, kept in etcd and nowhere else, so that every server of the cluster loads the same:
 * the servers' CURVE keypair (nodes trust the public half, which their join token carries) and the secret that
 * admits a new node. Both are made by whoever needs them first; the join secret can be replaced (rotated):
 * nodes that joined keep working, the old token admits no one new.
 */
public final class ClusterSecrets {

    /** The servers' CURVE keypair, Z85. */
    public record ServerKey(String publicKey, String secretKey) {
    }

    private final KeyValueStore store;
    private final Keys keys;

    public ClusterSecrets(KeyValueStore store, Keys keys) {
        this.store = store;
        this.keys = keys;
    }

    public ServerKey serverKey() {
        ZMQ.Curve.KeyPair fresh = ZMQ.Curve.generateKeyPair();
        byte[] made = StoredJson.bytes(new ServerKey(fresh.publicKey, fresh.secretKey));
        TxnResult result = store.commit(Txn.create()
                .ifAbsent(keys.serverKey())
                .put(keys.serverKey(), made)
                .readOnFailure(keys.serverKey()));
        return result.succeeded() ? new ServerKey(fresh.publicKey, fresh.secretKey)
                : StoredJson.read(result.read(keys.serverKey()).orElseThrow(), ServerKey.class);
    }

    /** The current join secret, made now if there is none. */
    public String joinSecret() {
        String fresh = JoinToken.newSecret();
        TxnResult result = store.commit(Txn.create()
                .ifAbsent(keys.joinSecret())
                .put(keys.joinSecret(), fresh)
                .readOnFailure(keys.joinSecret()));
        return result.succeeded() ? fresh : result.read(keys.joinSecret()).map(Entry::text).orElseThrow();
    }

    /** Replaces the join secret: the token made from the old one admits no one from now on. */
    public String rotateJoinSecret() {
        String fresh = JoinToken.newSecret();
        store.commit(Txn.create().put(keys.joinSecret(), fresh));
        return fresh;
    }

    /** The cluster's join token, making the cluster's id, keys and secret if there are none yet. */
    public JoinToken joinToken(boolean rotate) {
        String clusterId = ClusterIdentity.ensure(store, keys);
        ServerKey key = serverKey();
        return new JoinToken(clusterId, key.publicKey(), rotate ? rotateJoinSecret() : joinSecret());
    }
}
