package dev.trama.protocol;

import java.util.List;

/**
 * A container as the cluster knows it. {@code ip} carries the prefix length ({@code 10.10.0.5/16});
 * {@code state} is one of {@link #PENDING}, {@link #RUNNING}, {@link #FAILED}, {@link #REMOVING}.
 */
public record ContainerInfo(String name, String node, String ip, String image, String state, List<PortMapping> ports) {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String FAILED = "failed";
    public static final String REMOVING = "removing";

    public ContainerInfo {
        Check.name(name, "container name");
        Check.name(node, "node name");
        Check.interfaceAddress(ip, "container address");
        Check.image(image);
        if (state == null || state.isBlank()) {
            throw new IllegalArgumentException("container state is required");
        }
        ports = Check.list(ports);
    }

    public ContainerInfo withState(String newState) {
        return new ContainerInfo(name, node, ip, image, newState, ports);
    }
}
