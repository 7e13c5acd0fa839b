package dev.trama.daemon;

import dev.trama.identity.JoinToken;
import dev.trama.net.Names;
import dev.trama.transport.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the daemon is told at start about the cluster, its console and its own state. {@code token} is the
 * cluster's join token when one was given (a first join needs it); {@code insecure} keeps to plain text.
 */
public record DaemonConfig(String node, List<String> servers, int repPort, int pubPort, int pullPort, int servicePort,
                           Path stateDir, Duration taskTimeout, JoinToken token, boolean insecure) {

    public static final Path STATE_DIR = Path.of("/var/lib/trama");

    public DaemonConfig {
        Names.require(node, "node name");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server host is required");
        }
        servers = List.copyOf(servers);
        servers.forEach(Endpoints::host);
        Endpoints.port(repPort);
        Endpoints.port(pubPort);
        Endpoints.port(pullPort);
        Endpoints.port(servicePort);
    }

    public List<String> endpoints(int port) {
        return servers.stream().map(host -> Endpoints.tcp(host, port)).toList();
    }
}
