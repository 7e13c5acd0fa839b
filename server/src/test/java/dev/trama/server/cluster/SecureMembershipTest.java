package dev.trama.server.cluster;

import static dev.trama.server.cluster.MembershipTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.ServerRequest.LeaveNode;
import dev.trama.protocol.ServerRequest.RegisterNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** In a secure cluster a node is its key: it joins with the cluster's secret, and no one takes its name. */
class SecureMembershipTest {

    private static final String KEY_1 = "k1".repeat(20);
    private static final String KEY_2 = "k2".repeat(20);

    private final ClusterFixture cluster = ClusterFixture.secure();

    @AfterEach
    void close() {
        cluster.close();
    }

    private RegisterNode join(String name, String address, String secret) {
        return new RegisterNode(name, address, null, secret);
    }

    @Test
    void aNewNodeJoinsOnlyWithTheClustersSecret() {
        assertCode(() -> cluster.membership.register(join("n1", "192.0.2.11", null), KEY_1), ErrorCode.NOT_ADMITTED,
                "node 'n1' is not a member of this cluster and brought no join token");
        assertCode(() -> cluster.membership.register(join("n1", "192.0.2.11", "0".repeat(32)), KEY_1), ErrorCode.NOT_ADMITTED,
                "the join token of node 'n1' is not valid for this cluster (it is another cluster's, or was rotated)");
        assertThat(cluster.keysUnder(cluster.keys.nodes())).isEmpty();

        cluster.membership.register(join("n1", "192.0.2.11", cluster.secrets.joinSecret()), KEY_1);
        assertThat(cluster.members.nodeOf(KEY_1)).contains("n1");
        // a member comes back by its key alone
        assertThat(cluster.membership.register(new RegisterNode("n1", "192.0.2.11", cluster.clusterId), KEY_1).node())
                .isEqualTo("n1");
    }

    @Test
    void aNameIsNeverTakenOverByAnotherKeyAndAKeyHoldsOneName() {
        String secret = cluster.secrets.joinSecret();
        cluster.membership.register(join("n1", "192.0.2.11", secret), KEY_1);
        assertCode(() -> cluster.membership.register(join("n1", "192.0.2.11", secret), KEY_2), ErrorCode.ALREADY_EXISTS,
                "node name 'n1' belongs to another node; 'trama leave' on that node frees it");
        assertCode(() -> cluster.membership.register(join("n2", "192.0.2.12", secret), KEY_1), ErrorCode.ALREADY_EXISTS,
                "this node's key already belongs to node 'n1'");
        assertThat(cluster.keysUnder(cluster.keys.nodes())).containsExactly("n1");

        // leaving frees the name: another node may join under it, with a token
        cluster.membership.leave(new LeaveNode("n1"));
        cluster.membership.register(join("n1", "192.0.2.11", secret), KEY_2);
        // the members are followed through a watch: they catch up a moment later
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(cluster.members.nodeOf(KEY_2)).contains("n1");
            assertThat(cluster.members.nodeOf(KEY_1)).isEmpty();
        });
    }

    @Test
    void aRotatedSecretAdmitsNoOneNewWhileMembersCarryOn() {
        String old = cluster.secrets.joinSecret();
        cluster.membership.register(join("n1", "192.0.2.11", old), KEY_1);
        String rotated = cluster.secrets.rotateJoinSecret();
        assertThat(rotated).isNotEqualTo(old);
        assertCode(() -> cluster.membership.register(join("n2", "192.0.2.12", old), KEY_2), ErrorCode.NOT_ADMITTED,
                "the join token of node 'n2' is not valid for this cluster (it is another cluster's, or was rotated)");
        cluster.membership.register(new RegisterNode("n1", "192.0.2.11", cluster.clusterId), KEY_1);
        cluster.membership.register(join("n2", "192.0.2.12", rotated), KEY_2);
        assertThat(cluster.keysUnder(cluster.keys.nodes())).containsExactly("n1", "n2");
    }

    @Test
    void theJoinTokenCarriesTheClusterAndItsServersKey() {
        var token = cluster.secrets.joinToken(false);
        assertThat(token.clusterId()).isEqualTo(cluster.clusterId);
        assertThat(token.serverKey()).isEqualTo(cluster.secrets.serverKey().publicKey()).hasSize(40);
        assertThat(token.secret()).isEqualTo(cluster.secrets.joinSecret());
        assertThat(cluster.secrets.joinToken(true).secret()).isNotEqualTo(token.secret());
        assertThat(cluster.secrets.serverKey()).isEqualTo(cluster.secrets.serverKey());
    }
}
