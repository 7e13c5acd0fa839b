package dev.trama.daemon.host;

import dev.trama.net.Ipv4;

/**
 * A forwarding entry of a VXLAN device itself ({@code bridge fdb ... self}): frames for {@code mac} are sent to
 * the LAN address {@code destination}. Under the all-zeros MAC ({@link #FLOOD}) a device may hold several, one
 * per address a broadcast or unknown frame is copied to.
 */
public record FdbEntry(String mac, Ipv4 destination) {

    public static final String FLOOD = "00:00:00:00:00:00";

    public FdbEntry {
        Ip.mac(mac);
        if (destination == null) {
            throw new IllegalArgumentException("a forwarding entry needs a destination");
        }
    }

    public boolean floods() {
        return mac.equals(FLOOD);
    }

    @Override
    public String toString() {
        return mac + " dst " + destination;
    }
}
