package dev.trama.server.cluster;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.Done;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.ServerRequest.Heartbeat;
import dev.trama.protocol.ServerRequest.LeaveNode;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.TramaException;
import dev.trama.protocol.VxlanMode;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes joining, staying up, and leaving.
 *
 * <p>A node is up while its key {@code alive/NAME} exists. The key lives on an etcd lease of the node timeout,
 * renewed by each heartbeat; when heartbeats stop, etcd deletes the key by itself, whichever server, if any,
 * runs at that moment, and the node is shown down ({@link Liveness} decides what follows). A node that comes
 * back registers again: it gets a new lease and keeps all it had, unless it was released meanwhile.
 */
public final class Membership {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final KeyValueStore store;
    private final Keys keys;
    private final String clusterId;
    private final Clock clock;
    private final Duration nodeTimeout;
    private final Containers containers;
    private final Segment segment;
    private final Members members;
    private final ClusterSecrets secrets;
    private final Dispatch dispatch;
    /** The lease of each node as last read: a cache, checked by every renewal. */
    private final Map<String, Long> leases = new ConcurrentHashMap<>();

    /**
     * @param members the members by key; {@code null} for an insecure cluster, where nodes are who they say
     * @param secrets where the join secret is, for a node's first join (unused when insecure)
     */
    public Membership(KeyValueStore store, Keys keys, String clusterId, Clock clock, Duration nodeTimeout,
                      Containers containers, Segment segment, Members members, ClusterSecrets secrets, Dispatch dispatch) {
        this.store = store;
        this.keys = keys;
        this.clusterId = clusterId;
        this.clock = clock;
        this.nodeTimeout = nodeTimeout;
        this.containers = containers;
        this.segment = segment;
        this.members = members;
        this.secrets = secrets;
        this.dispatch = dispatch;
    }

    /** How often nodes send heartbeats: four per timeout, so one late heartbeat costs nothing. */
    public long heartbeatMillis() {
        return Math.max(200, nodeTimeout.toMillis() / 4);
    }

    /** A registration in an insecure cluster: the node is who it says. */
    public NodeRegistered register(RegisterNode request) {
        return register(request, null);
    }

    /**
     * A registration by the holder of {@code key} (null when insecure). A member is its key: a name held by
     * another key is never handed over. A node that is not a member yet must bring the cluster's join secret.
     */
    public NodeRegistered register(RegisterNode request, String key) {
        requireThisCluster(request.clusterId(), request.name());
        if (members != null && members.nodeOf(key).filter(held -> !held.equals(request.name())).isPresent()) {
            throw new TramaException(ErrorCode.ALREADY_EXISTS, "this node's key already belongs to node '"
                    + members.nodeOf(key).orElseThrow() + "'");
        }
        return Optimistic.until("node '" + request.name() + "' kept changing while registering; try again", () -> {
            Map<String, Entry> state = store.getAll(List.of(keys.node(request.name()), keys.alive(request.name()),
                    keys.nodeAddress(request.address()), keys.subnet(), keys.vxlan()));
            String subnet = Optional.ofNullable(state.get(keys.subnet())).map(Entry::text).orElse(null);
            VxlanMode vxlan = Keys.vxlanMode(state.get(keys.vxlan()));
            Entry nodeEntry = state.get(keys.node(request.name()));
            if (nodeEntry != null) {
                return registerAgain(request, key, nodeEntry, state.get(keys.alive(request.name())), subnet, vxlan);
            }
            requireAdmission(request);
            Entry holder = state.get(keys.nodeAddress(request.address()));
            if (holder != null) {
                throw new TramaException(ErrorCode.ALREADY_EXISTS,
                        "address " + request.address() + " is already registered by node '" + holder.text() + "'");
            }
            long lease = store.grantLease(nodeTimeout);
            Stored.Node node = new Stored.Node(request.name(), request.address(), key, null, lease, false, clock.millis(), null);
            boolean joined = store.commit(Txn.create()
                    .ifAbsent(keys.node(request.name()))
                    .ifAbsent(keys.nodeAddress(request.address()))
                    .put(keys.node(request.name()), StoredJson.bytes(node))
                    .put(keys.nodeAddress(request.address()), request.name())
                    .putWithLease(keys.alive(request.name()), aliveValue(node), lease)).succeeded();
            if (!joined) {
                return Optional.empty();
            }
            leases.put(request.name(), lease);
            if (members != null) {
                members.joined(request.name(), key);
            }
            log.info("node {} registered from {}", request.name(), request.address());
            Roster.publish(store, keys, dispatch);
            return Optional.of(new NodeRegistered(clusterId, request.name(), subnet, null, heartbeatMillis(), vxlan));
        });
    }

