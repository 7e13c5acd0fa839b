package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.net.Ipv4;
import org.junit.jupiter.api.Test;

class OverlaySettingsTest {

    @Test
    void containersGetTheLanMtuLessVxlanOverhead() {
        assertThat(new OverlaySettings(42, Ipv4.parse("239.1.1.1"), 4789, 20, "eth0", 1500).overlayMtu()).isEqualTo(1450);
        assertThat(new OverlaySettings(42, Ipv4.parse("239.1.1.1"), 4789, 20, "eth0", 9000).overlayMtu()).isEqualTo(8950);
    }

    @Test
    void refusesWhatCannotMakeAnOverlay() {
        assertThatThrownBy(() -> new OverlaySettings(0, Ipv4.parse("239.1.1.1"), 4789, 20, "eth0", 1500))
                .hasMessageContaining("VNI");
        assertThatThrownBy(() -> new OverlaySettings(42, Ipv4.parse("10.1.1.1"), 4789, 20, "eth0", 1500))
                .hasMessageContaining("multicast");
        assertThatThrownBy(() -> new OverlaySettings(42, Ipv4.parse("239.1.1.1"), 4789, 20, "eth0;x", 1500))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBridgeMacIsLocallyAdministeredAndStablePerNode() {
        String mac = NodeNetwork.stableMac("n1");
        assertThat(mac).matches("02(:[0-9a-f]{2}){5}").isEqualTo(NodeNetwork.stableMac("n1")).isNotEqualTo(NodeNetwork.stableMac("n2"));
    }
}
