package dev.trama.server.cluster;

import dev.trama.net.Cidr;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.TramaException;
import dev.trama.protocol.VxlanMode;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import dev.trama.server.store.TxnResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's overlay segment and each node's share of it: the first node configured sets the segment and
 * the VXLAN mode, every node takes one address of it for its bridge, and when the last node has left both are
 * free to be chosen again.
 */
public final class Segment {

    private static final Logger log = LoggerFactory.getLogger(Segment.class);

    private final KeyValueStore store;
    private final Keys keys;
    private final Ipam ipam;
    private final String clusterId;
    private final Dispatch dispatch;

    /** @param dispatch where the members go when a node's bridge address is new: the other nodes reach it by it */
    public Segment(KeyValueStore store, Keys keys, Ipam ipam, String clusterId, Dispatch dispatch) {
        this.store = store;
        this.keys = keys;
        this.ipam = ipam;
        this.clusterId = clusterId;
        this.dispatch = dispatch;
    }

    public NodeConfigured configure(ConfigureNode request) {
        Cidr wanted = Cidr.parse(request.subnet());
        return Optimistic.until("the cluster state kept changing while configuring node '" + request.node() + "'; try again", () -> {
            Map<String, Entry> state = store.getAll(List.of(keys.subnet(), keys.vxlan(), keys.node(request.node())));
            Entry nodeEntry = Membership.requireNode(state.get(keys.node(request.node())), request.node());
            Stored.Node node = StoredJson.read(nodeEntry, Stored.Node.class);
            Entry subnetEntry = state.get(keys.subnet());
            // a cluster's mode is the one it was given with its segment (multicast for one made before modes)
            VxlanMode mode = subnetEntry != null ? Keys.vxlanMode(state.get(keys.vxlan()))
                    : request.vxlan() == null ? VxlanMode.MULTICAST : request.vxlan();
            if (subnetEntry != null) {
                Cidr current = Cidr.parse(subnetEntry.text());
                if (!current.equals(wanted)) {
                    throw new TramaException(ErrorCode.SEGMENT_CONFLICT, "the cluster's segment is " + current
                            + ", not " + wanted + "; configure this node with " + current);
                }
                if (request.vxlan() != null && request.vxlan() != mode) {
                    throw new TramaException(ErrorCode.SEGMENT_CONFLICT, "the cluster's VXLAN mode is " + mode + ", not "
                            + request.vxlan() + "; configure this node with --vxlan " + mode);
                }
                if (node.bridgeIp() != null && current.contains(InterfaceAddress.parse(node.bridgeIp()).address())) {
                    return Optional.of(new NodeConfigured(clusterId, node.name(), current.toString(), node.bridgeIp(), mode));
                }
            }
            Ipv4 bridge = ipam.allocate(wanted, candidate -> claimBridge(candidate, wanted, mode, subnetEntry, nodeEntry, node));
            String bridgeIp = InterfaceAddress.of(bridge, wanted).toString();
            log.info("node {} configured: bridge {} in {} ({} VXLAN)", node.name(), bridgeIp, wanted, mode);
            Roster.publish(store, keys, dispatch);
            return Optional.of(new NodeConfigured(clusterId, node.name(), wanted.toString(), bridgeIp, mode));
        });
    }

    private Ipam.Outcome claimBridge(Ipv4 candidate, Cidr subnet, VxlanMode mode, Entry subnetEntry, Entry nodeEntry,
                                     Stored.Node node) {
        String ipKey = keys.ip(candidate);
        String bridgeIp = InterfaceAddress.of(candidate, subnet).toString();
        Txn txn = Txn.create()
                .ifAbsent(ipKey)
                .ifUnchanged(nodeEntry)
                .put(ipKey, StoredJson.bytes(new Stored.Allocation(candidate.toString(), Stored.Holder.BRIDGE,
                        node.name(), node.name())))
                .put(nodeEntry.key(), StoredJson.bytes(node.withBridge(bridgeIp)))
                // the segment is written by every configure, so "the last node left, reset the segment" can
                // tell that someone configured meanwhile
                .put(keys.subnet(), subnet.toString())
                .readOnFailure(ipKey);
        if (subnetEntry == null) {
            txn.ifAbsent(keys.subnet()).put(keys.vxlan(), mode.word());
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

    /** Adds to {@code txn}: free the node's bridge address, if it has one; returns that address. */
    Optional<String> freeBridge(Txn txn, Stored.Node node) {
        if (node.bridgeIp() == null) {
            return Optional.empty();
        }
        Ipv4 bridge = InterfaceAddress.parse(node.bridgeIp()).address();
        txn.delete(keys.ip(bridge));
        return Optional.of(bridge.toString());
    }

    /** When the last node has left and no address is held, the cluster may start over with another segment. */
    void resetIfEmpty() {
        Optional<Entry> subnet = store.get(keys.subnet());
        if (subnet.isEmpty() || !store.listKeys(keys.nodes()).entries().isEmpty()
                || !store.listKeys(keys.ips()).entries().isEmpty()) {
            return;
        }
        if (store.commit(Txn.create().ifUnchanged(subnet.get()).delete(keys.subnet()).delete(keys.vxlan())).succeeded()) {
            log.info("the last node left: segment {} and the VXLAN mode are free again", subnet.get().text());
        }
    }
}
