package dev.trama.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trama.identity.JoinToken;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.TaskStatus;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.TramaException;
import dev.trama.server.cluster.ClusterSecrets;
import dev.trama.server.cluster.Keys;
import dev.trama.server.store.EtcdStore;
import dev.trama.testkit.SharedEtcd;
import dev.trama.transport.CurveKeyPair;
import dev.trama.transport.RequestClient;
import dev.trama.transport.Sockets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The server in its default, secure mode, against outsiders and members overstepping: nothing an outsider sends
 * changes the cluster or is answered beyond "join with a token", nothing published reaches it, and a member
 * speaks only for itself. Asserted on etcd and on what is heard, not only on replies.
 */
@Timeout(120)
class SecureServerIT {

    private final Keys keys = new Keys(SharedEtcd.freshRoot());
    private final EtcdStore store = new EtcdStore(List.of(SharedEtcd.endpoint()), Duration.ofSeconds(5));
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TramaServer server;
    private JoinToken token;

    @BeforeEach
    void start() {
        server = TramaServer.start(new TramaServer.Config("127.0.0.1", 0, 0, 0, Duration.ofMillis(300),
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(45), false), store, keys);
        token = new ClusterSecrets(store, keys).joinToken(false);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        server.close();
        store.close();
    }

    /** A process of its own key, talking CURVE to the server as a daemon would. */
    private final class Peer {
        final Sockets sockets = Sockets.curve(CurveKeyPair.generate());
        final RequestClient client = new RequestClient(sockets, List.of(at(server.ports().rep())), token.serverKey(),
                Duration.ofSeconds(3), 1, "the server");

        Peer() {
            opened.add(sockets);
            opened.add(client);
        }

        <R> R call(dev.trama.protocol.Request<R> request) {
            return client.call(request);
        }

        ZMQ.Socket subscribe() {
            ZMQ.Socket sub = sockets.connect(SocketType.SUB, at(server.ports().pub()), token.serverKey());
            sub.subscribe(new byte[0]);
            sub.setReceiveTimeOut(200);
            return sub;
        }

        void push(Object report) {
            ZMQ.Socket push = sockets.connect(SocketType.PUSH, at(server.ports().pull()), token.serverKey());
            push.setLinger(2_000);
            WireClient.send(push, Codec.encode(report));
        }
    }

    private static String at(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    private Peer member(String name, String address) {
        Peer peer = new Peer();
        peer.call(new ServerRequest.RegisterNode(name, address, token.clusterId(), token.secret()));
        return peer;
    }

    private List<String> keysUnder(String prefix) {
        return store.listKeys(prefix).entries().stream().map(e -> e.key().substring(prefix.length())).toList();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(TramaException.class).extracting(e -> ((TramaException) e).code()).isEqualTo(code);
    }

    private static List<Object> heard(ZMQ.Socket sub, int polls) {
        List<Object> heard = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            List<byte[]> frames = WireClient.receive(sub);
            if (frames != null) {
                heard.add(frames);
            }
        }
        return heard;
    }

    @Test
    void anOutsiderInPlainTextIsNeitherAnsweredNorHeardAndChangesNothing() {
        Peer n1 = member("n1", "192.0.2.11");
        try (WireClient plain = new WireClient("127.0.0.1", server.ports().rep())) {
            assertThat(plain.exchange(Codec.encode(new ServerRequest.GetCluster()), 1_500)).isNull();
            assertThat(plain.exchange(Codec.encode(new ServerRequest.RegisterNode("evil", "192.0.2.66")), 1_500)).isNull();
            assertThat(plain.exchange(Codec.encode(new ServerRequest.LeaveNode("n1")), 1_500)).isNull();
            ZMQ.Socket sub = plain.subscribe(server.ports().pub(), "");
            sub.setReceiveTimeOut(200);
            WireClient.send(plain.push(server.ports().pull()), Codec.encode(new Report.Metrics("n1", 99, 1, 1)));
            // the server publishes to all every 300 ms: a plain subscriber hears none of it
            assertThat(heard(sub, 10)).isEmpty();
        }
        assertThat(keysUnder(keys.nodes())).containsExactly("n1");
        assertThat(keysUnder(keys.metrics())).isEmpty();
        assertThat(n1.call(new ServerRequest.GetCluster()).nodes()).hasSize(1);
    }

