package dev.trama.server.cluster;

import dev.trama.net.Cidr;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.Done;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Replies.Released;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.Heartbeat;
import dev.trama.protocol.ServerRequest.LeaveNode;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.ServerRequest.ReleaseAddresses;
import dev.trama.protocol.TramaException;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import dev.trama.server.store.TxnResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes joining, staying alive, taking their share of the segment, going down and leaving.
 *
 * <p>A node is up while its key {@code alive/NAME} exists. The key lives on an etcd lease of the node
 * timeout, renewed by each heartbeat; when heartbeats stop, etcd deletes the key by itself, so the rule
 * holds whichever server, if any, is running at that moment. {@link #declareDown} then frees what the
 * node held. A node that comes back registers again and gets a new lease.
 */
public final class Nodes {

    private static final Logger log = LoggerFactory.getLogger(Nodes.class);
    private static final int ROUNDS = 8;
    /** etcd allows 128 operations per transaction; a container takes two. */
    private static final int CONTAINERS_PER_TXN = 50;

    private final KeyValueStore store;
    private final Keys keys;
    private final Ipam ipam;
    private final Clock clock;
    private final Duration nodeTimeout;
    private final String clusterId;
    /** The lease of each node as last read: a cache, checked by every renewal. */
    private final Map<String, Long> leases = new ConcurrentHashMap<>();

    public Nodes(KeyValueStore store, Keys keys, Ipam ipam, Clock clock, Duration nodeTimeout) {
        this.store = store;
        this.keys = keys;
        this.ipam = ipam;
        this.clock = clock;
        this.nodeTimeout = nodeTimeout;
        this.clusterId = ensureClusterId();
    }

    public String clusterId() {
        return clusterId;
    }

    /** How often nodes send heartbeats: several per timeout, so one lost heartbeat costs nothing. */
    public long heartbeatMillis() {
        return Math.max(200, nodeTimeout.toMillis() / 4);
    }

    private String ensureClusterId() {
        String fresh = UUID.randomUUID().toString().substring(0, 8);
        TxnResult result = store.commit(Txn.create()
                .ifAbsent(keys.clusterId())
                .put(keys.clusterId(), fresh)
                .readOnFailure(keys.clusterId()));
        return result.succeeded() ? fresh : result.read(keys.clusterId()).map(Entry::text).orElse(fresh);
    }

    public NodeRegistered register(RegisterNode request) {
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Entry> state = store.getAll(List.of(keys.node(request.name()), keys.alive(request.name()),
                    keys.nodeAddress(request.address()), keys.subnet()));
            String subnet = Optional.ofNullable(state.get(keys.subnet())).map(Entry::text).orElse(null);
            Entry nodeEntry = state.get(keys.node(request.name()));
            if (nodeEntry != null) {
                Optional<NodeRegistered> again = registerAgain(request, nodeEntry, state.get(keys.alive(request.name())), subnet);
                if (again.isPresent()) {
                    return again.get();
                }
                continue;
            }
            Entry holder = state.get(keys.nodeAddress(request.address()));
            if (holder != null) {
                throw new TramaException(ErrorCode.ALREADY_EXISTS,
                        "address " + request.address() + " is already registered by node '" + holder.text() + "'");
            }
            long lease = store.grantLease(nodeTimeout);
            Stored.Node node = new Stored.Node(request.name(), request.address(), null, lease, false, clock.millis());
            TxnResult result = store.commit(Txn.create()
                    .ifAbsent(keys.node(request.name()))
                    .ifAbsent(keys.nodeAddress(request.address()))
                    .put(keys.node(request.name()), StoredJson.bytes(node))
                    .put(keys.nodeAddress(request.address()), request.name())
                    .putWithLease(keys.alive(request.name()), request.address().getBytes(java.nio.charset.StandardCharsets.UTF_8), lease));
            if (result.succeeded()) {
                leases.put(request.name(), lease);
                log.info("node {} registered from {}", request.name(), request.address());
                return new NodeRegistered(clusterId, request.name(), subnet, null, heartbeatMillis());
            }
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + request.name() + "' kept changing while registering; try again");
    }

    /** The same node registering again: welcome back, with a new lease if it was down. Empty: read again. */
    private Optional<NodeRegistered> registerAgain(RegisterNode request, Entry nodeEntry, Entry alive, String subnet) {
        Stored.Node node = StoredJson.read(nodeEntry, Stored.Node.class);
        if (!node.address().equals(request.address())) {
            throw new TramaException(ErrorCode.ALREADY_EXISTS,
                    "node name '" + request.name() + "' is already registered from " + node.address());
        }
        if (node.leaving()) {
            throw new TramaException(ErrorCode.ALREADY_EXISTS,
                    "node '" + request.name() + "' is still leaving the cluster; try again in a moment");
        }
        if (alive != null && store.renewLease(node.lease())) {
            leases.put(node.name(), node.lease());
            return Optional.of(new NodeRegistered(clusterId, node.name(), subnet, node.bridgeIp(), heartbeatMillis()));
        }
        if (alive != null) {
            return Optional.empty();
        }
        long lease = store.grantLease(nodeTimeout);
        TxnResult result = store.commit(Txn.create()
                .ifUnchanged(nodeEntry)
                .ifAbsent(keys.alive(node.name()))
                .put(nodeEntry.key(), StoredJson.bytes(node.withLease(lease)))
                .putWithLease(keys.alive(node.name()), node.address().getBytes(java.nio.charset.StandardCharsets.UTF_8), lease));
        if (!result.succeeded()) {
            return Optional.empty();
        }
        leases.put(node.name(), lease);
        log.info("node {} is up again", node.name());
        return Optional.of(new NodeRegistered(clusterId, node.name(), subnet, node.bridgeIp(), heartbeatMillis()));
    }

    public Done heartbeat(Heartbeat request) {
        Long cached = leases.get(request.node());
        if (cached != null && store.renewLease(cached)) {
            return new Done();
        }
        Entry entry = store.get(keys.node(request.node())).orElseThrow(() ->
                new TramaException(ErrorCode.NOT_FOUND, "node '" + request.node() + "' is not in the cluster"));
        long lease = StoredJson.read(entry, Stored.Node.class).lease();
        if (lease != 0 && (cached == null || lease != cached) && store.renewLease(lease)) {
            leases.put(request.node(), lease);
            return new Done();
        }
        leases.remove(request.node());
        throw new TramaException(ErrorCode.NOT_FOUND, "node '" + request.node() + "' was declared down; it must register again");
    }

    public NodeConfigured configure(ConfigureNode request) {
        Cidr wanted = Cidr.parse(request.subnet());
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Entry> state = store.getAll(List.of(keys.subnet(), keys.node(request.node())));
            Entry nodeEntry = requireNode(state.get(keys.node(request.node())), request.node());
            Stored.Node node = StoredJson.read(nodeEntry, Stored.Node.class);
            Entry subnetEntry = state.get(keys.subnet());
            if (subnetEntry != null) {
                Cidr current = Cidr.parse(subnetEntry.text());
                if (!current.equals(wanted)) {
                    throw new TramaException(ErrorCode.SEGMENT_CONFLICT, "the cluster's segment is " + current
                            + ", not " + wanted + "; configure this node with " + current);
                }
                if (node.bridgeIp() != null && current.contains(InterfaceAddress.parse(node.bridgeIp()).address())) {
                    return new NodeConfigured(clusterId, node.name(), current.toString(), node.bridgeIp());
                }
            }
            try {
                Ipv4 bridge = ipam.allocate(wanted, candidate -> claimBridge(candidate, wanted, subnetEntry, nodeEntry, node));
                String bridgeIp = InterfaceAddress.of(bridge, wanted).toString();
                log.info("node {} configured: bridge {} in {}", node.name(), bridgeIp, wanted);
                return new NodeConfigured(clusterId, node.name(), wanted.toString(), bridgeIp);
            } catch (Contention e) {
                log.debug("configure of {} contended, round {}", request.node(), round);
            }
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "the cluster state kept changing while configuring node '"
                + request.node() + "'; try again");
    }

    private Ipam.Outcome claimBridge(Ipv4 candidate, Cidr subnet, Entry subnetEntry, Entry nodeEntry, Stored.Node node) {
        String ipKey = keys.ip(candidate);
        String bridgeIp = InterfaceAddress.of(candidate, subnet).toString();
        Txn txn = Txn.create()
                .ifAbsent(ipKey)
                .ifUnchanged(nodeEntry)
                .put(ipKey, StoredJson.bytes(new Stored.Allocation(candidate.toString(), Stored.Allocation.BRIDGE,
                        node.name(), node.name())))
                .put(nodeEntry.key(), StoredJson.bytes(node.withBridge(bridgeIp)))
                // the segment is written by every configure, so "the last node left, reset the segment" can
                // tell that someone configured meanwhile
                .put(keys.subnet(), subnet.toString())
                .readOnFailure(ipKey);
        if (subnetEntry == null) {
            txn.ifAbsent(keys.subnet());
        } else {
            txn.ifUnchanged(subnetEntry);
        }
        TxnResult result = store.commit(txn);
        if (result.succeeded()) {
            return Ipam.Outcome.CLAIMED;
        }
        if (result.read(ipKey).isPresent()) {
            return Ipam.Outcome.TAKEN;
        }
        throw new Contention();
    }

    public Released release(ReleaseAddresses request) {
        List<String> released = new ArrayList<>();
        List<String> notAllocated = new ArrayList<>();
        for (String text : request.addresses()) {
            Ipv4 address = Ipv4.parse(text);
            if (releaseOne(request.node(), address)) {
                released.add(text);
            } else {
                notAllocated.add(text);
            }
        }
        if (!notAllocated.isEmpty()) {
            log.info("node {} released {}; not allocated to it: {}", request.node(), released, notAllocated);
        }
        return new Released(released, notAllocated);
    }

    /** Releases one address of the node, and whatever it backed, in one transaction. */
    private boolean releaseOne(String nodeName, Ipv4 address) {
        for (int round = 0; round < ROUNDS; round++) {
            Optional<Entry> entry = store.get(keys.ip(address));
            if (entry.isEmpty()) {
                return false;
            }
            Stored.Allocation allocation = StoredJson.read(entry.get(), Stored.Allocation.class);
            if (!allocation.node().equals(nodeName)) {
                return false;
            }
            Txn txn = Txn.create().ifUnchanged(entry.get()).delete(entry.get().key());
            String holderKey = allocation.kind().equals(Stored.Allocation.BRIDGE)
                    ? keys.node(nodeName) : keys.container(allocation.name());
            Optional<Entry> holder = store.get(holderKey);
            if (holder.isPresent()) {
                txn.ifUnchanged(holder.get());
                if (allocation.kind().equals(Stored.Allocation.BRIDGE)) {
                    txn.put(holderKey, StoredJson.bytes(StoredJson.read(holder.get(), Stored.Node.class).withBridge(null)));
                } else {
                    txn.delete(holderKey);
                }
            }
            if (store.commit(txn).succeeded()) {
                return true;
            }
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "address " + address + " kept changing while being released; try again");
    }

    public NodeLeft leave(LeaveNode request) {
        Optional<Entry> entry = store.get(keys.node(request.node()));
        if (entry.isEmpty()) {
            return new NodeLeft(request.node(), List.of(), List.of());
        }
        Stored.Node node = StoredJson.read(entry.get(), Stored.Node.class);
        Entry marked = markLeaving(entry.get(), node);
        List<String> released = new ArrayList<>();
        List<String> containers = new ArrayList<>();
        removeContainersOf(node.name(), released, containers);

        Txn txn = Txn.create()
                .ifUnchanged(marked)
                .delete(marked.key())
                .delete(keys.alive(node.name()))
                .delete(keys.nodeAddress(node.address()))
                .delete(keys.metrics(node.name()));
        if (node.bridgeIp() != null) {
            Ipv4 bridge = InterfaceAddress.parse(node.bridgeIp()).address();
            txn.delete(keys.ip(bridge));
            released.add(bridge.toString());
        }
        if (!store.commit(txn).succeeded()) {
            throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + node.name() + "' changed while leaving; try again");
        }
        leases.remove(node.name());
        log.info("node {} left; released {}", node.name(), released);
        resetSegmentIfEmpty();
        return new NodeLeft(node.name(), released, containers);
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

    /**
     * Frees what a node that stopped sending heartbeats held: its containers with their addresses and its
     * bridge address. The node stays in the cluster, shown down, until it registers again or leaves.
     * Does nothing to a node that is up, so it may run on every server and as often as wanted.
     */
    public void declareDown(String name) {
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Entry> state = store.getAll(List.of(keys.node(name), keys.alive(name)));
            Entry entry = state.get(keys.node(name));
            if (entry == null || state.containsKey(keys.alive(name))) {
                return;
            }
            Stored.Node node = StoredJson.read(entry, Stored.Node.class);
            List<String> released = new ArrayList<>();
            List<String> containers = new ArrayList<>();
            removeContainersOf(name, released, containers);
            if (node.bridgeIp() == null) {
                logDown(name, released, containers);
                return;
            }
            Ipv4 bridge = InterfaceAddress.parse(node.bridgeIp()).address();
            if (store.commit(Txn.create()
                    .ifUnchanged(entry)
                    .ifAbsent(keys.alive(name))
                    .put(entry.key(), StoredJson.bytes(node.withBridge(null)))
                    .delete(keys.ip(bridge))
                    .delete(keys.metrics(name))).succeeded()) {
                released.add(bridge.toString());
                logDown(name, released, containers);
                return;
            }
        }
        log.warn("node {} kept changing while being declared down; the next sweep tries again", name);
    }

    private static void logDown(String name, List<String> released, List<String> containers) {
        if (!released.isEmpty() || !containers.isEmpty()) {
            log.warn("node {} is down: released {} and the containers {}", name, released, containers);
        }
    }

    /** Names of registered nodes whose lease is gone while they still hold an address. */
    public List<String> downNodesHoldingAddresses() {
        java.util.Set<String> alive = new java.util.HashSet<>();
        store.listKeys(keys.alive()).entries().forEach(e -> alive.add(Keys.nameIn(keys.alive(), e.key())));
        java.util.Set<String> holding = new java.util.HashSet<>();
        store.list(keys.containers()).entries().forEach(e -> holding.add(StoredJson.read(e, Stored.Container.class).node()));
        List<String> down = new ArrayList<>();
        for (Entry entry : store.list(keys.nodes()).entries()) {
            Stored.Node node = StoredJson.read(entry, Stored.Node.class);
            if (!alive.contains(node.name()) && !node.leaving() && (node.bridgeIp() != null || holding.contains(node.name()))) {
                down.add(node.name());
            }
        }
        return down;
    }

    /** Removes the node's containers with their addresses, a batch per transaction, each pair atomically. */
    private void removeContainersOf(String nodeName, List<String> released, List<String> names) {
        for (int round = 0; round < ROUNDS; round++) {
            List<Entry> mine = store.list(keys.containers()).entries().stream()
                    .filter(e -> StoredJson.read(e, Stored.Container.class).node().equals(nodeName))
                    .toList();
            if (mine.isEmpty()) {
                return;
            }
            for (int from = 0; from < mine.size(); from += CONTAINERS_PER_TXN) {
                List<Entry> batch = mine.subList(from, Math.min(mine.size(), from + CONTAINERS_PER_TXN));
                Txn txn = Txn.create();
                List<Stored.Container> removed = new ArrayList<>();
                for (Entry e : batch) {
                    Stored.Container container = StoredJson.read(e, Stored.Container.class);
                    txn.ifUnchanged(e).delete(e.key()).delete(keys.ip(InterfaceAddress.parse(container.ip()).address()));
                    removed.add(container);
                }
                if (store.commit(txn).succeeded()) {
                    removed.forEach(c -> {
                        names.add(c.name());
                        released.add(InterfaceAddress.parse(c.ip()).address().toString());
                    });
                }
            }
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "containers of node '" + nodeName + "' kept changing; try again");
    }

    /** When the last node has left and no address is held, the cluster may start over with another segment. */
    private void resetSegmentIfEmpty() {
        Optional<Entry> subnet = store.get(keys.subnet());
        if (subnet.isEmpty() || !store.listKeys(keys.nodes()).entries().isEmpty()
                || !store.listKeys(keys.ips()).entries().isEmpty()) {
            return;
        }
        if (store.commit(Txn.create().ifUnchanged(subnet.get()).delete(keys.subnet())).succeeded()) {
            log.info("the last node left: segment {} is free again", subnet.get().text());
        }
    }

    static Entry requireNode(Entry entry, String name) {
        if (entry == null) {
            throw new TramaException(ErrorCode.NOT_FOUND, "node '" + name + "' is not in the cluster");
        }
        return entry;
    }
}
