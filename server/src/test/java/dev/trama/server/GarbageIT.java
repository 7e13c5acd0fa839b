package dev.trama.server;

import static dev.trama.server.WireClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Failure;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest.GetCluster;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.server.cluster.Keys;
import dev.trama.server.store.EtcdStore;
import dev.trama.testkit.SharedEtcd;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

/** Whatever arrives on its three ports, the server keeps answering. */
@Timeout(120)
class GarbageIT {

    private final EtcdStore store = new EtcdStore(List.of(SharedEtcd.endpoint()), Duration.ofSeconds(5));
    private TramaServer server;
    private int rep;
    private int pub;
    private int pull;
    private WireClient client;

    @BeforeEach
    void start() {
        server = TramaServer.start(TramaServer.Config.of("127.0.0.1", 0, 0, 0).insecurely(), store,
                new Keys(SharedEtcd.freshRoot()));
        rep = server.ports().rep();
        pub = server.ports().pub();
        pull = server.ports().pull();
        client = new WireClient("127.0.0.1", rep);
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
        store.close();
    }

    private void assertStillAnswering() {
        assertThat(client.call(new GetCluster()).containers()).isEmpty();
    }

    private Failure errorReplyTo(List<byte[]> frames) {
        List<byte[]> reply = client.exchange(frames, 5_000);
        assertThat(reply).as("a reply").isNotNull().hasSize(2);
        assertThat(new String(reply.get(0), StandardCharsets.UTF_8)).isEqualTo(Codec.ERROR);
        try {
            Codec.decodeReply(reply, Object.class);
        } catch (dev.trama.protocol.TramaException e) {
            return new Failure(e.code(), e.getMessage());
        }
        throw new AssertionError("expected an error reply");
    }

    @Test
    void malformedRequestsGetErrorRepliesNotSilence() {
        assertThat(errorReplyTo(List.of(utf8("cluster.get"))).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(errorReplyTo(List.of(utf8("a"), utf8("b"), utf8("c"))).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(errorReplyTo(List.of(utf8("drop.database"), utf8("{\"v\":1}"))).code()).isEqualTo(ErrorCode.UNKNOWN_METHOD);
        assertThat(errorReplyTo(List.of(utf8("node.register"), utf8("{{{{"))).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(errorReplyTo(List.of(utf8("node.register"), utf8("{\"v\":1,\"name\":\"x;reboot\",\"address\":\"1.2.3.4\"}"))).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(errorReplyTo(List.of(utf8("cluster.get"), utf8("{\"v\":9}"))).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        byte[] large = new byte[Codec.MAX_MESSAGE_BYTES + 10];
        Arrays.fill(large, (byte) 'x');
        assertThat(errorReplyTo(List.of(utf8("cluster.get"), large)).code()).isEqualTo(ErrorCode.TOO_LARGE);
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            byte[] method = new byte[random.nextInt(20)];
            byte[] body = new byte[random.nextInt(200)];
            random.nextBytes(method);
            random.nextBytes(body);
            assertThat(client.exchange(List.of(method, body), 5_000)).as("reply to random frames").isNotNull();
        }
        assertStillAnswering();
    }

    @Test
    void aMessageBeyondTheHardLimitCostsOnlyItsSendersConnection() {
        byte[] huge = new byte[8 * 1024 * 1024];
        assertThat(client.exchange(List.of(utf8("cluster.get"), huge), 1_500)).isNull();
        assertStillAnswering();
    }

    @Test
    void rawBytesOnEveryPortAreShrugged() throws IOException {
        Random random = new Random(2);
        for (int port : new int[] {rep, pub, pull}) {
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[1 + random.nextInt(4096)];
                random.nextBytes(junk);
                if (i % 5 == 0) {
                    // a valid ZMTP greeting start followed by junk
                    junk[0] = (byte) 0xff;
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                    OutputStream out = socket.getOutputStream();
                    out.write(junk);
                    out.flush();
                } catch (IOException closedByPeer) {
                    // the server may hang up mid-write: that is its right
                }
            }
        }
        assertStillAnswering();
    }

    @Test
    void zeroMqPeersOfTheWrongKindOrShapeAreShrugged() {
        client.call(new RegisterNode("n1", "192.0.2.11"));
        ZMQ.Socket dealer = client.context.createSocket(SocketType.DEALER);
        dealer.connect("tcp://127.0.0.1:" + rep);
        dealer.send(utf8("no delimiter frame"), 0);
        dealer.send(utf8("x"), ZMQ.SNDMORE);
        dealer.send(utf8("y"), 0);
        ZMQ.Socket push = client.push(pull);
        WireClient.send(push, List.of(utf8("report.metrics")));
        WireClient.send(push, List.of(utf8("report.metrics"), utf8("{\"v\":1,\"node\":\"n1\",\"cpuPercent\":-5}")));
        WireClient.send(push, List.of(utf8("node.register"), utf8("{\"v\":1}")));
        WireClient.send(push, List.of(new byte[300_000], new byte[0], new byte[1]));
        ZMQ.Socket sender = client.context.createSocket(SocketType.PUB);
        List<ZMonitor.Event> senderEvents = new CopyOnWriteArrayList<>();
        sender.setEventHook(event -> senderEvents.add(event.getEvent()), ZMQ.EVENT_ALL);
        sender.connect("tcp://127.0.0.1:" + pull);
        sender.send(utf8("wrong socket type"), 0);
        // the handshake with the server is over once the publisher's connection drops
        await().atMost(10, TimeUnit.SECONDS).until(() -> senderEvents.contains(ZMonitor.Event.DISCONNECTED));
        // a good report queued behind the junk on the same connection: once it counts, the junk has been read
        WireClient.send(push, Codec.encode(new Report.Metrics("n1", 12.5, 100, 200)));
        await().atMost(10, TimeUnit.SECONDS).until(() -> client.call(new GetCluster()).nodes().get(0).cpuPercent() != null);
        assertStillAnswering();
    }
}
