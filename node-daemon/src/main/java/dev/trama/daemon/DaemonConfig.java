package dev.trama.daemon;

import dev.trama.net.Ipv4;
import dev.trama.net.Names;
import dev.trama.transport.Endpoints;
import java.time.Duration;
import java.util.List;

/** Everything the daemon is told at start. {@code lanInterface} is null when it should be found. */
public record DaemonConfig(String node, List<String> servers, int repPort, int pubPort, int pullPort, int servicePort,
                           String lanInterface, int vni, Ipv4 group, int vxlanPort, String dockerHost,
                           Duration taskTimeout) {

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
