package dev.trama.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.Codec;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.TramaException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RequestTransportTest {

    private final Sockets sockets = new Sockets();

    @AfterEach
    void close() {
        sockets.close();
    }

    private Handlers handlers() {
        return new Handlers()
                .on(ServerRequest.GetCluster.class, r -> new ClusterView("10.10.0.0/16", List.of(), List.of()))
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

    private RequestServer serve(int port) {
        return new RequestServer(sockets, "tcp://127.0.0.1:" + port, new Codec(ServerRequest.class), handlers(), 2, "test");
    }

    @Test
    void repliesCarryResultsAndErrors() {
        int port = freePort();
        try (RequestServer server = serve(port);
             RequestClient client = new RequestClient(sockets, List.of("tcp://127.0.0.1:" + port), Duration.ofSeconds(5), 1, "test server")) {
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
    void aSilentEndpointFailsTheCallWithinItsTimeout() {
        int port = freePort();
        try (RequestClient client = new RequestClient(sockets, List.of("tcp://127.0.0.1:" + port), Duration.ofMillis(300), 2, "the server")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.call(new ServerRequest.GetCluster()))
                    .isInstanceOf(TramaException.class)
                    .hasMessageContaining("the server did not answer within 0.3 s (2 tries)")
                    .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aServerThatComesUpLateIsReachedByRetriesWithFreshSockets() throws Exception {
        int port = freePort();
        try (RequestClient client = new RequestClient(sockets, List.of("tcp://127.0.0.1:" + port), Duration.ofMillis(300), 30, "server")) {
            CountDownLatch firstTimeout = new CountDownLatch(1);
            CompletableFuture<ClusterView> reply = CompletableFuture.supplyAsync(() -> {
                firstTimeout.countDown();
                return client.call(new ServerRequest.GetCluster());
            });
            firstTimeout.await();
            Thread.sleep(800);
            try (RequestServer server = serve(port)) {
                assertThat(reply.get(10, TimeUnit.SECONDS).subnet()).isEqualTo("10.10.0.0/16");
            }
        }
    }

    @Test
    void failsOverToTheNextEndpoint() {
        int dead = freePort();
        int alive = freePort();
        try (RequestServer server = serve(alive);
             RequestClient client = new RequestClient(sockets,
                     List.of("tcp://127.0.0.1:" + dead, "tcp://127.0.0.1:" + alive), Duration.ofMillis(300), 3, "servers")) {
            assertThat(client.call(new ServerRequest.GetCluster()).subnet()).isEqualTo("10.10.0.0/16");
            // the endpoint that answered is preferred from then on
            long start = System.nanoTime();
            client.call(new ServerRequest.GetCluster());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
        }
    }

    /** Each console command is a new process with a new connection: none of those may stall. */
    @Test
    void everyFreshConnectionIsAnsweredWithoutARetry() {
        int port = freePort();
        try (RequestServer server = serve(port)) {
            for (int i = 0; i < 100; i++) {
                try (Sockets own = new Sockets();
                     RequestClient client = new RequestClient(own, List.of("tcp://127.0.0.1:" + port), Duration.ofSeconds(3), 1, "server")) {
                    assertThat(client.call(new ServerRequest.GetCluster())).isNotNull();
                }
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
