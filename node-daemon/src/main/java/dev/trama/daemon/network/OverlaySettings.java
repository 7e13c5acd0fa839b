package dev.trama.daemon.network;

import dev.trama.daemon.host.LinkNames;
import dev.trama.net.Ipv4;

/**
 * How a node's overlay is built: the VXLAN parameters, the LAN interface it rides on and that
 * interface's MTU. Containers get {@code lanMtu - 50}: VXLAN over IPv4 adds 50 bytes to each frame.
 */
public record OverlaySettings(int vni, Ipv4 group, int port, int ttl, String lanInterface, int lanMtu) {

    public static final String BRIDGE = "trama0";
    public static final String VXLAN = "trama-vx";
    public static final int VXLAN_OVERHEAD = 50;
    /** The UDP port on each bridge address where the nodes probe each other's paths through the overlay. */
    public static final int PROBE_PORT = 4799;
    /** The UDP port on the multicast group where, in multicast mode, the nodes hear each other's beacons. */
    public static final int BEACON_PORT = 4798;
    /** The smallest LAN MTU an overlay can ride on: IPv4's minimum of 576 inside, plus the overhead. */
    public static final int MIN_LAN_MTU = 576 + VXLAN_OVERHEAD;

    public OverlaySettings {
        if (vni < 1 || vni > 16_777_215) {
            throw new IllegalArgumentException("VNI " + vni + " is outside 1-16777215");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("VXLAN port " + port + " is outside 1-65535");
        }
        if ((group.bits() >>> 28) != 0xE) {
            throw new IllegalArgumentException(group + " is not a multicast group address (224.0.0.0/4)");
        }
        LinkNames.require(lanInterface);
        if (lanMtu < MIN_LAN_MTU) {
            throw new IllegalArgumentException("the MTU of " + lanInterface + " (" + lanMtu + ") is too small for VXLAN");
        }
    }

    public int overlayMtu() {
        return lanMtu - VXLAN_OVERHEAD;
    }
}
