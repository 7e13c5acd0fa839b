package dev.trama.server.cluster;

import dev.trama.net.Cidr;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.Replies.Released;
import dev.trama.protocol.ServerRequest.ConfigureNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Nodes joining, taking their share of the segment, and leaving. */
public final class Nodes {

    private static final Logger log = LoggerFactory.getLogger(Nodes.class);
    private static final int ROUNDS = 8;
    /** etcd allows 128 operations per transaction; a container takes two. */
    private static final int CONTAINERS_PER_TXN = 50;

    private final KeyValueStore store;
    private final Keys keys;
    private final Ipam ipam;
    private final Clock clock;
    private final String clusterId;

    public Nodes(KeyValueStore store, Keys keys, Ipam ipam, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.ipam = ipam;
        this.clock = clock;
        this.clusterId = ensureClusterId();
    }

    public String clusterId() {
        return clusterId;
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
        String nodeKey = keys.node(request.name());
        String addressKey = keys.nodeAddress(request.address());
        Stored.Node node = new Stored.Node(request.name(), request.address(), null, false, clock.millis());
        TxnResult result = store.commit(Txn.create()
                .ifAbsent(nodeKey)
                .ifAbsent(addressKey)
                .put(nodeKey, StoredJson.bytes(node))
                .put(addressKey, request.name())
                .readOnFailure(nodeKey)
                .readOnFailure(addressKey)
                .readOnFailure(keys.subnet()));
        if (result.succeeded()) {
            log.info("node {} registered from {}", request.name(), request.address());
            return new NodeRegistered(clusterId, request.name(), store.get(keys.subnet()).map(Entry::text).orElse(null), null);
        }
        String subnet = result.read(keys.subnet()).map(Entry::text).orElse(null);
        Optional<Stored.Node> existing = result.read(nodeKey).map(e -> StoredJson.read(e, Stored.Node.class));
        if (existing.isPresent() && existing.get().address().equals(request.address()) && !existing.get().leaving()) {
            log.info("node {} registered again from {}", request.name(), request.address());
            return new NodeRegistered(clusterId, request.name(), subnet, existing.get().bridgeIp());
        }
        if (existing.isPresent()) {
            throw new TramaException(ErrorCode.ALREADY_EXISTS, existing.get().leaving()
                    ? "node '" + request.name() + "' is still leaving the cluster; try again in a moment"
                    : "node name '" + request.name() + "' is already registered from " + existing.get().address());
        }
        String holder = result.read(addressKey).map(Entry::text).orElse("another node");
        throw new TramaException(ErrorCode.ALREADY_EXISTS,
                "address " + request.address() + " is already registered by node '" + holder + "'");
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
        throw new TramaException(ErrorCode.UNAVAILABLE, "containers of node '" + nodeName + "' kept changing while it left; try again");
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
