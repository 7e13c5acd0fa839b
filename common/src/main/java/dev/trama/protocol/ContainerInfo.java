package dev.trama.protocol;

import java.util.List;

/** A container as the cluster knows it. {@code ip} carries the prefix length ({@code 10.10.0.5/16}). */
public record ContainerInfo(String name, String node, String ip, String image, ContainerState state,
                            List<PortMapping> ports) {

    public ContainerInfo {
        Check.name(name, "container name");
        Check.name(node, "node name");
        Check.interfaceAddress(ip, "container address");
        Check.image(image);
        if (state == null) {
            throw new IllegalArgumentException("container state is required");
        }
        ports = Check.ports(ports);
    }

    public ContainerInfo withState(ContainerState newState) {
        return new ContainerInfo(name, node, ip, image, newState, ports);
    }
}
