package dev.trama.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.TramaException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** The server keeps serving whatever one peer sends or one handler throws. */
@Timeout(120)
class HostilePeersTest {

    private static final String ANY_PORT = "tcp://127.0.0.1:*";
    private static final ClusterView CLUSTER = new ClusterView("10.10.0.0/16", List.of(), List.of());

    private final List<AutoCloseable> opened = new ArrayList<>();

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

    private static String at(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    @Test
    void aFloodFromOnePeerDoesNotKeepAnotherPeerWaiting() {
        CurveKeyPair serverKeys = CurveKeyPair.generate();
        CurveKeyPair flooderKeys = CurveKeyPair.generate();
        CurveKeyPair honestKeys = CurveKeyPair.generate();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger flooderRunning = new AtomicInteger();
        // the flooder's requests hold their worker until the end: only fair sharing leaves one for the other peer
        Handlers handlers = new Handlers().on(ServerRequest.GetCluster.class, (request, peer) -> {
            if (peer.identity().equals("flooder")) {
                flooderRunning.incrementAndGet();
                awaitQuietly(release);
            }
            return CLUSTER;
        });
        Sockets server = open(Sockets.curve(serverKeys));
        RequestServer requests = open(new RequestServer(server, ANY_PORT,
                Admission.of(Map.of(flooderKeys.publicKey(), "flooder", honestKeys.publicKey(), "honest")),
                new Codec(ServerRequest.class), handlers, 2, "flooded", Set.of()));
        try {
            ZMQ.Socket flooder = open(Sockets.curve(flooderKeys)).connect(SocketType.DEALER, at(requests.port()),
                    serverKeys.publicKey());
            flooder.setSendTimeOut(30_000);
            flooder.setReceiveTimeOut(0);
            List<byte[]> request = Frames.prepend(new byte[0], Codec.encode(new ServerRequest.GetCluster()));
            List<String> refusals = new ArrayList<>();
            // as fast as it can, reading what comes back on the way so that its own socket does not clog
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> {
                int sent = 0;
                while (sent < 10_000 && Frames.send(flooder, request)) {
                    if (++sent % 100 == 0) {
                        readRefusals(flooder, refusals);
                    }
                }
                return sent;
            });
            await().atMost(30, TimeUnit.SECONDS).until(() -> flooderRunning.get() > 0);

            RequestClient honest = open(new RequestClient(open(Sockets.curve(honestKeys)), List.of(at(requests.port())),
                    serverKeys.publicKey(), Duration.ofSeconds(20), 1, "the server"));
            CompletableFuture<List<ClusterView>> answers = CompletableFuture.supplyAsync(() -> {
                List<ClusterView> views = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    views.add(honest.call(new ServerRequest.GetCluster()));
                }
                return views;
            });
            await().atMost(60, TimeUnit.SECONDS).until(answers::isDone);
            assertThat(answers.join()).hasSize(20).containsOnly(CLUSTER);

            await().atMost(60, TimeUnit.SECONDS).until(flood::isDone);
            assertThat(flood.join()).isEqualTo(10_000);
            await().atMost(30, TimeUnit.SECONDS).pollInSameThread().until(() -> {
                readRefusals(flooder, refusals);
                return !refusals.isEmpty();
            });
            assertThat(refusals).anyMatch(refusal -> refusal.startsWith("UNAVAILABLE: ") && refusal.contains("overloaded"))
                    // JeroMQ cuts some of a flooder's messages apart when its queue is full (see Frames.UNAUTHENTICATED)
                    .allMatch(refusal -> refusal.contains("overloaded") || refusal.startsWith("MALFORMED: "));
            assertThat(flooderRunning).as("the flooder held one worker, never both").hasValue(1);
        } finally {
            release.countDown();
        }
    }

    private static void readRefusals(ZMQ.Socket dealer, List<String> refusals) {
        List<byte[]> reply;
        while ((reply = Frames.receive(dealer)) != null) {
            try {
                Codec.decodeReply(reply.subList(1, reply.size()), ClusterView.class);
            } catch (TramaException e) {
                refusals.add(e.code() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aMessageOfTheWrongShapeOrSizeGetsItsErrorAndTheNextIsServed() {
        Sockets sockets = open(new Sockets());
        RequestServer requests = open(new RequestServer(sockets, ANY_PORT, new Codec(ServerRequest.class),
                new Handlers().on(ServerRequest.GetCluster.class, request -> CLUSTER), 2, "strict"));
        ZMQ.Socket req = sockets.connect(SocketType.REQ, at(requests.port()));
        req.setReceiveTimeOut(20_000);
        byte[] method = Codec.encode(new ServerRequest.GetCluster()).get(0);
        byte[] body = Codec.encode(new ServerRequest.GetCluster()).get(1);
        try {
            assertThatThrownBy(() -> exchange(req, List.of(method, new byte[Codec.MAX_MESSAGE_BYTES])))
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThatThrownBy(() -> exchange(req, List.of(method, body, body)))
                    .hasMessageContaining("expected 2 frames (method, body), got 3")
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.MALFORMED);
            List<byte[]> thousandFrames = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                thousandFrames.add("x".getBytes(StandardCharsets.UTF_8));
            }
            assertThatThrownBy(() -> exchange(req, thousandFrames)).hasMessageContaining("got 1000");
            assertThat(exchange(req, List.of(method, body))).isEqualTo(CLUSTER);
        } finally {
            req.close();
        }
    }

    private static ClusterView exchange(ZMQ.Socket req, List<byte[]> frames) {
        assertThat(Frames.send(req, frames)).isTrue();
        List<byte[]> reply = Frames.receive(req);
        assertThat(reply).as("a reply").isNotNull();
        return Codec.decodeReply(reply, ClusterView.class);
    }

    @Test
    void aHandlerThrowingAnErrorDoesNotStopTheServer() {
        Sockets sockets = open(new Sockets());
        Handlers handlers = new Handlers()
                .on(ServerRequest.GetCluster.class, request -> CLUSTER)
                .on(ServerRequest.RegisterNode.class, request -> {
                    throw new OutOfMemoryError("test");
                });
        RequestServer requests = open(new RequestServer(sockets, ANY_PORT, new Codec(ServerRequest.class), handlers, 1,
                "sturdy"));
        RequestClient client = open(new RequestClient(sockets, List.of(at(requests.port())), Duration.ofSeconds(20), 1,
                "the server"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> client.call(new ServerRequest.RegisterNode("n1", "192.0.2.1", null)))
                    .hasMessageContaining("OutOfMemoryError")
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(client.call(new ServerRequest.GetCluster())).isEqualTo(CLUSTER);
        }
    }

    @Test
    void aConsumerThrowingAnErrorDoesNotStopTheReceiver() {
        Sockets sockets = open(new Sockets());
        ZMQ.Socket pull = sockets.bind(SocketType.PULL, ANY_PORT);
        List<String> handled = new CopyOnWriteArrayList<>();
        open(new Receiver("reports", pull, 0, new Codec(Report.class), report -> {
            String node = ((Report.Metrics) report).node();
            handled.add(node);
            if (node.equals("first")) {
                throw new OutOfMemoryError("test");
            }
        }));
        ZMQ.Socket push = sockets.connect(SocketType.PUSH, at(Sockets.boundPort(pull)));
        try {
            Frames.send(push, Codec.encode(new Report.Metrics("first", 1, 1, 1)));
            Frames.send(push, List.of("x".getBytes(StandardCharsets.UTF_8)));
            Frames.send(push, Codec.encode(new Report.Metrics("second", 1, 1, 1)));
            await().atMost(20, TimeUnit.SECONDS).until(() -> handled.contains("second"));
            assertThat(handled).containsExactly("first", "second");
        } finally {
            push.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
