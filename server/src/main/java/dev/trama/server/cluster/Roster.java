package dev.trama.server.cluster;

import dev.trama.protocol.Task;
import dev.trama.server.store.KeyValueStore;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster's member nodes as the data path sees them: the LAN addresses each node accepts VXLAN from (and,
 * in unicast mode, sends to), with their bridges' addresses. A member is a registered node that is not leaving
 * and was not released (a node only shown down still is).
 */
final class Roster {

    private Roster() {
    }

    static List<Task.Member> members(KeyValueStore store, Keys keys) {
        return store.list(keys.nodes()).entries().stream()
                .map(e -> StoredJson.read(e, Stored.Node.class))
                .filter(n -> !n.leaving() && (n.down() == null || !n.down().released()))
                .map(n -> new Task.Member(n.name(), n.address(), n.bridgeIp(), n.lanMtu()))
                .sorted(Comparator.comparing(Task.Member::node))
                .toList();
    }

    /** Tells every node the members as they are now; a node that misses it learns them when it converges. */
    static void publish(KeyValueStore store, Keys keys, Dispatch dispatch) {
        dispatch.toAll(new Task.Members(members(store, keys)));
    }
}
