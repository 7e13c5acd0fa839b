package dev.trama.protocol;

import java.util.List;

/**
 * A container as the cluster knows it. {@code ip} carries the prefix length ({@code 10.10.0.5/16});
 * {@code state} is the cluster's record until its node has launched it, then what the node's engine reports.
 */
public record ContainerInfo(String name, String node, String ip, String image, ContainerStatus state,
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

    public ContainerInfo(String name, String node, String ip, String image, ContainerState state, List<PortMapping> ports) {
        this(name, node, ip, image, ContainerStatus.of(state), ports);
    }

    public ContainerInfo withState(ContainerState newState) {
        return new ContainerInfo(name, node, ip, image, ContainerStatus.of(newState), ports);
    }
}
