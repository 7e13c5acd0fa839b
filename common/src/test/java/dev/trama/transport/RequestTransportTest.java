package dev.trama.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.TramaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

@Timeout(30)
class RequestTransportTest {

    /** Every server and listener here lets the system pick its port while binding it. */
    private static final String ANY_PORT = "tcp://127.0.0.1:*";

    private final Sockets sockets = new Sockets();

    @AfterEach
    void close() {
        sockets.close();
    }

    private Handlers handlers(Supplier<ClusterView> cluster) {
        return new Handlers()
                .on(ServerRequest.GetCluster.class, r -> cluster.get())
                .on(ServerRequest.RegisterNode.class, r -> {
                    if (r.name().equals("boom")) {
                        throw new IllegalStateException("kaput");
                    }
                    if (r.name().equals("taken")) {
                        throw new TramaException(ErrorCode.ALREADY_EXISTS, "node name 'taken' is already registered");
                    }
                    return new Replies.NodeRegistered("c1", r.name(), null, null, 1_000);
                });
    }

    private RequestServer serve(String endpoint, Supplier<ClusterView> cluster) {
        return new RequestServer(sockets, endpoint, new Codec(ServerRequest.class), handlers(cluster), 2, "test");
    }

    private RequestServer serve() {
        return serve(ANY_PORT, () -> cluster("10.10.0.0/16"));
    }

    private static ClusterView cluster(String subnet) {
        return new ClusterView(subnet, List.of(), List.of());
    }

