package dev.trama.server.cluster;

import static dev.trama.server.cluster.NodesTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.Heartbeat;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.RegisterNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nodes whose heartbeats stop are declared down and give back what they held (real lease expiry, 2 s). */
class LivenessTest {

    private final ClusterFixture cluster = new ClusterFixture(java.time.Duration.ofSeconds(2));
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() {
        beats.shutdownNow();
        cluster.close();
    }

    @Test
    void aSilentNodeIsDeclaredDownAndItsAddressesAreFreeAgain() {
        cluster.nodes.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.nodes.register(new RegisterNode("n2", "192.0.2.12"));
        cluster.nodes.configure(new ConfigureNode("n1", "10.10.0.0/24"));
        cluster.nodes.configure(new ConfigureNode("n2", "10.10.0.0/24"));
        cluster.containers.launch(new LaunchContainer("t1", "n2", "web", "trama/base", null, Map.of(), List.of()));
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
        beats.scheduleAtFixedRate(() -> cluster.nodes.heartbeat(new Heartbeat("n1")), 0, 300, TimeUnit.MILLISECONDS);

        NodeLiveness liveness = new NodeLiveness(cluster.store, cluster.keys, cluster.nodes, Executors.newSingleThreadExecutor());
        liveness.sweep();
        await().atMost(6, TimeUnit.SECONDS).untilAsserted(() -> {
            ClusterView view = cluster.reader.view();
            assertThat(view.nodes()).extracting(NodeInfo::name, NodeInfo::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("n1", "up"), org.assertj.core.groups.Tuple.tuple("n2", "down"));
            assertThat(view.containers()).isEmpty();
        });
        assertThat(cluster.keysUnder(cluster.keys.ips())).containsExactly("10.10.0.1");
        assertThat(cluster.reader.view().nodes().get(1).bridgeIp()).isNull();
        assertCode(() -> cluster.nodes.heartbeat(new Heartbeat("n2")), ErrorCode.NOT_FOUND,
                "node 'n2' was declared down; it must register again");
        assertCode(() -> cluster.containers.launch(new LaunchContainer("t2", "n2", "late", "trama/base", null, null, null)),
                ErrorCode.UNAVAILABLE, "node 'n2' is down");

        // it comes back: up again, with its share to take again
        assertThat(cluster.nodes.register(new RegisterNode("n2", "192.0.2.12")).bridgeIp()).isNull();
        assertThat(cluster.reader.view().nodes().get(1).status()).isEqualTo("up");
        assertThat(cluster.nodes.configure(new ConfigureNode("n2", "10.10.0.0/24")).bridgeIp()).startsWith("10.10.0.");
        liveness.close();
    }

    @Test
    void heartbeatsKeepANodeUpPastItsTimeout() throws InterruptedException {
        cluster.nodes.register(new RegisterNode("n1", "192.0.2.11"));
        beats.scheduleAtFixedRate(() -> cluster.nodes.heartbeat(new Heartbeat("n1")), 0, 400, TimeUnit.MILLISECONDS);
        Thread.sleep(3_500);
        assertThat(cluster.reader.view().nodes().get(0).status()).isEqualTo("up");
        assertThat(cluster.nodes.heartbeatMillis()).isEqualTo(500);
    }

    @Test
    void aNodeNeverRegisteredHasNoHeartbeat() {
        assertCode(() -> cluster.nodes.heartbeat(new Heartbeat("ghost")), ErrorCode.NOT_FOUND, "node 'ghost' is not in the cluster");
    }
}
