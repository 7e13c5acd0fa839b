package dev.trama.daemon.dns;

import dev.trama.net.Ipv4;
import dev.trama.protocol.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's resolver for its containers: DNS on the bridge's address (UDP and TCP port 53, that address only),
 * answering the cluster's names from the table the server publishes and forwarding every other name to the
 * host's own resolvers. It serves once the node's overlay is built, moves when the bridge's address changes,
 * and stops on {@code leave} and with the daemon.
 */
public final class Resolver implements AutoCloseable {

    public static final int PORT = 53;
    public static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
    /** How long one of the host's nameservers is given to answer a forwarded query. */
    static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(Resolver.class);

    private final NameTable names = new NameTable();
    private final Answers answers = new Answers(names);
    private final Path resolvConf;
    private final int port;
    private final int upstreamPort;
    private DnsServer server;

    public Resolver() {
        this(RESOLV_CONF, PORT, PORT);
    }

    /** A resolver on another port than 53, asking the host's nameservers on another port: for tests. */
    Resolver(Path resolvConf, int port, int upstreamPort) {
        this.resolvConf = resolvConf;
        this.port = port;
        this.upstreamPort = upstreamPort;
    }

    /** Serves on this address (the bridge's) from now on; nothing changes if it already does. */
    public void serveOn(Ipv4 bridge) {
        serveOn(NameTable.literal(bridge.toString()));
    }

    synchronized void serveOn(InetAddress address) {
        if (server != null && server.host().equals(address)) {
            return;
        }
        stop();
        try {
            server = DnsServer.start(new InetSocketAddress(address, port), answers,
                    new Upstream(resolvConf, address, upstreamPort, UPSTREAM_TIMEOUT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve DNS on " + address.getHostAddress() + " port " + port + ": "
                    + e.getMessage(), e);
        }
        log.info("resolver for containers on {} port {} ({} names of the cluster known)", address.getHostAddress(),
                server.address().getPort(), names.size());
    }

    /** Takes the cluster's names, unless older than those it has. */
    public void names(Task.Names table) {
        if (names.update(table)) {
            log.debug("{} names of the cluster as of revision {}", table.addresses().size(), table.revision());
        }
    }

    /** Where it serves, if it does (for tests: the port the system picked). */
    synchronized InetSocketAddress address() {
        return server == null ? null : server.address();
    }

    /** Stops serving; {@link #serveOn} starts again. */
    public synchronized void stop() {
        if (server != null) {
            server.close();
            log.info("resolver on {} stopped", server.host().getHostAddress());
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
