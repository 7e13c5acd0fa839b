package dev.trama.server.cluster;

import dev.trama.protocol.Task;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.MemoryStore;
import dev.trama.server.store.MutableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The cluster logic on an in-memory store, with published tasks captured in a list. */
final class ClusterFixture implements AutoCloseable {

    record Published(String topic, Task task) {
    }

    final KeyValueStore store = new MemoryStore();
    final Keys keys = new Keys("/t/");
    final Ipam ipam = new Ipam(store, keys.ips());
    final List<Published> published = new CopyOnWriteArrayList<>();
    final Dispatch dispatch = new Dispatch() {
        @Override
        public void toNode(String node, Task task) {
            published.add(new Published(node, task));
        }

        @Override
        public void toAll(Task task) {
            published.add(new Published("*", task));
        }
    };
    final MutableClock clock = new MutableClock();
    final Nodes nodes;
    ClusterFixture() {
        this(java.time.Duration.ofMinutes(5));
    }

    /** @param nodeTimeout how long nodes stay up without heartbeats (real time: leases expire by the wall clock) */
    ClusterFixture(java.time.Duration nodeTimeout) {
        nodes = new Nodes(store, keys, ipam, clock, nodeTimeout);
    }

    final Containers containers = new Containers(store, keys, ipam, dispatch, clock);
    final ClusterReader reader = new ClusterReader(store, keys, clock);
    final TaskSweeper sweeper = new TaskSweeper(store, keys, dispatch, clock, java.time.Duration.ofSeconds(45),
            java.time.Duration.ofMinutes(10));

    List<String> keysUnder(String prefix) {
        return store.listKeys(prefix).entries().stream().map(e -> e.key().substring(prefix.length())).toList();
    }

    @Override
    public void close() {
        ipam.close();
        store.close();
    }
}
