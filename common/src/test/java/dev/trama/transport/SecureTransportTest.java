package dev.trama.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import dev.trama.protocol.TramaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** CURVE on every kind of socket: who is let in, who is not, and who the handlers are told asked. */
@Timeout(60)
class SecureTransportTest {

    private static final String ANY_PORT = "tcp://127.0.0.1:*";
    /** What a call that must fail waits for its answer: every such call costs this much. */
    private static final Duration REFUSED_CALL = Duration.ofSeconds(1);
    /** A first CURVE handshake costs some CPU: generous, since only a call that fails waits that long. */
    private static final Duration ANSWERED_CALL = Duration.ofSeconds(20);

    private final CurveKeyPair serverKeys = CurveKeyPair.generate();
    private final CurveKeyPair memberKeys = CurveKeyPair.generate();
    private final CurveKeyPair strangerKeys = CurveKeyPair.generate();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    /** Lets in the member as "node-1", and notes every key it was asked about. */
    private final Admission members = key -> {
        asked.add(key);
        return Optional.ofNullable(Map.of(memberKeys.publicKey(), "node-1").get(key));
    };
    private final Sockets server = open(Sockets.curve(serverKeys));
    private final AtomicInteger handled = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private RequestServer serve(Admission admission) {
        Handlers handlers = new Handlers().on(ServerRequest.RegisterNode.class, (request, peer) -> {
            handled.incrementAndGet();
            assertThat(peer.address()).startsWith("127.0.0.1:");
            return new Replies.NodeRegistered("c1", peer.identity(), null, null, 1_000);
        });
        return open(new RequestServer(server, ANY_PORT, admission, new Codec(ServerRequest.class), handlers, 2, "secure",
                Set.of()));
    }

    private RequestClient client(Sockets sockets, int port, String serverKey, Duration timeout) {
        return open(new RequestClient(sockets, List.of("tcp://127.0.0.1:" + port), serverKey, timeout, 1, "the server"));
    }

    private static ServerRequest.RegisterNode register() {
        return new ServerRequest.RegisterNode("ignored", "192.0.2.1", null);
    }

    @Test
    void aMemberIsAnsweredAndTheHandlerIsToldItsIdentity() {
        RequestServer requests = serve(members);
        RequestClient client = client(open(Sockets.curve(memberKeys)), requests.port(), serverKeys.publicKey(),
                ANSWERED_CALL);
        assertThat(client.call(register()).node()).isEqualTo("node-1");
    }

    @Test
    void aClientWithAWrongServerKeyIsNeverAnswered() {
        RequestServer requests = serve(members);
        RequestClient client = client(open(Sockets.curve(memberKeys)), requests.port(), strangerKeys.publicKey(),
                REFUSED_CALL);
        assertThatThrownBy(() -> client.call(register()))
                .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(asked).as("the server could not even read who it was").isEmpty();
        assertThat(handled).hasValue(0);
    }

    @Test
    void aClientTheAdmissionDeniesIsNotHeard() {
        RequestServer requests = serve(members);
        RequestClient stranger = client(open(Sockets.curve(strangerKeys)), requests.port(), serverKeys.publicKey(),
                REFUSED_CALL);
        assertThatThrownBy(() -> stranger.call(register()))
                .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        await().atMost(10, TimeUnit.SECONDS).until(() -> asked.contains(strangerKeys.publicKey()));
        assertThat(handled).hasValue(0);
    }

    @Test
    void aPlainTextClientCannotTalkToACurveServer() {
        RequestServer requests = serve(Admission.anyKey());
        RequestClient plain = client(open(new Sockets()), requests.port(), null, REFUSED_CALL);
        assertThatThrownBy(() -> plain.call(register()))
                .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(handled).hasValue(0);
    }

