package dev.trama.daemon;

import dev.trama.daemon.host.Ip;
import dev.trama.daemon.host.Link;
import dev.trama.net.InterfaceAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The host's interface on the LAN: the one asked for, else the one of the default route, else the first one up. */
public record Lan(String name, String address, int mtu) {

    public static Lan find(Ip ip, String wanted) {
        String name = wanted != null ? wanted : ip.defaultRouteDevice().orElseGet(() -> firstUp(ip));
        Link link = ip.link(name).orElseThrow(() -> new IllegalArgumentException("interface " + name + " does not exist"));
        List<InterfaceAddress> addresses = ip.addresses(name);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("interface " + name + " has no IPv4 address");
        }
        return new Lan(name, addresses.get(0).address().toString(), link.mtu());
    }

    /**
     * The interface's MTU now, as the kernel has it ({@code /sys/class/net/NAME/mtu}), so that a change is seen
     * without a command; the MTU found at start when it cannot be read.
     */
    public int currentMtu() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "mtu")).strip());
        } catch (IOException | NumberFormatException e) {
            return mtu;
        }
    }

    private static String firstUp(Ip ip) {
        Optional<Link> up = ip.links().stream()
                .filter(l -> l.up() && !l.name().equals("lo") && l.kind().isEmpty() && !ip.addresses(l.name()).isEmpty())
                .findFirst();
        return up.map(Link::name).orElseThrow(() -> new IllegalArgumentException(
                "no interface with an IPv4 address is up; name the LAN interface with --iface"));
    }
}