    /** The same node registering again: welcome back, up on a new lease if it was down. Empty: read again. */
    private Optional<NodeRegistered> registerAgain(RegisterNode request, String key, Entry nodeEntry, Entry alive,
                                                   String subnet, VxlanMode vxlan) {
        Stored.Node node = StoredJson.read(nodeEntry, Stored.Node.class);
        if (members != null && !java.util.Objects.equals(node.publicKey(), key)) {
            log.warn("node name '{}' was claimed by a key other than its own; refused", request.name());
            throw new TramaException(ErrorCode.ALREADY_EXISTS, "node name '" + request.name()
                    + "' belongs to another node; 'trama leave' on that node frees it");
        }
        if (!node.address().equals(request.address())) {
            throw new TramaException(ErrorCode.ALREADY_EXISTS,
                    "node name '" + request.name() + "' is already registered from " + node.address());
        }
        if (node.leaving()) {
            throw new TramaException(ErrorCode.ALREADY_EXISTS,
                    "node '" + request.name() + "' is still leaving the cluster; try again in a moment");
        }
        NodeRegistered welcome = new NodeRegistered(clusterId, node.name(), subnet, node.bridgeIp(), heartbeatMillis(), vxlan);
        if (alive != null && store.renewLease(node.lease())) {
            leases.put(node.name(), node.lease());
            return Optional.of(welcome);
        }
        if (alive != null) {
            return Optional.empty();
        }
        long lease = store.grantLease(nodeTimeout);
        Stored.Node up = node.upOn(lease);
        boolean back = store.commit(Txn.create()
                .ifUnchanged(nodeEntry)
                .ifAbsent(keys.alive(node.name()))
                .put(nodeEntry.key(), StoredJson.bytes(up))
                .putWithLease(keys.alive(node.name()), aliveValue(up), lease)).succeeded();
        if (!back) {
            return Optional.empty();
        }
        leases.put(node.name(), lease);
        log.info("node {} is up again", node.name());
        if (node.down() != null && node.down().released()) {
            Roster.publish(store, keys, dispatch);
        }
        return Optional.of(welcome);
    }

    private static byte[] aliveValue(Stored.Node node) {
        return node.address().getBytes(StandardCharsets.UTF_8);
    }

    public Done heartbeat(Heartbeat request) {
        requireThisCluster(request.clusterId(), request.node());
        Long cached = leases.get(request.node());
        if (cached != null && store.renewLease(cached)) {
            return new Done();
        }
        Entry entry = store.get(keys.node(request.node())).orElseThrow(() -> notInCluster(request.node()));
        long lease = StoredJson.read(entry, Stored.Node.class).lease();
        if (lease != 0 && (cached == null || lease != cached) && store.renewLease(lease)) {
            leases.put(request.node(), lease);
            return new Done();
        }
        leases.remove(request.node());
        throw new TramaException(ErrorCode.NOT_FOUND, "node '" + request.node()
                + "' missed its heartbeats and is shown down; it must register again");
    }

    private void requireAdmission(RegisterNode request) {
        if (members == null) {
            return;
        }
        if (request.joinSecret() == null) {
            throw new TramaException(ErrorCode.NOT_ADMITTED, "node '" + request.name() + "' is not a member of this"
                    + " cluster and brought no join token");
        }
        if (!java.security.MessageDigest.isEqual(request.joinSecret().getBytes(StandardCharsets.UTF_8),
                secrets.joinSecret().getBytes(StandardCharsets.UTF_8))) {
            log.warn("node {} from {} brought a join token that is not this cluster's; refused", request.name(), request.address());
            throw new TramaException(ErrorCode.NOT_ADMITTED, "the join token of node '" + request.name() + "' is not"
                    + " valid for this cluster (it is another cluster's, or was rotated)");
        }
    }

    private void requireThisCluster(String nodeCluster, String node) {
        if (nodeCluster != null && !nodeCluster.equals(clusterId)) {
            throw new TramaException(ErrorCode.WRONG_CLUSTER, "this server serves cluster " + clusterId + ", but node '"
                    + node + "' belongs to cluster " + nodeCluster);
        }
    }

    public NodeLeft leave(LeaveNode request) {
        Optional<Entry> entry = store.get(keys.node(request.node()));
        if (entry.isEmpty()) {
            return new NodeLeft(request.node(), List.of(), List.of());
        }
        Stored.Node node = StoredJson.read(entry.get(), Stored.Node.class);
        Entry marked = markLeaving(entry.get(), node);
        List<String> released = new ArrayList<>();
        List<String> removed = containers.removeAllOf(node.name(), released);
        Txn txn = Txn.create()
                .ifUnchanged(marked)
                .delete(marked.key())
                .delete(keys.alive(node.name()))
                .delete(keys.nodeAddress(node.address()))
                .delete(keys.metrics(node.name()));
        segment.freeBridge(txn, node).ifPresent(released::add);
        store.listKeys(keys.tombstones(node.name())).entries().forEach(t -> txn.delete(t.key()));
        if (!store.commit(txn).succeeded()) {
            throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + node.name() + "' changed while leaving; try again");
        }
        leases.remove(node.name());
        log.info("node {} left; released {}", node.name(), released);
        segment.resetIfEmpty();
        Roster.publish(store, keys, dispatch);
        return new NodeLeft(node.name(), released, removed);
    }

    private Entry markLeaving(Entry entry, Stored.Node node) {
        if (node.leaving()) {
            return entry;
        }
        if (!store.commit(Txn.create().ifUnchanged(entry).put(entry.key(), StoredJson.bytes(node.markLeaving()))).succeeded()) {
            throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + node.name() + "' changed while leaving; try again");
        }
        return store.get(entry.key()).orElseThrow(() -> new TramaException(ErrorCode.UNAVAILABLE,
                "node '" + node.name() + "' vanished while leaving"));
    }

    static TramaException notInCluster(String node) {
        return new TramaException(ErrorCode.NOT_FOUND, "node '" + node + "' is not in the cluster");
    }

    static Entry requireNode(Entry entry, String name) {
        if (entry == null) {
            throw notInCluster(name);
        }
        return entry;
    }
}