    @Test
    void aCurveSocketNeedsAnAdmissionOrAServerKey() {
        assertThatThrownBy(() -> server.bind(SocketType.ROUTER, ANY_PORT)).hasMessageContaining("needs an admission");
        assertThatThrownBy(() -> server.connect(SocketType.REQ, "tcp://127.0.0.1:1")).hasMessageContaining("public key");
        assertThatThrownBy(() -> new RequestClient(server, List.of("tcp://127.0.0.1:1"), Duration.ofSeconds(1), 1, "x"))
                .hasMessageContaining("public key");
    }

    @Test
    void aPullSocketHearsOnlyAdmittedPushers() {
        ZMQ.Socket pull = server.bind(SocketType.PULL, ANY_PORT, members);
        String endpoint = "tcp://127.0.0.1:" + Sockets.boundPort(pull);
        List<String> heard = new CopyOnWriteArrayList<>();
        open(new Receiver("reports", pull, 0, new Codec(Report.class),
                (report, peer) -> heard.add(((Report.Metrics) report).node() + " from " + peer.identity())));

        ZMQ.Socket stranger = open(Sockets.curve(strangerKeys)).connect(SocketType.PUSH, endpoint, serverKeys.publicKey());
        stranger.setSendTimeOut(0);
        Frames.send(stranger, Codec.encode(new Report.Metrics("stranger", 1, 1, 1)));
        await().atMost(10, TimeUnit.SECONDS).until(() -> asked.contains(strangerKeys.publicKey()));

        ZMQ.Socket member = open(Sockets.curve(memberKeys)).connect(SocketType.PUSH, endpoint, serverKeys.publicKey());
        Frames.send(member, Codec.encode(new Report.Metrics("member", 1, 1, 1)));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !heard.isEmpty());
        assertThat(heard).containsExactly("member from node-1");
    }

    @Test
    void aSubscriberTheAdmissionDeniesReceivesNothing() {
        ZMQ.Socket pub = server.bind(SocketType.PUB, ANY_PORT, members);
        String endpoint = "tcp://127.0.0.1:" + Sockets.boundPort(pub);
        ZMQ.Socket stranger = subscriber(open(Sockets.curve(strangerKeys)), endpoint);
        ZMQ.Socket member = subscriber(open(Sockets.curve(memberKeys)), endpoint);
        List<byte[]> task = Frames.prepend("all".getBytes(), Codec.encode(new Task.CollectMetrics()));

        // a subscriber misses what is published while it connects: publish until the member hears
        await().atMost(10, TimeUnit.SECONDS).pollInSameThread().until(() -> {
            Frames.send(pub, task);
            return Frames.receive(member) != null;
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> asked.contains(strangerKeys.publicKey()));
        Frames.send(pub, task);
        await().atMost(10, TimeUnit.SECONDS).pollInSameThread().until(() -> Frames.receive(member) != null);
        assertThat(Frames.receive(stranger)).isNull();
    }

    private ZMQ.Socket subscriber(Sockets sockets, String endpoint) {
        ZMQ.Socket sub = sockets.connect(SocketType.SUB, endpoint, serverKeys.publicKey());
        sub.subscribe(new byte[0]);
        sub.setReceiveTimeOut(0);
        return sub;
    }

    /** Insecure sockets keep working as before, whatever keys they are given. */
    @Test
    void insecureSocketsIgnoreAdmissionsAndKeys() {
        Sockets plain = open(new Sockets());
        RequestServer requests = open(new RequestServer(plain, ANY_PORT, key -> Optional.empty(),
                new Codec(ServerRequest.class), new Handlers().on(ServerRequest.GetCluster.class,
                        (request, peer) -> new ClusterView("10.10.0.0/16", List.of(), List.of())), 1, "plain", Set.of()));
        RequestClient client = client(plain, requests.port(), strangerKeys.publicKey(), ANSWERED_CALL);
        assertThat(client.call(new ServerRequest.GetCluster()).subnet()).isEqualTo("10.10.0.0/16");
    }
}
