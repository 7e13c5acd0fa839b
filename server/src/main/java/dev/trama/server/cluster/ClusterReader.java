package dev.trama.server.cluster;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.Report;
import dev.trama.protocol.VxlanMode;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as consoles see it, and the metrics nodes report. A down node's containers are shown in state
 * {@code unknown}: they are kept, and may well run, but nobody can tell until the node is back.
 */
public final class ClusterReader {

    private static final Logger log = LoggerFactory.getLogger(ClusterReader.class);

    private final KeyValueStore store;
    private final Keys keys;
    private final Clock clock;
    private final Dispatch dispatch;

    public ClusterReader(KeyValueStore store, Keys keys, Clock clock, Dispatch dispatch) {
        this.store = store;
        this.keys = keys;
        this.clock = clock;
        this.dispatch = dispatch;
    }

    public ClusterView view() {
        String subnet = store.get(keys.subnet()).map(Entry::text).orElse(null);
        VxlanMode vxlan = Keys.vxlanMode(store.get(keys.vxlan()).orElse(null));
        Set<String> alive = new HashSet<>();
        store.listKeys(keys.alive()).entries().forEach(e -> alive.add(Keys.nameIn(keys.alive(), e.key())));
        List<ContainerInfo> containers = store.list(keys.containers()).entries().stream()
                .map(e -> StoredJson.read(e, Stored.Container.class))
                .sorted(Comparator.comparing(Stored.Container::name))
                .map(c -> alive.contains(c.node()) ? Containers.info(c) : Containers.info(c).withState(ContainerState.UNKNOWN))
                .toList();
        Map<String, Stored.Metrics> metrics = new HashMap<>();
        store.list(keys.metrics()).entries().forEach(e -> {
            Stored.Metrics m = StoredJson.read(e, Stored.Metrics.class);
            metrics.put(m.node(), m);
        });
        Map<String, Integer> perNode = new HashMap<>();
        containers.forEach(c -> perNode.merge(c.node(), 1, Integer::sum));
        List<NodeInfo> nodes = store.list(keys.nodes()).entries().stream()
                .map(e -> StoredJson.read(e, Stored.Node.class))
                .sorted(Comparator.comparing(Stored.Node::name))
                .map(n -> nodeInfo(n, alive.contains(n.name()), metrics.get(n.name()), perNode.getOrDefault(n.name(), 0)))
                .toList();
        return new ClusterView(subnet, containers, nodes, vxlan, clock.millis());
    }

    private static NodeInfo nodeInfo(Stored.Node node, boolean up, Stored.Metrics metrics, int containers) {
        Double cpu = metrics == null || !up ? null : Math.round(metrics.cpuPercent() * 10) / 10.0;
        Long free = metrics == null || !up ? null : metrics.freeMemMb();
        String releaseAt = up || node.down() == null || node.down().released() ? null
                : Instant.ofEpochMilli(node.down().releaseAt()).toString();
        List<String> warnings = metrics == null || metrics.strays() == null ? List.of() : metrics.strays().stream()
                .map(name -> "container '" + name + "' runs on this node but the cluster does not know it; it was left running")
                .toList();
        return new NodeInfo(node.name(), node.address(), up ? NodeInfo.Status.UP : NodeInfo.Status.DOWN, cpu, free,
                containers, node.bridgeIp(), releaseAt, warnings, node.lanMtu() == 0 ? null : node.lanMtu());
    }

    /**
     * Keeps a node's latest metrics; reports of nodes not in the cluster are dropped. A LAN MTU other than the one
     * the node's record holds goes into the record, and the members, with it, to every node: the overlay's MTU
     * follows the smallest.
     */
    public void record(Report.Metrics report) {
        Optional<Entry> node = store.get(keys.node(report.node()));
        if (node.isEmpty()) {
            log.debug("metrics from unknown node {} dropped", report.node());
            return;
        }
        Stored.Metrics metrics = new Stored.Metrics(report.node(), report.cpuPercent(), report.freeMemMb(),
                report.totalMemMb(), clock.millis(), report.strays());
        Txn txn = Txn.create().ifUnchanged(node.get()).put(keys.metrics(report.node()), StoredJson.bytes(metrics));
        Stored.Node held = StoredJson.read(node.get(), Stored.Node.class);
        boolean mtuChanged = report.lanMtu() != 0 && report.lanMtu() != held.lanMtu();
        if (mtuChanged) {
            txn.put(node.get().key(), StoredJson.bytes(held.withLanMtu(report.lanMtu())));
        }
        if (store.commit(txn).succeeded() && mtuChanged) {
            log.info("node {} has a LAN MTU of {} (was {})", report.node(), report.lanMtu(),
                    held.lanMtu() == 0 ? "unknown" : held.lanMtu());
            Roster.publish(store, keys, dispatch);
        }
    }
}
