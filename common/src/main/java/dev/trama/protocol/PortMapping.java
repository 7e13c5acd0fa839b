package dev.trama.protocol;

import java.util.Locale;

/**
 * A published port: traffic to the node's port {@code host} goes to the container's port {@code container}. On
 * the wire and in {@code --json} it is {@code {"host":8080,"container":80,"protocol":"tcp"}}.
 *
 * @param host      the port on the node's LAN address
 * @param container the port inside the container
 * @param protocol  {@code tcp} or {@code udp}
 */
public record PortMapping(int host, int container, String protocol) {

    public PortMapping {
        if (host < 1 || host > 65535 || container < 1 || container > 65535) {
            throw new IllegalArgumentException("ports must be between 1 and 65535");
        }
        protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol '" + Check.printable(protocol) + "' is not tcp or udp");
        }
    }

    /** Parses docker's spelling: {@code 8080:80}, {@code 5353:53/udp}. */
    public static PortMapping parse(String text) {
        String spec = text == null ? "" : text;
        String protocol = "tcp";
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1);
            spec = spec.substring(0, slash);
        }
        String[] ports = spec.split(":", -1);
        if (ports.length != 2 || !isPort(ports[0]) || !isPort(ports[1])) {
            throw new IllegalArgumentException("port mapping '" + Check.printable(text)
                    + "' is not HOST_PORT:CONTAINER_PORT[/tcp|/udp]");
        }
        return new PortMapping(Integer.parseInt(ports[0]), Integer.parseInt(ports[1]), protocol);
    }

    private static boolean isPort(String s) {
        return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The node's side of the mapping, {@code 8080/tcp}: what no two containers of a node may publish both. */
    public String hostSide() {
        return host + "/" + protocol;
    }

    @Override
    public String toString() {
        return host + ":" + container + "/" + protocol;
    }
}
