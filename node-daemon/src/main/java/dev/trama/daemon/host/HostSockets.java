package dev.trama.daemon.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The ports that sockets of the host's network namespace hold, from the kernel's socket tables
 * ({@code /proc/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6}): a TCP socket listening on a port, or a UDP
 * socket bound to it and connected to no peer, whatever address it is bound to. Read directly in the daemon's
 * own namespace, or with {@code cat} through a {@link CommandRunner} (in whatever namespace it runs commands).
 */
public final class HostSockets {

    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONNECTED = "07";

    private final Function<String, String> table;

    private HostSockets(Function<String, String> table) {
        this.table = table;
    }

    /** The tables of the daemon's own network namespace. */
    public static HostSockets system() {
        return new HostSockets(name -> {
            try {
                return Files.readString(Path.of("/proc/net", name));
            } catch (NoSuchFileException e) {
                return ""; // no IPv6 on this host
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /proc/net/" + name + ": " + e.getMessage(), e);
            }
        });
    }

    /** The tables as {@code cat} prints them, run by the runner. */
    public static HostSockets through(CommandRunner runner) {
        return new HostSockets(name -> {
            CommandResult result = runner.run(List.of("cat", "/proc/net/" + name));
            return result.ok() ? result.stdout() : "";
        });
    }

    /** Whether a socket of the host holds the port for the protocol ({@code tcp} or {@code udp}). */
    public boolean holds(String protocol, int port) {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol '" + protocol + "' is not tcp or udp");
        }
        return holds(table.apply(protocol), protocol, port) || holds(table.apply(protocol + "6"), protocol, port);
    }

    /** Whether a socket table ({@code /proc/net/tcp}'s layout, IPv4 or IPv6) has the port held. */
    static boolean holds(String table, String protocol, int port) {
        String state = protocol.equals("tcp") ? TCP_LISTEN : UDP_UNCONNECTED;
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        return table.lines().skip(1).map(String::strip).map(line -> line.split("\\s+")).anyMatch(fields ->
                fields.length > 3 && fields[1].endsWith(":" + hexPort) && fields[3].equalsIgnoreCase(state));
    }
}
