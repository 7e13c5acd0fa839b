package dev.trama.server.cluster;

import dev.trama.protocol.Task;
import dev.trama.server.ipam.Ipam;
import dev.trama.server.store.MemoryStore;
import dev.trama.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The cluster logic on an in-memory store, with published tasks captured in a list and a clock moved by hand. */
final class ClusterFixture implements AutoCloseable {

    record Published(String topic, Task task) {
    }

    final ManualClock clock = new ManualClock();
    final MemoryStore store = new MemoryStore(clock);
    final Keys keys = new Keys("/t/");
    final String clusterId = ClusterIdentity.ensure(store, keys);
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
    final Containers containers = new Containers(store, keys, ipam, dispatch, clock, clusterId);
    final Segment segment = new Segment(store, keys, ipam, clusterId, dispatch);
    final Membership membership;
    final Liveness liveness;
    final Members members;
    final ClusterSecrets secrets = new ClusterSecrets(store, keys);
    final ClusterReader reader = new ClusterReader(store, keys, clock, dispatch);
    final TaskSweeper sweeper = new TaskSweeper(store, keys, dispatch, clock, Duration.ofSeconds(45), Duration.ofMinutes(10));
    private final ExecutorService work = Executors.newSingleThreadExecutor();

    ClusterFixture() {
        this(Duration.ofMinutes(5), Duration.ofSeconds(60));
    }

    /** As {@link #ClusterFixture()}, in a secure cluster: nodes are their keys, and join with a token. */
    static ClusterFixture secure() {
        return new ClusterFixture(Duration.ofMinutes(5), Duration.ofSeconds(60), true);
    }

    ClusterFixture(Duration nodeTimeout, Duration releaseAfter) {
        this(nodeTimeout, releaseAfter, false);
    }

    /**
     * @param nodeTimeout  how long nodes stay up without heartbeats
     * @param releaseAfter how long a down node keeps what it holds
     *                     (both by {@link #clock}; leases lapse when {@link #pass} says so)
     */
    private ClusterFixture(Duration nodeTimeout, Duration releaseAfter, boolean secure) {
        members = secure ? new Members(store, keys) : null;
        if (secure) {
            members.follow();
        }
        membership = new Membership(store, keys, clusterId, clock, nodeTimeout, containers, segment, members, secrets, dispatch);
        liveness = new Liveness(store, keys, containers, segment, clock, releaseAfter, dispatch, work);
    }

    /** Time passes: the clock moves, and leases it outlived lapse as etcd's would. */
    void pass(Duration duration) {
        clock.advance(duration);
        store.expireLeases();
    }

    List<String> keysUnder(String prefix) {
        return store.listKeys(prefix).entries().stream().map(e -> e.key().substring(prefix.length())).toList();
    }

    @Override
    public void close() {
        if (members != null) {
            members.close();
        }
        liveness.close();
        work.shutdownNow();
        ipam.close();
        store.close();
    }
}
