package dev.trama.server.cluster;

import static dev.trama.server.cluster.MembershipTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ContainerState;
import dev.trama.protocol.ContainerStatus;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.Replies;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.ForgetTombstones;
import dev.trama.protocol.ServerRequest.GetAssignments;
import dev.trama.protocol.ServerRequest.Heartbeat;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two clocks: a node whose heartbeats stop is shown down as soon as its lease lapses (2 s) and keeps
 * everything; only past its grace is what it held released. Time is the test's: leases lapse when it says.
 */
class LivenessTest {

    private ClusterFixture cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Nodes n1..n{count} on 10.10.0.0/24, "web" running on n2; only n1 keeps sending heartbeats. */
    private void cluster(int count, Duration releaseAfter) {
        cluster = new ClusterFixture(Duration.ofSeconds(2), releaseAfter);
        for (int i = 1; i <= count; i++) {
            cluster.membership.register(new RegisterNode("n" + i, "192.0.2.1" + i));
            cluster.segment.configure(new ConfigureNode("n" + i, "10.10.0.0/24"));
        }
        cluster.containers.launch(new LaunchContainer("t1", "n2", "web", "trama/base", null, Map.of(), List.of()));
        cluster.containers.outcome(new Report.TaskOutcome("t1", "n2", true, null));
    }

    /** Time passes while only n1 sends heartbeats (one a second), then the nodes are checked. */
    private void pass(Duration duration) {
        for (Duration left = duration; !left.isNegative() && !left.isZero(); left = left.minusSeconds(1)) {
            cluster.membership.heartbeat(new Heartbeat("n1", cluster.clusterId));
            cluster.pass(left.compareTo(Duration.ofSeconds(1)) < 0 ? left : Duration.ofSeconds(1));
        }
        cluster.liveness.sweep();
    }

    private void awaitLeaseLapsed(String node) {
        pass(Duration.ofSeconds(3));
        assertThat(cluster.store.get(cluster.keys.alive(node))).isEmpty();
    }

