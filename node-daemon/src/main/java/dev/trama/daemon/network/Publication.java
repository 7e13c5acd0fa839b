package dev.trama.daemon.network;

import dev.trama.net.Ipv4;
import dev.trama.protocol.Check;
import dev.trama.protocol.PortMapping;
import java.util.List;

/** The ports a container publishes on its node, and its overlay address, where their traffic goes. */
public record Publication(String container, Ipv4 address, List<PortMapping> ports) {

    public Publication {
        Check.name(container, "container name");
        if (address == null) {
            throw new IllegalArgumentException("the address of container '" + container + "' is required");
        }
        ports = Check.ports(ports);
    }
}
