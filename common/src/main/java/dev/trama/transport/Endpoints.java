package dev.trama.transport;

import dev.trama.net.Ipv4;
import java.util.regex.Pattern;

/** ZeroMQ endpoint strings, built only from validated hosts and ports. */
public final class Endpoints {

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");

    private Endpoints() {
    }

    public static String tcp(String host, int port) {
        return "tcp://" + host(host) + ":" + port(port);
    }

    public static String host(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a host name or IPv4 address is required");
        }
        if (host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            Ipv4.parse(host);
            return host;
        }
        if (!HOSTNAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + host + "' is not a valid host name or IPv4 address");
        }
        return host;
    }

    /** A port to listen on: as {@link #port}, or 0 for one the system picks. */
    public static int listenPort(int port) {
        return port == 0 ? 0 : port(port);
    }

    /** An endpoint to bind: as {@link #tcp}, with port 0 for one the system picks. */
    public static String listening(String host, int port) {
        return "tcp://" + host(host) + ":" + listenPort(port);
    }

    public static int port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        return port;
    }
}