    private static String at(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    @Test
    void anUrgentRequestIsAnsweredWhileEveryWorkerIsBusy() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        Handlers slowAndUrgent = new Handlers()
                .on(ServerRequest.GetCluster.class, r -> {
                    started.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return cluster("10.10.0.0/16");
                })
                .on(ServerRequest.Heartbeat.class, r -> new Replies.Done());
        try (RequestServer server = new RequestServer(sockets, ANY_PORT, new Codec(ServerRequest.class), slowAndUrgent, 1,
                "test", java.util.Set.of(ServerRequest.Heartbeat.class));
             RequestClient client = new RequestClient(sockets, List.of(at(server.port())), Duration.ofSeconds(10), 1, "test")) {
            List<CompletableFuture<ClusterView>> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slow.add(CompletableFuture.supplyAsync(() -> client.call(new ServerRequest.GetCluster())));
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> started.get() == 1);
            // the one worker is held and two requests queue behind it: the heartbeat goes past them
            assertThat(client.call(new ServerRequest.Heartbeat("n1", "c0ffee00"))).isEqualTo(new Replies.Done());
            assertThat(slow).noneMatch(CompletableFuture::isDone);
            release.countDown();
            slow.forEach(f -> assertThat(f.join().subnet()).isEqualTo("10.10.0.0/16"));
        }
    }

    @Test
    void aServerBoundToAnyPortTellsTheOneItGot() {
        try (RequestServer first = serve(); RequestServer second = serve()) {
            assertThat(first.port()).isBetween(1, 65535).isNotEqualTo(second.port());
        }
        ZMQ.Socket zero = sockets.bind(SocketType.ROUTER, "tcp://127.0.0.1:0");
        assertThat(Sockets.boundPort(zero)).isPositive();
        zero.close();
    }

    @Test
    void repliesCarryResultsAndErrors() {
        try (RequestServer server = serve();
             RequestClient client = new RequestClient(sockets, List.of(at(server.port())), Duration.ofSeconds(5), 1, "test server")) {
            assertThat(client.call(new ServerRequest.GetCluster()).subnet()).isEqualTo("10.10.0.0/16");
            assertThat(client.call(new ServerRequest.RegisterNode("n1", "192.0.2.1")).node()).isEqualTo("n1");
            assertThatThrownBy(() -> client.call(new ServerRequest.RegisterNode("taken", "192.0.2.1")))
                    .isInstanceOf(TramaException.class).hasMessageContaining("already registered");
            assertThatThrownBy(() -> client.call(new ServerRequest.RegisterNode("boom", "192.0.2.1")))
                    .isInstanceOf(TramaException.class)
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.INTERNAL);
            // a request the endpoint has no handler for is answered, not dropped
            assertThatThrownBy(() -> client.call(new ServerRequest.LeaveNode("n1")))
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.UNKNOWN_METHOD);
            assertThat(client.call(new ServerRequest.GetCluster())).isNotNull();
        }
    }

    @Test
    void aSilentEndpointFailsTheCallAfterItsTriesEachOnAFreshSocket() {
        ZMQ.Socket silent = sockets.bind(SocketType.ROUTER, ANY_PORT);
        // a try's request reaches the peer unless connecting takes longer than the try itself
        try (RequestClient client = new RequestClient(sockets, List.of(at(Sockets.boundPort(silent))),
                Duration.ofSeconds(2), 2, "the server")) {
            assertThatThrownBy(() -> client.call(new ServerRequest.GetCluster()))
                    .isInstanceOf(TramaException.class)
                    .hasMessageContaining("the server did not answer within 2.0 s (2 tries)")
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
        List<String> senders = new ArrayList<>();
        await().atMost(10, TimeUnit.SECONDS).pollInSameThread().until(() -> {
            receiveAll(silent).forEach(frames -> senders.add(HexFormat.of().formatHex(frames.get(0))));
            return senders.size() >= 2;
        });
        assertThat(senders).as("one request per try, each from its own socket").hasSize(2).doesNotHaveDuplicates();
        silent.close();
    }

    @Test
    void aServerThatComesUpLateIsReachedByRetriesWithFreshSockets() throws Exception {
        // something listens on the port but never answers, until the server takes the port over
        ZMQ.Socket placeholder = sockets.bind(SocketType.ROUTER, ANY_PORT);
        int port = Sockets.boundPort(placeholder);
        try (RequestClient client = new RequestClient(sockets, List.of(at(port)), Duration.ofMillis(500), 40, "server")) {
            CompletableFuture<ClusterView> reply = CompletableFuture.supplyAsync(() -> client.call(new ServerRequest.GetCluster()));
            await().atMost(10, TimeUnit.SECONDS).pollInSameThread().until(() -> !receiveAll(placeholder).isEmpty());
            placeholder.close();
            // ZeroMQ releases a closed socket's port in the background: bind as soon as it is free
            RequestServer late = await().atMost(10, TimeUnit.SECONDS).pollInSameThread()
                    .ignoreException(IllegalStateException.class)
                    .until(() -> serve(at(port), () -> cluster("10.10.0.0/16")), Objects::nonNull);
            try (RequestServer server = late) {
                assertThat(reply.get(20, TimeUnit.SECONDS).subnet()).isEqualTo("10.10.0.0/16");
            }
        }
    }

    @Test
    void failsOverToTheNextEndpointAndKeepsPreferringIt() {
        CountDownLatch firstAnswers = new CountDownLatch(1);
        AtomicInteger secondReached = new AtomicInteger();
        // the first endpoint holds its answers back until released, then answers at once
        try (RequestServer first = serve(ANY_PORT, () -> {
                 awaitQuietly(firstAnswers);
                 return cluster("10.1.0.0/16");
             });
             RequestServer second = serve(ANY_PORT, () -> {
                 secondReached.incrementAndGet();
                 return cluster("10.2.0.0/16");
             });
             RequestClient client = new RequestClient(sockets,
                     List.of(at(first.port()), at(second.port())), Duration.ofSeconds(2), 3, "servers")) {
            // a first answer costs class loading, which must not count against the failover's one try
            try (RequestClient warmUp = new RequestClient(sockets, List.of(at(second.port())), Duration.ofSeconds(10), 1, "second")) {
                warmUp.call(new ServerRequest.GetCluster());
            }
            secondReached.set(0);
            try {
                assertThat(client.call(new ServerRequest.GetCluster()).subnet()).isEqualTo("10.2.0.0/16");
                firstAnswers.countDown();
                assertThat(client.call(new ServerRequest.GetCluster()).subnet())
                        .as("the endpoint that answered is asked first from then on")
                        .isEqualTo("10.2.0.0/16");
                assertThat(secondReached).hasValue(2);
            } finally {
                firstAnswers.countDown();
            }
        }
    }

    /** Each console command is a new process with a new connection: none of those may stall. */
    @Test
    void everyFreshConnectionIsAnsweredWithoutARetry() {
        try (RequestServer server = serve()) {
            for (int i = 0; i < 100; i++) {
                try (Sockets own = new Sockets();
                     RequestClient client = new RequestClient(own, List.of(at(server.port())), Duration.ofSeconds(3), 1, "server")) {
                    assertThat(client.call(new ServerRequest.GetCluster())).isNotNull();
                }
            }
        }
    }

    /** The messages waiting on a socket the test reads itself, without blocking. */
    private static List<List<byte[]>> receiveAll(ZMQ.Socket socket) {
        socket.setReceiveTimeOut(0);
        List<List<byte[]>> messages = new ArrayList<>();
        List<byte[]> frames;
        while ((frames = Frames.receive(socket)) != null) {
            messages.add(frames);
        }
        return messages;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
