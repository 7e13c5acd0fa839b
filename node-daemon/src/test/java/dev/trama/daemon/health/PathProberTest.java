package dev.trama.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trama.net.Ipv4;
import dev.trama.protocol.NodeInfo;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two probers on loopback addresses of their own, as two nodes' bridges would be. */
class PathProberTest {

    private static final Ipv4 A = Ipv4.parse("127.0.0.41");
    private static final Ipv4 B = Ipv4.parse("127.0.0.42");
    private static final Duration PACE = Duration.ofMillis(100);

    private final PathProber a = new PathProber(() -> 1450, System::nanoTime, PACE);
    private final PathProber b = new PathProber(() -> 1450, System::nanoTime, PACE);

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void aPathIsOkWhileProbesComeBackAndBrokenWhenTheyStop() throws Exception {
        a.serveOn(A);
        b.serveOn(B);
        // a stranger's datagrams, short or shaped like an echo of a probe never sent, change nothing
        try (java.net.DatagramSocket stranger = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.43"))) {
            for (String junk : new String[] {"hello", "trama-pathe\u0000AAAAAAAABBBBBBBB"}) {
                byte[] bytes = junk.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                stranger.send(new java.net.DatagramPacket(bytes, bytes.length, a.address().orElseThrow()));
            }
        }
        a.probe(Map.of("n2", B));
        b.probe(Map.of("n1", A));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.paths().get("n2").ok() && a.paths().get("n2").mtuOk());
        NodeInfo.Path path = a.paths().get("n2");
        assertThat(path.rttMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
        assertThat(b.paths().get("n1").ok()).as("each side measures its own").isTrue();

        b.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.paths().get("n2").ok());
        assertThat(a.paths().get("n2")).isEqualTo(new NodeInfo.Path(false, null, false));

        b.serveOn(B);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.paths().get("n2").ok());
    }

    @Test
    void aNodeNoLongerProbedIsForgotten() {
        a.serveOn(A);
        a.probe(Map.of("n2", B));
        assertThat(a.paths()).containsOnlyKeys("n2").containsEntry("n2", new NodeInfo.Path(false, null, false));
        a.probe(Map.of());
        assertThat(a.paths()).isEmpty();
    }
}
