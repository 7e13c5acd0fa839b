package dev.trama.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.protocol.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeersTest {

    @Test
    void theOverlaysMtuIsTheSmallestLanMtuKnownLessTheOverhead() {
        Task.Member big = new Task.Member("n1", "192.0.2.11", null, 9000);
        Task.Member small = new Task.Member("n2", "192.0.2.12", null, 1400);
        Task.Member unknown = new Task.Member("n3", "192.0.2.13", null, 0);
        assertThat(Peers.overlayMtu(List.of(big, small, unknown), 9000)).isEqualTo(1350);
        assertThat(Peers.overlayMtu(List.of(big, unknown), 9000)).as("an MTU not reported yet counts for nothing").isEqualTo(8950);
        assertThat(Peers.overlayMtu(List.of(unknown), 1500)).as("none known: this node's own").isEqualTo(1450);
        assertThat(Peers.overlayMtu(List.of(big), 1280)).as("this node's own, whatever the members say of it yet")
                .isEqualTo(1230);
    }
}
