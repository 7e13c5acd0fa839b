package dev.trama.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMQ;

/** What a node remembers, readable by root only, and forgotten when it leaves. */
class NodeStateTest {

    @TempDir
    Path temp;

    @Test
    void aNodeMakesItsKeysOnceAndKeepsThemForItselfOnly() throws IOException {
        NodeState state = new NodeState(temp.resolve("state"));
        var keys = state.keys();
        assertThat(keys.publicKey()).hasSize(40);
        assertThat(state.keys()).isEqualTo(keys);
        assertThat(new NodeState(temp.resolve("state")).keys()).isEqualTo(keys);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("state")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("state/node.key")))).isEqualTo("rw-------");
    }

    @Test
    void leavingForgetsTheClusterAndItsServersButNotTheNodesOwnKeys() {
        NodeState state = new NodeState(temp.resolve("state"));
        var keys = state.keys();
        String server = ZMQ.Curve.generateKeyPair().publicKey;
        state.trustServer(server);
        state.joined("c0ffee00");
        assertThat(state.serverKey()).contains(server);
        assertThat(state.clusterId()).contains("c0ffee00");
        state.forget();
        assertThat(state.serverKey()).isEmpty();
        assertThat(state.clusterId()).isEmpty();
        assertThat(state.keys()).isEqualTo(keys);
    }

    @Test
    void aDamagedFileIsSaidWithWhatToDo() throws IOException {
        NodeState state = new NodeState(temp.resolve("state"));
        state.ensureDir();
        Files.writeString(temp.resolve("state/server.pub"), "short\n");
        Files.writeString(temp.resolve("state/cluster-id"), "NOT AN ID\n");
        assertThatThrownBy(state::serverKey).hasMessageEndingWith("holds no valid server key; remove it (the node will need a join token)");
        assertThatThrownBy(state::clusterId).hasMessageEndingWith("holds no valid cluster id; remove it to join afresh");
    }
}
