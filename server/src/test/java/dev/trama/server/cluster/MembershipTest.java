package dev.trama.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.ServerRequest.ConfigureNode;
import dev.trama.protocol.ServerRequest.LaunchContainer;
import dev.trama.protocol.ServerRequest.LeaveNode;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.ServerRequest.Heartbeat;
import dev.trama.protocol.Task;
import dev.trama.protocol.VxlanMode;
import dev.trama.protocol.TramaException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MembershipTest {

    private final ClusterFixture cluster = new ClusterFixture();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aNodeRegistersOnceByNameAndByAddress() {
        NodeRegistered first = cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        assertThat(first.clusterId()).isEqualTo(cluster.clusterId);
        assertThat(first.subnet()).isNull();

        assertCode(() -> cluster.membership.register(new RegisterNode("n1", "192.0.2.99")), ErrorCode.ALREADY_EXISTS,
                "node name 'n1' is already registered from 192.0.2.11");
        assertCode(() -> cluster.membership.register(new RegisterNode("n2", "192.0.2.11")), ErrorCode.ALREADY_EXISTS,
                "address 192.0.2.11 is already registered by node 'n1'");
        assertThat(cluster.keysUnder(cluster.keys.nodes())).containsExactly("n1");
    }

    @Test
    void theSameNodeRegisteringAgainIsWelcomedBackWithItsShare() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16"));
        NodeRegistered again = cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        assertThat(again.subnet()).isEqualTo("10.10.0.0/16");
        assertThat(again.bridgeIp()).isEqualTo("10.10.0.1/16");
    }

    @Test
    void theFirstConfigurationSetsTheSegmentAndLaterOnesMustMatch() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12"));
        NodeConfigured first = cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16"));
        assertThat(first.bridgeIp()).isEqualTo("10.10.0.1/16");
        assertCode(() -> cluster.segment.configure(new ConfigureNode("n2", "10.20.0.0/16")), ErrorCode.SEGMENT_CONFLICT,
                "the cluster's segment is 10.10.0.0/16, not 10.20.0.0/16; configure this node with 10.10.0.0/16");
        assertThat(cluster.segment.configure(new ConfigureNode("n2", "10.10.0.0/16")).bridgeIp()).isEqualTo("10.10.0.2/16");
        // configuring again is idempotent
        assertThat(cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16")).bridgeIp()).isEqualTo("10.10.0.1/16");
        assertThat(cluster.keysUnder(cluster.keys.ips())).containsExactlyInAnyOrder("10.10.0.1", "10.10.0.2");
    }

    @Test
    void theFirstConfigurationSetsTheVxlanModeLaterNodesAreOfferedItAndAnotherIsRefused() {
        NodeRegistered before = cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        assertThat(before.vxlan()).as("no segment, no mode").isNull();
        assertThat(cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16", VxlanMode.UNICAST)).vxlan())
                .isEqualTo(VxlanMode.UNICAST);
        assertThat(cluster.published.get(cluster.published.size() - 1).task()).as("the others learn its bridge")
                .isEqualTo(new Task.Members(List.of(new Task.Member("n1", "192.0.2.11", "10.10.0.1/16"))));
        assertThat(cluster.membership.register(new RegisterNode("n2", "192.0.2.12")).vxlan()).as("offered")
                .isEqualTo(VxlanMode.UNICAST);
        assertCode(() -> cluster.segment.configure(new ConfigureNode("n2", "10.10.0.0/16", VxlanMode.MULTICAST)),
                ErrorCode.SEGMENT_CONFLICT, "the cluster's VXLAN mode is unicast, not multicast; configure this node with "
                        + "--vxlan unicast");
        assertThat(cluster.keysUnder(cluster.keys.ips())).containsExactly("10.10.0.1");
        // no mode asked: the cluster's
        assertThat(cluster.segment.configure(new ConfigureNode("n2", "10.10.0.0/16")).vxlan()).isEqualTo(VxlanMode.UNICAST);
        assertThat(cluster.membership.register(new RegisterNode("n1", "192.0.2.11")).vxlan()).isEqualTo(VxlanMode.UNICAST);

        // once every node has left, the next cluster chooses again
        cluster.membership.leave(new LeaveNode("n1"));
        cluster.membership.leave(new LeaveNode("n2"));
        assertThat(cluster.store.get(cluster.keys.vxlan())).isEmpty();
        cluster.membership.register(new RegisterNode("n3", "192.0.2.13"));
        assertThat(cluster.segment.configure(new ConfigureNode("n3", "10.10.0.0/16")).vxlan()).isEqualTo(VxlanMode.MULTICAST);
    }

    @Test
    void aNodesLanMtuReachesEveryNodeWhenItChanges() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12"));
        int before = cluster.published.size();
        cluster.reader.record(new dev.trama.protocol.Report.Metrics("n2", 5, 100, 200, List.of(), 1400));
        assertThat(cluster.published.get(cluster.published.size() - 1).task()).isEqualTo(new Task.Members(List.of(N1,
                new Task.Member("n2", "192.0.2.12", null, 1400))));
        assertThat(cluster.reader.view().nodes()).extracting(dev.trama.protocol.NodeInfo::lanMtu).containsExactly(null, 1400);
        // the same again, or none known: nothing more is published
        int after = cluster.published.size();
        cluster.reader.record(new dev.trama.protocol.Report.Metrics("n2", 5, 100, 200, List.of(), 1400));
        cluster.reader.record(new dev.trama.protocol.Report.Metrics("n2", 5, 100, 200, List.of(), 0));
        assertThat(cluster.published).hasSize(after).hasSizeGreaterThan(before);
    }

    @Test
    void aClusterMadeBeforeVxlanModesIsMulticast() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16"));
        cluster.store.commit(dev.trama.server.store.Txn.create().delete(cluster.keys.vxlan()));
        assertThat(cluster.membership.register(new RegisterNode("n1", "192.0.2.11")).vxlan()).isEqualTo(VxlanMode.MULTICAST);
        assertCode(() -> cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16", VxlanMode.UNICAST)),
                ErrorCode.SEGMENT_CONFLICT, "the cluster's VXLAN mode is multicast, not unicast; configure this node with "
                        + "--vxlan multicast");
    }

    @Test
    void anUnknownNodeCannotBeConfigured() {
        assertCode(() -> cluster.segment.configure(new ConfigureNode("ghost", "10.10.0.0/16")), ErrorCode.NOT_FOUND,
                "node 'ghost' is not in the cluster");
        assertThat(cluster.store.get(cluster.keys.subnet())).isEmpty();
    }

    @Test
    void aNodeOfAnotherClusterIsRefusedAndNothingIsWritten() {
        assertCode(() -> cluster.membership.register(new RegisterNode("n1", "192.0.2.11", "0ther000")),
                ErrorCode.WRONG_CLUSTER, "this server serves cluster " + cluster.clusterId + ", but node 'n1' belongs to cluster 0ther000");
        assertThat(cluster.keysUnder(cluster.keys.nodes())).isEmpty();
        assertThat(cluster.keysUnder(cluster.keys.alive())).isEmpty();
        // its own cluster's id, or none on a first join, is welcome
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11", cluster.clusterId));
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12"));
        assertThat(cluster.keysUnder(cluster.keys.nodes())).containsExactly("n1", "n2");
        assertCode(() -> cluster.membership.heartbeat(new Heartbeat("n1", "0ther000")), ErrorCode.WRONG_CLUSTER,
                "this server serves cluster " + cluster.clusterId + ", but node 'n1' belongs to cluster 0ther000");
    }

    private static final Task.Member N1 = new Task.Member("n1", "192.0.2.11", null);
    private static final Task.Member N2 = new Task.Member("n2", "192.0.2.12", null);

    @Test
    void everyNodeIsToldTheMembersAsTheyJoinAndLeave() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12"));
        cluster.membership.leave(new LeaveNode("n1"));
        assertThat(cluster.published).extracting(ClusterFixture.Published::topic, ClusterFixture.Published::task).containsExactly(
                org.assertj.core.groups.Tuple.tuple("*", new Task.Members(List.of(N1))),
                org.assertj.core.groups.Tuple.tuple("*", new Task.Members(List.of(N1, N2))),
                org.assertj.core.groups.Tuple.tuple("*", new Task.Members(List.of(N2))));
    }

    @Test
    void theClusterIdIsMadeOnceAndKept() {
        assertThat(cluster.clusterId).hasSize(8);
        assertThat(ClusterIdentity.ensure(cluster.store, cluster.keys)).isEqualTo(cluster.clusterId);
    }

    @Test
    void leavingRemovesTheNodeItsContainersAndItsAddresses() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12"));
        cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16"));
        cluster.segment.configure(new ConfigureNode("n2", "10.10.0.0/16"));
        for (int i = 0; i < 120; i++) {
            cluster.containers.launch(new LaunchContainer("t" + i, i % 2 == 0 ? "n1" : "n2", "c" + i, "trama/base",
                    null, Map.of(), List.of()));
        }
        NodeLeft left = cluster.membership.leave(new LeaveNode("n1"));
        assertThat(left.containers()).hasSize(60);
        assertThat(left.released()).hasSize(61).contains("10.10.0.1");
        assertThat(cluster.keysUnder(cluster.keys.nodes())).containsExactly("n2");
        assertThat(cluster.keysUnder(cluster.keys.containers())).hasSize(60);
        assertThat(cluster.keysUnder(cluster.keys.ips())).hasSize(61).doesNotContain("10.10.0.1");
        assertThat(cluster.store.get(cluster.keys.nodeAddress("192.0.2.11"))).isEmpty();
        // the address may join again, under another name
        cluster.membership.register(new RegisterNode("n1b", "192.0.2.11"));
        // leaving twice is harmless
        assertThat(cluster.membership.leave(new LeaveNode("n1")).released()).isEmpty();
    }

    @Test
    void whenTheLastNodeLeavesTheSegmentIsFreeAgain() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16"));
        cluster.membership.leave(new LeaveNode("n1"));
        assertThat(cluster.store.get(cluster.keys.subnet())).isEmpty();
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        assertThat(cluster.segment.configure(new ConfigureNode("n1", "10.30.0.0/24")).bridgeIp()).isEqualTo("10.30.0.1/24");
    }

    @Test
    void aLeavingNodeTakesNoNewContainers() {
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11"));
        cluster.segment.configure(new ConfigureNode("n1", "10.10.0.0/16"));
        cluster.membership.register(new RegisterNode("n2", "192.0.2.12"));
        cluster.segment.configure(new ConfigureNode("n2", "10.10.0.0/16"));
        cluster.membership.leave(new LeaveNode("n1"));
        assertCode(() -> cluster.containers.launch(new LaunchContainer("t9", "n1", "late", "trama/base", null, null, null)),
                ErrorCode.NOT_FOUND, "node 'n1' is not in the cluster");
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOf(TramaException.class).hasMessage(message)
                .extracting(e -> ((TramaException) e).code()).isEqualTo(code);
    }
}
