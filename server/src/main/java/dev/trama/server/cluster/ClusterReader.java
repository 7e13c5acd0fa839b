package dev.trama.server.cluster;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.Report;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cluster as consoles see it, and the metrics nodes report. */
public final class ClusterReader {

    private static final Logger log = LoggerFactory.getLogger(ClusterReader.class);

    private final KeyValueStore store;
    private final Keys keys;
    private final Clock clock;

    public ClusterReader(KeyValueStore store, Keys keys, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.clock = clock;
    }

    public ClusterView view() {
        String subnet = store.get(keys.subnet()).map(Entry::text).orElse(null);
        List<Stored.Container> containers = store.list(keys.containers()).entries().stream()
                .map(e -> StoredJson.read(e, Stored.Container.class))
                .sorted(Comparator.comparing(Stored.Container::name))
                .toList();
        Map<String, Stored.Metrics> metrics = new HashMap<>();
        store.list(keys.metrics()).entries().forEach(e -> {
            Stored.Metrics m = StoredJson.read(e, Stored.Metrics.class);
            metrics.put(m.node(), m);
        });
        Map<String, Integer> perNode = new HashMap<>();
        containers.forEach(c -> perNode.merge(c.node(), 1, Integer::sum));
        java.util.Set<String> alive = new java.util.HashSet<>();
        store.listKeys(keys.alive()).entries().forEach(e -> alive.add(Keys.nameIn(keys.alive(), e.key())));
        List<NodeInfo> nodes = store.list(keys.nodes()).entries().stream()
                .map(e -> StoredJson.read(e, Stored.Node.class))
                .sorted(Comparator.comparing(Stored.Node::name))
                .map(n -> nodeInfo(n, alive.contains(n.name()), metrics.get(n.name()), perNode.getOrDefault(n.name(), 0)))
                .toList();
        return new ClusterView(subnet, containers.stream().map(Containers::info).toList(), nodes);
    }

    private static NodeInfo nodeInfo(Stored.Node node, boolean up, Stored.Metrics metrics, int containers) {
        Double cpu = metrics == null || !up ? null : Math.round(metrics.cpuPercent() * 10) / 10.0;
        Long free = metrics == null || !up ? null : metrics.freeMemMb();
        return new NodeInfo(node.name(), node.address(), up ? NodeInfo.UP : NodeInfo.DOWN, cpu, free, containers, node.bridgeIp());
    }

    /** Keeps a node's latest metrics; reports of nodes not in the cluster are dropped. */
    public void record(Report.Metrics report) {
        Optional<Entry> node = store.get(keys.node(report.node()));
        if (node.isEmpty()) {
            log.debug("metrics from unknown node {} dropped", report.node());
            return;
        }
        Stored.Metrics metrics = new Stored.Metrics(report.node(), report.cpuPercent(), report.freeMemMb(),
                report.totalMemMb(), clock.millis());
        store.commit(Txn.create().ifUnchanged(node.get()).put(keys.metrics(report.node()), StoredJson.bytes(metrics)));
    }

}