    private NodeInfo node(String name) {
        return cluster.reader.view().nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aSilentNodeIsShownDownAtOnceAndKeepsEverythingWithinItsGrace() {
        cluster(2, Duration.ofSeconds(60));
        List<String> addresses = cluster.keysUnder(cluster.keys.ips());
        awaitLeaseLapsed("n2");

        ClusterView view = cluster.reader.view();
        assertThat(node("n2").status()).isEqualTo(NodeInfo.Status.DOWN);
        assertThat(node("n2").bridgeIp()).isEqualTo("10.10.0.2/24");
        assertThat(node("n2").releaseAt()).isEqualTo(cluster.clock.instant().plusSeconds(60).toString());
        assertThat(view.containers()).extracting(ContainerInfo::name, ContainerInfo::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", ContainerStatus.of(ContainerState.UNKNOWN)));
        assertThat(cluster.keysUnder(cluster.keys.ips())).isEqualTo(addresses);
        assertCode(() -> cluster.containers.launch(new LaunchContainer("t2", "n2", "late", "trama/base", null, null, null)),
                ErrorCode.UNAVAILABLE, "node 'n2' is down");
        assertCode(() -> cluster.membership.heartbeat(new Heartbeat("n2", cluster.clusterId)), ErrorCode.NOT_FOUND,
                "node 'n2' missed its heartbeats and is shown down; it must register again");

        pass(Duration.ofSeconds(57));
        // back within its grace: everything as it was, nothing to take again
        Replies.NodeRegistered back = cluster.membership.register(new RegisterNode("n2", "192.0.2.12", cluster.clusterId));
        assertThat(back.bridgeIp()).isEqualTo("10.10.0.2/24");
        assertThat(cluster.reader.view().containers()).extracting(ContainerInfo::state).containsExactly(ContainerStatus.of(ContainerState.RUNNING));
        assertThat(node("n2").status()).isEqualTo(NodeInfo.Status.UP);
        assertThat(node("n2").releaseAt()).isNull();
        assertThat(cluster.keysUnder(cluster.keys.ips())).isEqualTo(addresses);

        cluster.membership.heartbeat(new Heartbeat("n2", cluster.clusterId));
        pass(Duration.ofSeconds(1));
        cluster.clock.advance(Duration.ofMinutes(5));
        cluster.liveness.sweep();
        assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactly("web");
    }

    @Test
    void pastItsGraceADownNodesContainersAreReleasedEachWithATombstone() {
        cluster(2, Duration.ofSeconds(60));
        awaitLeaseLapsed("n2");
        pass(Duration.ofSeconds(58));
        assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactly("web");

        pass(Duration.ofSeconds(2));
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
        assertThat(cluster.keysUnder(cluster.keys.ips())).containsExactly("10.10.0.1");
        assertThat(node("n2").bridgeIp()).isNull();
        assertThat(node("n2").releaseAt()).isNull();
        assertThat(cluster.keysUnder(cluster.keys.tombstones("n2"))).containsExactly("t1");
        assertThat(((Task.Members) cluster.published.get(cluster.published.size() - 1).task()).addresses())
                .as("the others stop accepting its VXLAN").containsExactly("192.0.2.11");

        // when it comes back it learns what to remove, and why; then the tombstones go
        assertThat(cluster.membership.register(new RegisterNode("n2", "192.0.2.12", cluster.clusterId)).bridgeIp()).isNull();
        Replies.Assignments assignments = cluster.containers.assignments(new GetAssignments("n2"));
        assertThat(assignments.launches()).isEmpty();
        assertThat(assignments.tombstones()).containsExactly(
                new Replies.Tombstone("web", "t1", "node 'n2' was down for longer than 60 s"));
        cluster.containers.forgetTombstones(new ForgetTombstones("n2", List.of("t1")));
        assertThat(cluster.keysUnder(cluster.keys.tombstones("n2"))).isEmpty();
        assertThat(cluster.segment.configure(new ConfigureNode("n2", "10.10.0.0/24")).bridgeIp()).startsWith("10.10.0.");
    }

    @Test
    void withoutGraceADownNodeIsReleasedAtOnce() {
        cluster(2, Duration.ZERO);
        awaitLeaseLapsed("n2");
        assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
        assertThat(cluster.keysUnder(cluster.keys.tombstones("n2"))).containsExactly("t1");
    }

    @Test
    void nothingIsReleasedWhileMostNodesAreDownAtOnce() {
        cluster(3, Duration.ofSeconds(60));
        cluster.containers.launch(new LaunchContainer("t3", "n3", "db", "trama/base", null, Map.of(), List.of()));
        awaitLeaseLapsed("n2");
        assertThat(cluster.store.get(cluster.keys.alive("n3"))).isEmpty();
        pass(Duration.ofMinutes(10));
        assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactlyInAnyOrder("web", "db");

        // one comes back: the other is alone down, and released as its grace is long over
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12", cluster.clusterId));
        cluster.liveness.sweep();
        assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactly("web");
        assertThat(cluster.keysUnder(cluster.keys.tombstones("n3"))).containsExactly("t3");
    }

    @Test
    void theGraceCarriesOnFromWhatTheStoreHoldsAfterAServerRestart() {
        cluster(2, Duration.ofSeconds(60));
        awaitLeaseLapsed("n2");
        Instant releaseAt = Instant.parse(node("n2").releaseAt());
        cluster.liveness.close();

        cluster.clock.advance(Duration.ofSeconds(30));
        try (Liveness restarted = new Liveness(cluster.store, cluster.keys, cluster.containers, cluster.segment,
                cluster.clock, Duration.ofSeconds(60), cluster.dispatch, Executors.newSingleThreadExecutor())) {
            restarted.sweep();
            assertThat(Instant.parse(node("n2").releaseAt())).isEqualTo(releaseAt);
            assertThat(cluster.keysUnder(cluster.keys.containers())).containsExactly("web");
            cluster.clock.advance(Duration.ofSeconds(31));
            restarted.sweep();
            assertThat(cluster.keysUnder(cluster.keys.containers())).isEmpty();
        }
    }

    @Test
    void heartbeatsKeepANodeUpPastItsTimeout() {
        cluster = new ClusterFixture(Duration.ofSeconds(2), Duration.ofSeconds(60));
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        pass(Duration.ofSeconds(30));
        assertThat(node("n1").status()).isEqualTo(NodeInfo.Status.UP);
        assertThat(cluster.membership.heartbeatMillis()).isEqualTo(500);
    }

    @Test
    void aNodeNeverRegisteredHasNoHeartbeat() {
        cluster = new ClusterFixture();
        assertCode(() -> cluster.membership.heartbeat(new Heartbeat("ghost", cluster.clusterId)), ErrorCode.NOT_FOUND,
                "node 'ghost' is not in the cluster");
    }
}
