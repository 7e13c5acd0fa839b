package dev.trama.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.server.cluster.Keys;
import dev.trama.server.store.EtcdStore;
import dev.trama.testkit.FreePorts;
import dev.trama.testkit.SharedEtcd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server that cannot start leaves nothing running behind, however often it is tried again. */
@Timeout(120)
class ServerStartIT {

    /** The names of the threads a running server owns. */
    private static final Set<String> SERVER_THREADS = Set.of("publisher", "reports", "server-router", "timers", "sweeps");

    private static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> SERVER_THREADS.contains(name) || name.startsWith("server-worker-"))
                .count();
    }

    private static TramaServer.Config anyPorts() {
        return TramaServer.Config.of("127.0.0.1", 0, 0, 0);
    }

    @Test
    void retryingAgainstAnAbsentEtcdStartsNoThreadOfItsOwn() {
        // nobody listens there
        try (EtcdStore absent = new EtcdStore(List.of("http://127.0.0.1:" + FreePorts.next()), Duration.ofMillis(300))) {
            for (int attempt = 0; attempt < 8; attempt++) {
                assertThatThrownBy(() -> TramaServer.start(anyPorts(), absent, Keys.defaults()))
                        .isInstanceOf(TramaException.class)
                        .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                assertThat(serverThreads()).as("server threads after attempt %d", attempt).isZero();
            }
        }
    }

    @Test
    void aStartThatFailsHalfWayClosesWhatItOpened() throws IOException {
        try (EtcdStore store = new EtcdStore(List.of(SharedEtcd.endpoint()), Duration.ofSeconds(5));
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // the request port is taken: the start fails after the publisher's thread started
            TramaServer.Config portTaken = TramaServer.Config.of("127.0.0.1", taken.getLocalPort(), 0, 0);
            for (int attempt = 0; attempt < 5; attempt++) {
                assertThatThrownBy(() -> TramaServer.start(portTaken, store, new Keys(SharedEtcd.freshRoot())))
                        .hasMessageContaining("cannot bind");
                assertThat(serverThreads()).as("server threads after attempt %d", attempt).isZero();
            }
        }
    }
}
