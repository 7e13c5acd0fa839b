package dev.trama.daemon.tasks;

import dev.trama.protocol.PortMapping;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Docker labels that make a container Trama's, and this node's. A daemon only ever lists, changes
 * or removes containers that carry its cluster's and node's labels.
 */
public final class Labels {

    public static final String CLUSTER = "trama.cluster";
    public static final String NODE = "trama.node";
    public static final String NAME = "trama.name";
    public static final String TASK = "trama.task";
    public static final String ADDRESS = "trama.ip";
    /** The container's gateway (its node's bridge address), to attach every new run of it as the first. */
    public static final String GATEWAY = "trama.gateway";
    /** The ports the container publishes, as {@code 8080:80/tcp,5353:53/udp}; absent when it publishes none. */
    public static final String PORTS = "trama.ports";

    private Labels() {
    }

    public static Map<String, String> ofNode(String clusterId, String node) {
        return Map.of(CLUSTER, clusterId, NODE, node);
    }

    public static Map<String, String> ofContainer(String clusterId, String node, String name) {
        return Map.of(CLUSTER, clusterId, NODE, node, NAME, name);
    }

    public static Map<String, String> forLaunch(String clusterId, String node, String name, String taskId, String ip,
                                                String gateway, List<PortMapping> ports) {
        Map<String, String> labels = new HashMap<>(ofContainer(clusterId, node, name));
        labels.put(TASK, taskId);
        labels.put(ADDRESS, ip);
        labels.put(GATEWAY, gateway);
        if (!ports.isEmpty()) {
            labels.put(PORTS, ports.stream().map(PortMapping::toString).collect(Collectors.joining(",")));
        }
        return labels;
    }

    /** The ports a {@link #PORTS} label names. */
    public static List<PortMapping> ports(String label) {
        return label.isEmpty() ? List.of() : Arrays.stream(label.split(",")).map(PortMapping::parse).toList();
    }

    /** Docker's name for a container: unique per cluster even when several nodes share one engine. */
    public static String runtimeName(String clusterId, String name) {
        return "trama-" + clusterId + "-" + name;
    }
}