    @Test
    void anOutsiderWithAKeyMayOnlyAskToJoinWithTheToken() {
        member("n1", "192.0.2.11");
        Peer outsider = new Peer();
        assertRefused(() -> outsider.call(new ServerRequest.GetCluster()), ErrorCode.NOT_ALLOWED);
        assertRefused(() -> outsider.call(new ServerRequest.LaunchContainer("t-x", "n1", "evil", "trama/base", null,
                Map.of(), List.of("rm", "-rf", "/"))), ErrorCode.NOT_ALLOWED);
        assertRefused(() -> outsider.call(new ServerRequest.LeaveNode("n1")), ErrorCode.NOT_ALLOWED);
        assertRefused(() -> outsider.call(new ServerRequest.Heartbeat("n1", token.clusterId())), ErrorCode.NOT_ALLOWED);
        assertRefused(() -> outsider.call(new ServerRequest.RegisterNode("n1", "192.0.2.11", token.clusterId(), token.secret())),
                ErrorCode.ALREADY_EXISTS);
        assertRefused(() -> outsider.call(new ServerRequest.RegisterNode("n9", "192.0.2.19", token.clusterId(), null)),
                ErrorCode.NOT_ADMITTED);
        assertRefused(() -> outsider.call(new ServerRequest.RegisterNode("n9", "192.0.2.19", token.clusterId(),
                "0".repeat(32))), ErrorCode.NOT_ADMITTED);
        ZMQ.Socket sub = outsider.subscribe();
        outsider.push(new Report.Metrics("n1", 99, 1, 1));
        assertThat(heard(sub, 10)).as("the task stream is for members").isEmpty();
        assertThat(keysUnder(keys.nodes())).containsExactly("n1");
        assertThat(keysUnder(keys.containers())).isEmpty();
        assertThat(keysUnder(keys.metrics())).isEmpty();
    }

    @Test
    void aMemberHearsTheTaskStreamAndSpeaksOnlyForItself() {
        Peer n1 = member("n1", "192.0.2.11");
        Peer n2 = member("n2", "192.0.2.12");
        n1.call(new ServerRequest.ConfigureNode("n1", "10.10.0.0/16"));
        n2.call(new ServerRequest.ConfigureNode("n2", "10.10.0.0/16"));
        ZMQ.Socket sub = n2.subscribe();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !heard(sub, 1).isEmpty());

        assertRefused(() -> n1.call(new ServerRequest.RegisterNode("n2", "192.0.2.12", token.clusterId())), ErrorCode.ALREADY_EXISTS);
        assertRefused(() -> n1.call(new ServerRequest.Heartbeat("n2", token.clusterId())), ErrorCode.NOT_ALLOWED);
        assertRefused(() -> n1.call(new ServerRequest.LeaveNode("n2")), ErrorCode.NOT_ALLOWED);
        assertRefused(() -> n1.call(new ServerRequest.GetAssignments("n2")), ErrorCode.NOT_ALLOWED);
        // launches may target any node; outcomes only come from the task's own node
        n1.call(new ServerRequest.LaunchContainer("t-1", "n2", "web", "trama/base", null, Map.of(), List.of()));
        n1.push(new Report.TaskOutcome("t-1", "n2", false, "forged by n1"));
        n1.push(new Report.Metrics("n2", 99, 1, 1));
        n2.push(new Report.Metrics("n2", 12, 800, 2048));
        await().atMost(10, TimeUnit.SECONDS).until(() -> keysUnder(keys.metrics()).contains("n2"));
        assertThat(n1.call(new ServerRequest.GetTask("t-1")).state()).isEqualTo(TaskStatus.State.PENDING);
        assertThat(n1.call(new ServerRequest.GetCluster()).nodes().get(1).cpuPercent()).isEqualTo(12.0);
        assertThat(keysUnder(keys.nodes())).containsExactly("n1", "n2");
        n2.push(new Report.TaskOutcome("t-1", "n2", true, null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> n1.call(new ServerRequest.GetTask("t-1")).state() == TaskStatus.State.DONE);
    }
}
